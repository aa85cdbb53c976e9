#include "remotechatservice.h"

#include "common/logging.h"
#include "remote/serverclient.h"
#include "storage/conversationstore.h"
#include "storage/messagestore.h"

#include <QJsonArray>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QString idText(qint64 id)
{
    return QString::number(id);
}

qint64 idOf(const QJsonValue &value)
{
    return value.toString().toLongLong();
}

// {"items":[...],"next_cursor":...} as a page of T.
template<typename T>
Result<Page<T>> pageFrom(const Result<QJsonValue> &reply)
{
    if (!reply)
        return reply.error();
    Page<T> page;
    const QJsonObject object = reply->toObject();
    for (const QJsonValue item : object.value("items"_L1).toArray()) {
        auto parsed = T::fromJson(item.toObject());
        if (!parsed)
            return parsed.error();
        page.items.append(*std::move(parsed));
    }
    page.nextCursor = object.value("next_cursor"_L1).toString();
    return page;
}

template<typename T>
Result<T> objectFrom(const Result<QJsonValue> &reply)
{
    if (!reply)
        return reply.error();
    return T::fromJson(reply->toObject());
}

SearchHit searchHitFrom(const QJsonObject &json)
{
    return {idOf(json.value("conversation_id"_L1)), idOf(json.value("message_id"_L1)),
            json.value("conversation_title"_L1).toString(), json.value("snippet"_L1).toString(),
            fromIsoUtc(json.value("created_at"_L1).toString())};
}

Error notOnServer(const QString &what)
{
    return Error{ErrorCode::Forbidden, what};
}

} // namespace

RemoteChatService::RemoteChatService(ServerClient &client, QObject *parent)
    : ChatService(parent)
    , m_client(client)
    , m_socket(client)
{
    connect(&m_socket, &ServerSocket::frameReceived, this, &RemoteChatService::onFrame);
    connect(&m_socket, &ServerSocket::stateChanged, this, &RemoteChatService::onSocketState);
    // Signed in again after the session ended: the WebSocket comes back too.
    connect(&m_client, &ServerClient::signedIn, &m_socket, &ServerSocket::start);
    m_socket.start();
}

RemoteChatService::~RemoteChatService()
{
    m_socket.stop();
}

void RemoteChatService::createConversation(const NewConversation &spec, QObject *context,
                                           Handler<Conversation> handler)
{
    QJsonObject body{{u"title"_s, spec.title}};
    if (!spec.presetId.isEmpty())
        body.insert(u"preset_id"_s, spec.presetId);
    if (!spec.params.isEmpty())
        body.insert(u"params"_s, spec.params.toJson());
    m_client.call("POST", u"/conversations"_s, body, context,
                  [this, handler = std::move(handler)](Result<QJsonValue> reply) {
                      auto created = objectFrom<Conversation>(reply);
                      if (created)
                          emit conversationAdded(*created);
                      handler(std::move(created));
                  });
}

void RemoteChatService::conversation(qint64 id, QObject *context, Handler<Conversation> handler)
{
    m_client.get(u"/conversations/"_s + idText(id), {}, context,
                 [handler = std::move(handler)](Result<QJsonValue> reply) {
                     handler(objectFrom<Conversation>(reply));
                 });
}

void RemoteChatService::listConversations(const ConversationQuery &query, QObject *context,
                                          Handler<Page<Conversation>> handler)
{
    QUrlQuery items;
    items.addQueryItem(u"limit"_s, QString::number(query.limit));
    if (query.archived)
        items.addQueryItem(u"archived"_s, u"true"_s);
    if (!query.cursor.isEmpty())
        items.addQueryItem(u"cursor"_s, query.cursor);
    if (!query.search.isEmpty())
        items.addQueryItem(u"q"_s, QString::fromUtf8(QUrl::toPercentEncoding(query.search)));
    m_client.get(u"/conversations"_s, items, context,
                 [handler = std::move(handler)](Result<QJsonValue> reply) {
                     handler(pageFrom<Conversation>(reply));
                 });
}

void RemoteChatService::updateConversation(const Conversation &conversation, QObject *context,
                                           Handler<Conversation> handler)
{
    const QJsonObject body{{u"title"_s, conversation.title},
                           {u"archived"_s, conversation.archived},
                           {u"params"_s, conversation.params.toJson()}};
    m_client.call("PATCH", u"/conversations/"_s + idText(conversation.id), body, context,
                  [this, handler = std::move(handler)](Result<QJsonValue> reply) {
                      auto updated = objectFrom<Conversation>(reply);
                      if (updated)
                          emit conversationChanged(*updated);
                      handler(std::move(updated));
                  });
}

void RemoteChatService::deleteConversation(qint64 id, QObject *context, Handler<void> handler)
{
    m_client.call("DELETE", u"/conversations/"_s + idText(id), QJsonValue(), context,
                  [this, id, handler = std::move(handler)](Result<QJsonValue> reply) {
                      if (!reply)
                          return handler(reply.error());
                      m_open.remove(id);
                      emit conversationRemoved(id);
                      handler({});
                  });
}

void RemoteChatService::messages(qint64 conversationId, const MessageQuery &query, QObject *context,
                                 Handler<Page<Message>> handler)
{
    QUrlQuery items;
    items.addQueryItem(u"limit"_s, QString::number(query.limit));
    if (!query.before.isEmpty())
        items.addQueryItem(u"before"_s, query.before);
    m_client.get(u"/conversations/%1/messages"_s.arg(conversationId), items, context,
                 [this, conversationId, handler = std::move(handler)](Result<QJsonValue> reply) {
                     auto page = pageFrom<Message>(reply);
                     if (page) {
                         for (const Message &message : std::as_const(page->items))
                             m_conversationOf.insert(message.id, conversationId);
                         // An answer streaming now is newer than what the server had saved.
                         if (const auto it = m_streams.constFind(conversationId);
                             it != m_streams.cend()) {
                             for (Message &message : page->items) {
                                 if (message.id == it->answer.id)
                                     message = it->answer;
                             }
                         }
                     }
                     handler(std::move(page));
                 });
}

void RemoteChatService::allMessages(qint64 conversationId, QObject *context,
                                    Handler<QList<Message>> handler)
{
    collectMessages(conversationId, {}, {}, context, std::move(handler));
}

void RemoteChatService::collectMessages(qint64 conversationId, QString before,
                                        QList<Message> collected, QObject *context,
                                        Handler<QList<Message>> handler)
{
    constexpr int PageSize = 500;
    messages(conversationId, MessageQuery{before, PageSize}, context,
             [=, this, collected = std::move(collected)](Result<Page<Message>> page) mutable {
                 if (!page)
                     return handler(page.error());
                 // Pages come newest first; each is oldest first within.
                 collected = page->items + collected;
                 if (page->nextCursor.isEmpty())
                     return handler(std::move(collected));
                 collectMessages(conversationId, page->nextCursor, std::move(collected), context,
                                 std::move(handler));
             });
}

void RemoteChatService::deleteMessage(qint64 messageId, QObject *context, Handler<void> handler)
{
    m_client.call("DELETE", u"/messages/"_s + idText(messageId), QJsonValue(), context,
                  [this, messageId, handler = std::move(handler)](Result<QJsonValue> reply) {
                      if (!reply)
                          return handler(reply.error());
                      emit messagesRemoved(m_conversationOf.take(messageId), {messageId});
                      handler({});
                  });
}

void RemoteChatService::sendMessage(qint64 conversationId, const QString &content, QObject *context,
                                    Handler<Message> handler)
{
    startTurn(conversationId, {{u"content"_s, content}}, context, std::move(handler));
}

void RemoteChatService::regenerate(qint64 conversationId, QObject *context, Handler<void> handler)
{
    startTurn(conversationId, {{u"regenerate"_s, true}}, context,
              [handler = std::move(handler)](Result<Message> started) {
                  if (!started)
                      return handler(started.error());
                  handler({});
              });
}

void RemoteChatService::editAndResend(qint64 messageId, const QString &content, QObject *context,
                                      Handler<Message> handler)
{
    const qint64 conversationId = m_conversationOf.value(messageId);
    if (conversationId == 0)
        return deliver<Message>(context, std::move(handler),
                                Error{ErrorCode::NotFound, tr("That message is not shown here.")});
    startTurn(conversationId, {{u"content"_s, content}, {u"edit_message_id"_s, idText(messageId)}},
              context, std::move(handler));
}

void RemoteChatService::startTurn(qint64 conversationId, QJsonObject frame, QObject *context,
                                  Handler<Message> handler)
{
    if (m_streams.contains(conversationId))
        return deliver<Message>(
            context, std::move(handler),
            Error{ErrorCode::Conflict, tr("An answer is still being written here.")});
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    frame.insert(u"type"_s, u"chat.send"_s);
    frame.insert(u"conversation_id"_s, idText(conversationId));
    frame.insert(u"request_id"_s, requestId);
    if (!m_client.isSignedIn()) {
        Error signedOut{ErrorCode::Unauthorized,
                        tr("You are signed out of the server; sign in again to send this "
                           "message.")};
        signedOut.serverCode = u"unauthorized"_s;
        return deliver<Message>(context, std::move(handler), std::move(signedOut));
    }
    if (!m_socket.send(frame))
        return deliver<Message>(
            context, std::move(handler),
            Error{ErrorCode::Network,
                  tr("Not connected to the server right now; nothing was sent. Confab is "
                     "reconnecting.")});
    m_pending.insert(requestId, {conversationId, context, std::move(handler)});
}

void RemoteChatService::cancel(qint64 conversationId)
{
    if (m_streams.contains(conversationId))
        m_socket.send(
            {{u"type"_s, u"chat.cancel"_s}, {u"conversation_id"_s, idText(conversationId)}});
}

bool RemoteChatService::isStreaming(qint64 conversationId) const
{
    return m_streams.contains(conversationId);
}

void RemoteChatService::setConversationOpen(qint64 conversationId, bool open)
{
    // Only closing is announced: a conversation counts as open on the server from its first
    // request, so restored tabs that are only read never use up the limit.
    if (!open && m_open.remove(conversationId))
        m_socket.send(
            {{u"type"_s, u"conversation.close"_s}, {u"conversation_id"_s, idText(conversationId)}});
}

void RemoteChatService::onFrame(const QJsonObject &frame)
{
    const QString type = frame.value("type"_L1).toString();
    const QString requestId = frame.value("request_id"_L1).toString();
    const qint64 conversationId = idOf(frame.value("conversation_id"_L1));
    if (type == "chat.message"_L1)
        return onStarted(requestId, frame);
    if (type == "chat.delta"_L1)
        return onDelta(conversationId, frame);
    if (type == "chat.done"_L1 || type == "chat.error"_L1) {
        // An error before the answer started is a refusal of the request itself.
        if (auto pending = m_pending.take(requestId); pending.handler) {
            Error refused = ServerClient::errorFromObject(frame.value("error"_L1).toObject());
            return deliver<Message>(pending.context, std::move(pending.handler),
                                    std::move(refused));
        }
        return onFinished(conversationId, frame, type == "chat.error"_L1);
    }
}

void RemoteChatService::onStarted(const QString &requestId, const QJsonObject &frame)
{
    PendingSend pending = m_pending.take(requestId);
    auto userMessage = Message::fromJson(frame.value("message"_L1).toObject());
    auto answer = Message::fromJson(frame.value("assistant_message"_L1).toObject());
    if (!userMessage || !answer) {
        qCWarning(lcClient) << "malformed chat.message frame";
        return;
    }
    const qint64 conversationId = userMessage->conversationId;
    m_open.insert(conversationId);
    QList<qint64> removed;
    for (const QJsonValue id : frame.value("removed_message_ids"_L1).toArray())
        removed.append(idOf(id));
    for (qint64 id : std::as_const(removed))
        m_conversationOf.remove(id);
    if (!removed.isEmpty())
        emit messagesRemoved(conversationId, removed);
    m_conversationOf.insert(userMessage->id, conversationId);
    m_conversationOf.insert(answer->id, conversationId);
    // A regenerated or edited message is shown already: views update it in place.
    emit messageAdded(*userMessage);
    m_streams.insert(conversationId, {requestId, *answer});
    emit messageAdded(*answer);
    emit streamingChanged(conversationId, true);
    refreshConversation(conversationId);
    if (pending.handler)
        deliver<Message>(pending.context, std::move(pending.handler), *std::move(userMessage));
}

void RemoteChatService::onDelta(qint64 conversationId, const QJsonObject &frame)
{
    const auto it = m_streams.find(conversationId);
    if (it == m_streams.end())
        return;
    const QString content = frame.value("content"_L1).toString();
    const QString reasoning = frame.value("reasoning"_L1).toString();
    it->answer.content += content;
    it->answer.reasoning += reasoning;
    emit messageDelta(conversationId, it->answer.id, content, reasoning);
}

void RemoteChatService::onFinished(qint64 conversationId, const QJsonObject &frame, bool failed)
{
    const auto it = m_streams.find(conversationId);
    if (it == m_streams.end())
        return;
    Message answer = it->answer;
    m_streams.erase(it);
    if (auto saved = Message::fromJson(frame.value("message"_L1).toObject()))
        answer = *saved;
    else if (failed)
        answer.state = MessageState::Incomplete;
    if (failed && answer.errorMessage.isEmpty())
        answer.errorMessage = frame.value("error"_L1).toObject().value("message"_L1).toString();
    emit messageUpdated(answer);
    emit streamingChanged(conversationId, false);
    refreshConversation(conversationId);
}

void RemoteChatService::onSocketState(ServerSocket::State state)
{
    if (state == ServerSocket::State::Online)
        return;
    // The server stops the answers of a connection that went away and keeps what it had: the
    // view shows the text so far, marked, until the history is read again.
    const auto streams = std::exchange(m_streams, {});
    for (auto it = streams.cbegin(); it != streams.cend(); ++it) {
        Message answer = it->answer;
        answer.state = MessageState::Incomplete;
        answer.finishReason = u"network"_s;
        answer.errorMessage = tr("The connection to the server was lost; the text so far is kept.");
        emit messageUpdated(answer);
        emit streamingChanged(it.key(), false);
    }
    const auto pending = std::exchange(m_pending, {});
    for (const PendingSend &send : pending)
        deliver<Message>(send.context, send.handler,
                         Error{ErrorCode::Network,
                               tr("The connection to the server was lost before it answered.")});
    m_open.clear();
}

void RemoteChatService::refreshConversation(qint64 conversationId)
{
    conversation(conversationId, this, [this](Result<Conversation> conversation) {
        if (conversation)
            emit conversationChanged(*conversation);
    });
}

void RemoteChatService::search(const QString &query, QObject *context,
                               Handler<QList<SearchHit>> handler)
{
    QUrlQuery items;
    items.addQueryItem(u"q"_s, QString::fromUtf8(QUrl::toPercentEncoding(query)));
    m_client.get(u"/search"_s, items, context,
                 [handler = std::move(handler)](Result<QJsonValue> reply) {
                     if (!reply)
                         return handler(reply.error());
                     QList<SearchHit> hits;
                     for (const QJsonValue item : reply->toObject().value("items"_L1).toArray())
                         hits.append(searchHitFrom(item.toObject()));
                     handler(std::move(hits));
                 });
}

void RemoteChatService::presets(QObject *context, Handler<QList<Preset>> handler)
{
    m_client.get(u"/presets"_s, {}, context,
                 [handler = std::move(handler)](Result<QJsonValue> reply) {
                     auto page = pageFrom<Preset>(reply);
                     if (!page)
                         return handler(page.error());
                     for (Preset &preset : page->items)
                         preset.builtIn = true;
                     handler(std::move(page->items));
                 });
}

void RemoteChatService::savePreset(const Preset &, QObject *context, Handler<Preset> handler)
{
    deliver<Preset>(context, std::move(handler),
                    notOnServer(tr("The presets of a team server are managed by its admins.")));
}

void RemoteChatService::deletePreset(const QString &, QObject *context, Handler<void> handler)
{
    deliver<void>(context, std::move(handler),
                  notOnServer(tr("The presets of a team server are managed by its admins.")));
}

void RemoteChatService::importConversations(const QList<ImportedConversation> &,
                                            std::function<void(qsizetype, qsizetype)>,
                                            QObject *context, Handler<int> handler)
{
    deliver<int>(context, std::move(handler),
                 notOnServer(tr("Conversations are imported on this computer only, not into a "
                                "team server.")));
}

void RemoteChatService::models(QObject *context, Handler<QStringList> handler)
{
    m_client.get(u"/models"_s, {}, context,
                 [handler = std::move(handler)](Result<QJsonValue> reply) {
                     if (!reply)
                         return handler(reply.error());
                     QStringList models;
                     for (const QJsonValue item : reply->toObject().value("items"_L1).toArray())
                         models.append(item.toObject().value("id"_L1).toString());
                     handler(std::move(models));
                 });
}

} // namespace confab
