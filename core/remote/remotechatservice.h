#pragma once

#include "chat/chatservice.h"
#include "remote/serversocket.h"

#include <QHash>
#include <QSet>

namespace confab {

class ServerClient;

// ChatService against a confab-server (team or embedded mode): history through the REST API,
// answers streamed over the WebSocket. The server saves the user's message before it asks the
// model and keeps partial answers; this side only mirrors what the server reports.
//
// A message sent while the WebSocket is down is refused at once with a Network error (the
// composer keeps its text): nothing waits in a queue the user cannot see.
class RemoteChatService final : public ChatService
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemoteChatService)

public:
    // client must outlive the service and be signed in; the service opens the WebSocket.
    explicit RemoteChatService(ServerClient &client, QObject *parent = nullptr);
    ~RemoteChatService() override;

    ServerSocket &socket() { return m_socket; }

    void createConversation(const NewConversation &spec, QObject *context,
                            Handler<Conversation> handler) override;
    void conversation(qint64 id, QObject *context, Handler<Conversation> handler) override;
    void listConversations(const ConversationQuery &query, QObject *context,
                           Handler<Page<Conversation>> handler) override;
    void updateConversation(const Conversation &conversation, QObject *context,
                            Handler<Conversation> handler) override;
    void deleteConversation(qint64 id, QObject *context, Handler<void> handler) override;

    void messages(qint64 conversationId, const MessageQuery &query, QObject *context,
                  Handler<Page<Message>> handler) override;
    void allMessages(qint64 conversationId, QObject *context,
                     Handler<QList<Message>> handler) override;
    void deleteMessage(qint64 messageId, QObject *context, Handler<void> handler) override;

    void sendMessage(qint64 conversationId, const QString &content, QObject *context,
                     Handler<Message> handler) override;
    void regenerate(qint64 conversationId, QObject *context, Handler<void> handler) override;
    void editAndResend(qint64 messageId, const QString &content, QObject *context,
                       Handler<Message> handler) override;
    void cancel(qint64 conversationId) override;
    bool isStreaming(qint64 conversationId) const override;

    void search(const QString &query, QObject *context, Handler<QList<SearchHit>> handler) override;
    void presets(QObject *context, Handler<QList<Preset>> handler) override;
    void savePreset(const Preset &preset, QObject *context, Handler<Preset> handler) override;
    void deletePreset(const QString &presetId, QObject *context, Handler<void> handler) override;
    void importConversations(const QList<ImportedConversation> &conversations,
                             std::function<void(qsizetype, qsizetype)> progress, QObject *context,
                             Handler<int> handler) override;
    void setConversationOpen(qint64 conversationId, bool open) override;
    bool canEditPresets() const override { return false; }
    bool canImport() const override { return false; }

    // The models the server offers, and its default.
    void models(QObject *context, Handler<QStringList> handler);

private:
    // A chat.send waiting for its chat.message (or a chat.error refusing it).
    struct PendingSend
    {
        qint64 conversationId = 0;
        QPointer<QObject> context;
        Handler<Message> handler;
    };
    struct Stream
    {
        QString requestId;
        Message answer; // as it stands: the deltas so far
    };

    void startTurn(qint64 conversationId, QJsonObject frame, QObject *context,
                   Handler<Message> handler);
    void onFrame(const QJsonObject &frame);
    void onStarted(const QString &requestId, const QJsonObject &frame);
    void onDelta(qint64 conversationId, const QJsonObject &frame);
    void onFinished(qint64 conversationId, const QJsonObject &frame, bool failed);
    void onSocketState(ServerSocket::State state);
    void refreshConversation(qint64 conversationId);
    void collectMessages(qint64 conversationId, QString before, QList<Message> collected,
                         QObject *context, Handler<QList<Message>> handler);

    ServerClient &m_client;
    ServerSocket m_socket;
    QHash<QString, PendingSend> m_pending; // by request id
    QHash<qint64, Stream> m_streams;       // by conversation id
    QSet<qint64> m_open;                   // conversations opened on the server
    // The conversation of each message this service has shown (the API's message routes
    // name only the message).
    QHash<qint64, qint64> m_conversationOf;
};

} // namespace confab
