#include "serversocket.h"

#include "common/logging.h"
#include "serverclient.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QUrlQuery>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace confab {

namespace {

constexpr auto FirstBackoff = 500ms;
constexpr auto LongestBackoff = 30s;
// A handshake that has not finished by then is given up (Qt 6.4 sets no deadline of its own).
constexpr auto HandshakeTimeout = 15s;
// The server pings every 30 s too; either side hearing nothing for that long asks.
constexpr std::chrono::milliseconds HeartbeatInterval = 30s;

} // namespace

ServerSocket::ServerSocket(ServerClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ServerSocket::connectNow);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &ServerSocket::heartbeat);
    connect(&m_client, &ServerClient::sessionEnded, this, &ServerSocket::stop);
}

ServerSocket::~ServerSocket()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void ServerSocket::start()
{
    m_wanted = true;
    if (m_state == State::Offline && !m_reconnectTimer.isActive())
        connectNow();
}

void ServerSocket::stop()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    m_heartbeatTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    setState(State::Offline);
}

bool ServerSocket::send(const QJsonObject &frame)
{
    if (m_state != State::Online)
        return false;
    m_socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    return true;
}

void ServerSocket::connectNow()
{
    if (!m_wanted || m_socket)
        return;
    setState(State::Connecting);
    m_client.withAccessToken(this, [this](Result<QString> token) {
        if (!m_wanted || m_socket)
            return;
        if (!token) {
            // A session that ended stops here (stop() ran); anything else is worth a retry.
            if (m_wanted)
                scheduleReconnect();
            return;
        }
        m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        connect(m_socket, &QWebSocket::connected, this, &ServerSocket::onConnected);
        connect(m_socket, &QWebSocket::disconnected, this, &ServerSocket::onDisconnected);
        connect(m_socket, &QWebSocket::textMessageReceived, this, &ServerSocket::onText);
        QNetworkRequest request(m_client.webSocketUrl());
        request.setRawHeader("Authorization", "Bearer " + token->toUtf8());
        m_socket->open(request);
        QTimer::singleShot(HandshakeTimeout, m_socket, [socket = m_socket] {
            if (socket->state() != QAbstractSocket::ConnectedState)
                socket->abort();
        });
    });
}

void ServerSocket::onConnected()
{
    m_backoff = FirstBackoff;
    m_sinceHeard.start();
    m_pingWaiting = false;
    // Checked often enough that a silent server is noticed within a fraction of an interval.
    m_heartbeatTimer.start(HeartbeatInterval / 4);
    setState(State::Online);
}

void ServerSocket::onDisconnected()
{
    const bool wasOnline = m_state == State::Online;
    qCInfo(lcClient) << "WebSocket closed:" << m_socket->closeCode() << m_socket->closeReason()
                     << m_socket->errorString();
    m_heartbeatTimer.stop();
    m_socket->disconnect(this);
    m_socket->deleteLater();
    m_socket = nullptr;
    setState(State::Offline);
    if (!m_wanted)
        return;
    if (wasOnline)
        return scheduleReconnect();
    // The upgrade itself was refused or never answered: a refused session shows on a plain
    // call (and ends the client's session); otherwise the server is away, try again later.
    m_client.get(u"/users/me"_s, {}, this, [this](Result<QJsonValue>) {
        if (m_wanted)
            scheduleReconnect();
    });
}

void ServerSocket::scheduleReconnect()
{
    setState(State::Offline);
    // Jitter, so that clients of a restarted server do not all come back at the same moment.
    const auto jitter = std::chrono::milliseconds(
        QRandomGenerator::global()->bounded(qint64(m_backoff.count() / 4 + 1)));
    m_reconnectTimer.start(m_backoff + jitter);
    m_backoff = std::min<std::chrono::milliseconds>(m_backoff * 2, LongestBackoff);
}

void ServerSocket::onText(const QString &text)
{
    m_sinceHeard.restart();
    m_pingWaiting = false;
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value("type"_L1).toString();
    if (type == "ping"_L1) {
        send({{u"type"_s, u"pong"_s}});
        return;
    }
    if (type == "pong"_L1)
        return;
    if (type == "session.revoked"_L1) {
        const QString reason = frame.value("reason"_L1).toString();
        Error error{ErrorCode::Unauthorized, tr("The server ended this session (%1).").arg(reason),
                    401};
        error.serverCode = reason;
        m_client.endSession(error);
        return;
    }
    emit frameReceived(frame);
}

void ServerSocket::heartbeat()
{
    if (m_state != State::Online)
        return;
    const auto silent = std::chrono::milliseconds(m_sinceHeard.elapsed());
    if (m_pingWaiting && silent > 2 * HeartbeatInterval) {
        qCInfo(lcClient) << "the server did not answer a ping; reconnecting";
        m_socket->abort();
        return;
    }
    if (!m_pingWaiting && silent >= HeartbeatInterval) {
        m_pingWaiting = true;
        send({{u"type"_s, u"ping"_s}});
    }
}

void ServerSocket::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace confab
