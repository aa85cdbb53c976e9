#pragma once

#include "common/result.h"
#include "http/connectionguard.h"
#include "http/httpexchange.h"
#include "http/router.h"

#include <QAbstractHttpServer>
#include <QPointer>
#include <QWebSocket>

#include <chrono>
#include <functional>

namespace confab {

// The HTTP front of confab-server: QtHttpServer behind a ConnectionGuard, requests dispatched
// through a Router as HttpExchanges, WebSocket upgrades authorized by the guard and handed out
// with the identity the authorizer gave.
class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    using Observer
        = std::function<void(const HttpExchange &, int status, std::chrono::nanoseconds elapsed)>;

    // The router must outlive the server.
    explicit HttpServer(Router &router, QObject *parent = nullptr);
    ~HttpServer() override;

    // Creates a ConnectionGuard with these limits, listens on it and binds it. Port 0 picks a
    // free port; the result is the port listened on, or the OS's reason (port taken, ...).
    // Once per server.
    Result<quint16> listen(const QHostAddress &address, quint16 port, HttpLimits limits = {});
    // Null before listen().
    ConnectionGuard *guard() const { return m_guard; }

    // Called once per finished exchange (answered, stream finished, or client gone).
    void setObserver(Observer observer);

signals:
    // An authorized WebSocket; the receiver owns it (nobody connected: it is closed). Incoming
    // frames and messages are limited to the guard's maxBodyBytes: a bigger one closes the
    // socket with 1009 (message too big).
    void webSocketConnected(QWebSocket *socket, QVariant identity);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    friend class HttpExchange;
    void observe(const HttpExchange &exchange, int status, std::chrono::nanoseconds elapsed);
    void takeWebSockets();

    Router &m_router;
    QPointer<ConnectionGuard> m_guard;
    Observer m_observer;
};

} // namespace confab
