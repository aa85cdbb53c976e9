#include "websockethub.h"

#include "authenticator.h"
#include "chatrelay.h"
#include "common/logging.h"
#include "ops/liveconversations.h"
#include "ops/metrics.h"
#include "storage/conversationstore.h"
#include "turnevents.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QJsonObject errorFrame(const ApiError &error, const QJsonObject &correlation)
{
    QJsonObject frame = correlation;
    frame.insert(u"type"_s, u"error"_s);
    frame.insert(u"error"_s, error.errorObject());
    return frame;
}

std::optional<qint64> conversationIdOf(const QJsonObject &frame)
{
    const QJsonValue value = frame.value("conversation_id"_L1);
    bool ok = false;
    const qint64 id
        = value.isString() ? value.toString().toLongLong(&ok) : qint64(value.toDouble(-1));
    if (value.isDouble())
        ok = id > 0 && double(id) == value.toDouble();
    if (!ok || id <= 0)
        return std::nullopt;
    return id;
}

} // namespace

WebSocketHub::WebSocketHub(Dependencies dependencies, QObject *parent)
    : QObject(parent)
    , m_deps(dependencies)
{
    m_clock.start();
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &WebSocketHub::heartbeat);
    setHeartbeatInterval(m_interval);
}

WebSocketHub::~WebSocketHub()
{
    for (const Connection &connection : std::as_const(m_connections)) {
        connection.socket->disconnect(this);
        delete connection.socket;
    }
}

void WebSocketHub::setHeartbeatInterval(std::chrono::milliseconds interval)
{
    m_interval = interval;
    // Ten checks per interval: a dead peer is noticed within 1.1 intervals after its ping.
    m_heartbeatTimer.start(std::max<qint64>(10, interval.count() / 10));
}

void WebSocketHub::accept(QWebSocket *socket, const QString &sessionId)
{
    Connection connection;
    connection.socket = socket;
    connection.id = m_nextId++;
    connection.sessionId = sessionId;
    connection.lastHeardMs = m_clock.elapsed();
    const quint64 id = connection.id;
    socket->setParent(this);
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this, id](const QString &text) { onText(id, text); });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, id](const QByteArray &) {
        send(id,
             errorFrame(ApiError::make(400, u"invalid_request"_s, u"Frames are JSON text."_s), {}));
    });
    connect(socket, &QWebSocket::pong, this, [this, id] {
        if (auto it = m_connections.find(id); it != m_connections.end())
            it->lastHeardMs = m_clock.elapsed();
    });
    connect(socket, &QWebSocket::disconnected, this, [this, id] { onClosed(id); });
    m_connections.insert(id, connection);
    m_deps.metrics.websocketConnections().set(double(m_connections.size()));
}

void WebSocketHub::onText(quint64 id, const QString &text)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end())
        return;
    it->lastHeardMs = m_clock.elapsed();
    it->pingSentMs = -1;

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (!document.isObject())
        return send(id,
                    errorFrame(ApiError::make(400, u"invalid_request"_s,
                                              u"A frame must be a JSON object."_s),
                               {}));
    const QJsonObject frame = document.object();
    const QString type = frame.value("type"_L1).toString();

    // Every frame acts for a session that may have ended since the upgrade.
    auto identity = m_deps.auth.authenticateSession(it->sessionId);
    if (auto *error = std::get_if<ApiError>(&identity)) {
        endSession(it->sessionId, error->code);
        return;
    }

    if (type == "ping"_L1)
        return send(id, {{u"type"_s, u"pong"_s}});
    if (type == "pong"_L1)
        return;
    const Identity &who = std::get<Identity>(identity);
    if (type == "chat.send"_L1)
        return handleChatSend(it->id, who, frame);
    if (type == "conversation.open"_L1)
        return handleOpen(it->id, who, frame);

    const auto conversationId = conversationIdOf(frame);
    const QJsonObject correlation{{u"conversation_id"_s, frame.value("conversation_id"_L1)}};
    const qint64 userId = who.user.id;
    if (type == "conversation.close"_L1 && conversationId) {
        m_deps.live.close(userId, *conversationId);
        QJsonObject closed = correlation;
        closed.insert(u"type"_s, u"conversation.closed"_s);
        return send(id, closed);
    }
    if (type == "chat.cancel"_L1 && conversationId) {
        m_deps.relay.cancel(userId, *conversationId,
                            Error{ErrorCode::Cancelled, u"Stopped by the user."_s});
        return;
    }
    send(id,
         errorFrame(ApiError::make(400, u"invalid_request"_s,
                                   u"Unknown frame type or missing conversation_id."_s),
                    correlation));
}

void WebSocketHub::handleChatSend(quint64 id, const Identity &who, const QJsonObject &frame)
{
    QJsonObject correlation{{u"conversation_id"_s, frame.value("conversation_id"_L1)},
                            {u"request_id"_s, frame.value("request_id"_L1)}};
    const auto conversationId = conversationIdOf(frame);
    if (!conversationId)
        return send(id,
                    TurnEvents::wsError(
                        ApiError::make(400, u"invalid_request"_s, u"conversation_id is missing."_s),
                        std::nullopt, correlation));
    TurnRequest request;
    request.user = who.user;
    request.sessionId = who.session.id;
    request.contextStartMessageId = who.session.contextStartMessageId;
    request.conversationId = *conversationId;
    request.ownerId = id;
    if (auto error = readTurnBody(frame, request))
        return send(id, TurnEvents::wsError(*error, std::nullopt, correlation));
    auto started = m_deps.relay.start(request);
    if (auto *error = std::get_if<ApiError>(&started))
        return send(id, TurnEvents::wsError(*error, std::nullopt, correlation));
    ChatTurn *turn = std::get<ChatTurn *>(started);
    send(id,
         TurnEvents::wsFrame(
             u"chat.message"_s,
             TurnEvents::started(turn->userMessage(), turn->answer(), turn->removedMessageIds()),
             correlation));
    followTurn(id, turn, correlation);
}

void WebSocketHub::followTurn(quint64 connectionId, ChatTurn *turn, const QJsonObject &correlation)
{
    connect(turn, &ChatTurn::delta, this,
            [this, connectionId, correlation](const QString &content, const QString &reasoning) {
                send(connectionId,
                     TurnEvents::wsFrame(u"chat.delta"_s, TurnEvents::delta(content, reasoning),
                                         correlation));
            });
    connect(turn, &ChatTurn::finished, this,
            [this, connectionId, correlation](const Message &answer,
                                              const std::optional<Error> &error) {
                if (error)
                    return send(connectionId,
                                TurnEvents::wsError(ApiError::fromUpstreamError(*error), answer,
                                                    correlation));
                send(connectionId,
                     TurnEvents::wsFrame(u"chat.done"_s, {{u"message"_s, answer.toJson()}},
                                         correlation));
            });
}

void WebSocketHub::handleOpen(quint64 id, const Identity &who, const QJsonObject &frame)
{
    const QJsonObject correlation{{u"conversation_id"_s, frame.value("conversation_id"_L1)}};
    const qint64 userId = who.user.id;
    const auto conversationId = conversationIdOf(frame);
    if (!conversationId)
        return send(
            id,
            errorFrame(ApiError::make(400, u"invalid_request"_s, u"conversation_id is missing."_s),
                       correlation));
    // Another user's conversation is as unknown as one that does not exist.
    if (auto owned = m_deps.conversations.get(userId, *conversationId); !owned)
        return send(id, errorFrame(ApiError::fromError(owned.error()), correlation));
    if (auto opened = m_deps.live.open(userId, *conversationId, id); !opened)
        return send(
            id,
            errorFrame(ApiError::make(409, u"too_many_conversations"_s, opened.error().message),
                       correlation));
    QJsonObject reply = correlation;
    reply.insert(u"type"_s, u"conversation.opened"_s);
    send(id, reply);
}

void WebSocketHub::onClosed(quint64 id)
{
    const auto it = m_connections.find(id);
    if (it == m_connections.end())
        return;
    QWebSocket *socket = it->socket;
    m_connections.erase(it);
    m_deps.metrics.websocketConnections().set(double(m_connections.size()));
    m_deps.live.closeOwner(id);
    // Nobody is left to read these answers; what arrived so far is saved.
    m_deps.relay.cancelOwner(id, Error{ErrorCode::Cancelled, u"The client disconnected."_s});
    socket->disconnect(this);
    socket->deleteLater();
}

void WebSocketHub::endSession(const QString &sessionId, const QString &reason)
{
    QList<quint64> ids;
    for (const Connection &connection : std::as_const(m_connections)) {
        if (connection.sessionId == sessionId)
            ids.append(connection.id);
    }
    for (quint64 id : std::as_const(ids)) {
        send(id, {{u"type"_s, u"session.revoked"_s}, {u"reason"_s, reason}});
        if (auto it = m_connections.find(id); it != m_connections.end())
            it->socket->close(QWebSocketProtocol::CloseCodePolicyViolated, reason);
    }
}

void WebSocketHub::closeAll()
{
    const auto connections = m_connections.values();
    for (const Connection &connection : connections)
        connection.socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"server shutting down"_s);
}

void WebSocketHub::send(quint64 id, const QJsonObject &frame)
{
    const auto it = m_connections.constFind(id);
    if (it == m_connections.cend())
        return;
    it->socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void WebSocketHub::heartbeat()
{
    const qint64 now = m_clock.elapsed();
    const qint64 interval = m_interval.count();
    QList<quint64> silent;
    for (auto it = m_connections.begin(); it != m_connections.end(); ++it) {
        if (it->pingSentMs >= 0 && now - it->pingSentMs > interval)
            silent.append(it->id);
        else if (it->pingSentMs < 0 && now - it->lastHeardMs >= interval) {
            it->pingSentMs = now;
            send(it->id, {{u"type"_s, u"ping"_s}});
        }
    }
    for (quint64 id : std::as_const(silent)) {
        qCInfo(lcHttp) << "dropping a WebSocket silent since its ping";
        if (auto it = m_connections.find(id); it != m_connections.end())
            it->socket->abort();
        onClosed(id);
    }
}

} // namespace confab
