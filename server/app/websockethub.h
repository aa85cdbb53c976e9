#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <chrono>

class QWebSocket;

// The open WebSockets of /api/v1/ws: chat.send / delta / done / error, chat.cancel,
// conversation.open / close, ping / pong, and session.revoked pushed when a session ends.
// Heartbeat: a ping every interval; a client silent for an interval after a ping is dropped.

namespace confab {

class Authenticator;
struct Identity;
class ChatRelay;
class ChatTurn;
class ConversationStore;
class LiveConversations;
class ServerMetrics;

class WebSocketHub final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketHub)

public:
    struct Dependencies
    {
        Authenticator &auth;
        ChatRelay &relay;
        ConversationStore &conversations;
        LiveConversations &live;
        ServerMetrics &metrics;
    };

    explicit WebSocketHub(Dependencies dependencies, QObject *parent = nullptr);
    ~WebSocketHub() override;

    void setHeartbeatInterval(std::chrono::milliseconds interval);
    // Takes the socket, upgraded for the given session.
    void accept(QWebSocket *socket, const QString &sessionId);
    // Tells the session's sockets why it ended ({"type":"session.revoked","reason"}) and
    // closes them.
    void endSession(const QString &sessionId, const QString &reason);
    // Shutdown: closes every socket with "going away".
    void closeAll();

private:
    struct Connection
    {
        QWebSocket *socket = nullptr;
        quint64 id = 0;
        QString sessionId;
        qint64 lastHeardMs = 0;
        qint64 pingSentMs = -1; // -1: no ping waiting for an answer
    };

    void onText(quint64 id, const QString &text);
    void onClosed(quint64 id);
    void handleChatSend(quint64 id, const Identity &who, const QJsonObject &frame);
    void handleOpen(quint64 id, const Identity &who, const QJsonObject &frame);
    void followTurn(quint64 connectionId, ChatTurn *turn, const QJsonObject &correlation);
    void send(quint64 id, const QJsonObject &frame);
    void heartbeat();

    Dependencies m_deps;
    QHash<quint64, Connection> m_connections;
    quint64 m_nextId = 1;
    QTimer m_heartbeatTimer;
    QElapsedTimer m_clock;
    std::chrono::milliseconds m_interval{30000};
};

} // namespace confab
