#pragma once

#include "http/httpframer.h"

#include <QHash>
#include <QHostAddress>
#include <QSet>
#include <QTcpServer>
#include <QTimer>
#include <QVariant>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;

class QSslConfiguration;

namespace confab {

class SocketWatcher;

// Decides whether a WebSocket upgrade may proceed: a value (the authenticated identity, handed
// back by takeUpgradeIdentity()) lets it through, nullopt answers 401.
using UpgradeAuthorizer = std::function<std::optional<QVariant>(const HttpRequestHead &head)>;

// The QTcpServer given to QtHttpServer's bind(): it watches every connection before
// QtHttpServer reads it and enforces what Qt 6.4 does not (DESIGN.md section 4): head and body
// limits, unambiguous framing, no pipelining, a header deadline, a keep-alive idle timeout and
// authorization of WebSocket upgrades.
//
// Each accepted socket gets a watcher (a child of the socket, so it dies with it whoever owns
// the socket by then) whose readyRead slot is connected before QtHttpServer's, so it sees each
// chunk first and can swallow a bad request, answer it and close, before QtHttpServer parses a
// byte of it. One coarse timer checks the deadlines of all connections.
class ConnectionGuard : public QTcpServer
{
    Q_OBJECT

public:
    explicit ConnectionGuard(HttpLimits limits = {}, QObject *parent = nullptr);
    ~ConnectionGuard() override;

    // Serves HTTPS from now on: every new connection is a QSslSocket with this configuration
    // (certificate and key), and the guard sees the decrypted bytes.
    void setTlsConfiguration(const QSslConfiguration &configuration);

    const HttpLimits &limits() const { return m_limits; }

    // headerDeadline: to receive a complete head, from connect or from the request's first
    // byte; idle: a kept-alive connection with no request in progress and nothing being
    // answered, or a body that stops arriving. Defaults 10 s and 15 s.
    void setTimeouts(std::chrono::milliseconds headerDeadline, std::chrono::milliseconds idle);
    std::chrono::milliseconds headerDeadline() const { return m_headerDeadline; }
    std::chrono::milliseconds idleTimeout() const { return m_idle; }

    // Without an authorizer every upgrade is refused.
    void setUpgradeAuthorizer(UpgradeAuthorizer authorizer);
    // The identity the authorizer gave the upgrade from this peer, once; nullopt when there is
    // none (unknown peer, already taken, or the socket is gone). Stops watching that socket:
    // it speaks WebSocket from now on.
    std::optional<QVariant> takeUpgradeIdentity(const QHostAddress &peer, quint16 peerPort);
    // The TCP socket of a pending upgrade from this peer, or nullptr.
    QTcpSocket *upgradingSocket(const QHostAddress &peer, quint16 peerPort) const;

    // An exchange is being answered on this socket (a late reply or a stream): the deadlines do
    // not apply and bytes arriving meanwhile are a pipelined request, refused. Setting it back
    // to false restarts the idle clock and closes the connection if the request asked for that
    // or if a pipelined request was refused meanwhile. No-op for a socket this guard never saw.
    static void setBusy(QTcpSocket *socket, bool busy);
    // Whether the socket's current request is an authorized WebSocket upgrade that
    // QtHttpServer is about to hand to its WebSocket server.
    static bool upgradePending(QTcpSocket *socket);
    // Whether the socket's current request allows another one afterwards (false for
    // "Connection: close", HTTP/1.0 without keep-alive, or after a refused pipelined request).
    static bool keepAlive(QTcpSocket *socket);

    // Connections being watched (not counting upgraded ones).
    qsizetype watchedConnections() const { return m_watchers.size(); }

signals:
    // A request refused (400, 401, 413, 431) or one closed for being too slow (408); not
    // emitted for connections closed idle.
    void rejected(int status, const QString &reason);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    friend class SocketWatcher;
    using Endpoint = std::pair<QHostAddress, quint16>;

    void watch(SocketWatcher *watcher);
    void unwatch(SocketWatcher *watcher);
    void checkDeadlines();
    void updateTimer();

    HttpLimits m_limits;
    std::chrono::milliseconds m_headerDeadline{10'000};
    std::chrono::milliseconds m_idle{15'000};
    UpgradeAuthorizer m_authorizer;
    std::unique_ptr<QSslConfiguration> m_tls;
    QSet<SocketWatcher *> m_watchers;
    QHash<Endpoint, SocketWatcher *> m_upgrades; // authorized, waiting for takeUpgradeIdentity()
    QTimer m_timer;
};

} // namespace confab
