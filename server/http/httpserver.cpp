#include "httpserver.h"

#include "common/logging.h"

#include <QHttpServerRequest>
#include <QMetaMethod>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace confab {

HttpServer::HttpServer(Router &router, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_router(router)
{
    // QtHttpServer only upgrades when this signal has a receiver.
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, &HttpServer::takeWebSockets);
}

HttpServer::~HttpServer() = default;

Result<quint16> HttpServer::listen(const QHostAddress &address, quint16 port, HttpLimits limits)
{
    if (m_guard)
        return Error{ErrorCode::Conflict, u"The HTTP server is already listening."_s};
    auto *guard = new ConnectionGuard(limits, this);
    if (!guard->listen(address, port)) {
        Error error{ErrorCode::Unavailable,
                    u"Cannot listen on %1 port %2: %3"_s.arg(
                        address.toString(), QString::number(port), guard->errorString())};
        delete guard;
        return error;
    }
    bind(guard);
    m_guard = guard;
    return guard->serverPort();
}

void HttpServer::setObserver(Observer observer)
{
    m_observer = std::move(observer);
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Qt 6.4 asks here before upgrading: true with nothing written lets it hand the socket to
    // its WebSocket server. The guard has authorized exactly these; any other upgrade gets an
    // ordinary answer and, should Qt upgrade it anyway, no identity (takeWebSockets()).
    if (ConnectionGuard::upgradePending(socket))
        return true;
    m_router.route(HttpExchangePtr(new HttpExchange(this, request, socket)));
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest() answers everything; QAbstractHttpServer still requires this.
    HttpExchange(this, request, socket).replyError(404, u"not_found"_s, u"No such resource."_s);
}

void HttpServer::observe(const HttpExchange &exchange, int status, std::chrono::nanoseconds elapsed)
{
    if (m_observer)
        m_observer(exchange, status, elapsed);
}

void HttpServer::takeWebSockets()
{
    static const QMetaMethod connectedSignal
        = QMetaMethod::fromSignal(&HttpServer::webSocketConnected);
    while (hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> webSocket = nextPendingWebSocketConnection();
        const qint64 limit = m_guard ? m_guard->limits().maxBodyBytes : HttpLimits().maxBodyBytes;
        webSocket->setMaxAllowedIncomingFrameSize(quint64(limit));
        webSocket->setMaxAllowedIncomingMessageSize(quint64(limit));

        const QHostAddress peer = webSocket->peerAddress();
        const quint16 port = webSocket->peerPort();
        QTcpSocket *tcpSocket = m_guard ? m_guard->upgradingSocket(peer, port) : nullptr;
        std::optional<QVariant> identity
            = m_guard ? m_guard->takeUpgradeIdentity(peer, port) : std::nullopt;
        if (!identity) {
            // Qt upgraded a request the guard did not authorize (it reads the fields a little
            // differently in odd cases): no identity, no WebSocket.
            qCWarning(lcHttp) << "closing a WebSocket the connection guard did not authorize";
            webSocket->abort();
            continue;
        }
        // QWebSocket neither owns nor frees the socket it was upgraded from; the guard (its
        // parent so far) may die first. Tie it to the QWebSocket instead.
        if (tcpSocket)
            tcpSocket->setParent(webSocket.get());
        if (!isSignalConnected(connectedSignal)) {
            webSocket->close(QWebSocketProtocol::CloseCodeGoingAway);
            continue;
        }
        emit webSocketConnected(webSocket.release(), *identity);
    }
}

} // namespace confab
