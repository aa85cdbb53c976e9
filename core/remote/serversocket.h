#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <chrono>

class QWebSocket;

namespace confab {

class ServerClient;
struct Error;

// The WebSocket to a confab-server (/api/v1/ws), kept open: it connects with a fresh access
// token, reconnects with backoff (0.5 s doubling to 30 s) when the connection drops, and keeps
// a 30 s heartbeat both ways: it answers the server's pings, and pings a server it has not
// heard from in an interval, dropping the connection when that ping goes unanswered.
// A session.revoked frame ends the client's session and stops reconnecting.
class ServerSocket final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerSocket)

public:
    enum class State { Offline, Connecting, Online };
    Q_ENUM(State)

    explicit ServerSocket(ServerClient &client, QObject *parent = nullptr);
    ~ServerSocket() override;

    void start();
    void stop();
    State state() const { return m_state; }
    // False when the socket is not open: nothing is queued.
    bool send(const QJsonObject &frame);

signals:
    void stateChanged(confab::ServerSocket::State state);
    // Every frame but the heartbeat's.
    void frameReceived(const QJsonObject &frame);

private:
    void connectNow();
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void heartbeat();
    void scheduleReconnect();
    void setState(State state);

    ServerClient &m_client;
    QWebSocket *m_socket = nullptr;
    State m_state = State::Offline;
    bool m_wanted = false;
    QTimer m_reconnectTimer;
    QTimer m_heartbeatTimer;
    QElapsedTimer m_sinceHeard;
    bool m_pingWaiting = false;
    std::chrono::milliseconds m_backoff{500};
};

} // namespace confab
