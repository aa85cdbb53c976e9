#include "connectionguard.h"

#include "common/logging.h"
#include "http/httpstatus.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace confab {

namespace {

using Clock = std::chrono::steady_clock;

// Half-closes a connection: the peer reads what was sent, then end of stream.
void shutdownWrite(qintptr descriptor)
{
    if (descriptor < 0)
        return;
#ifdef Q_OS_WIN
    ::shutdown(SOCKET(descriptor), SD_SEND);
#else
    ::shutdown(int(descriptor), SHUT_WR);
#endif
}

QString errorCodeFor(int status)
{
    switch (status) {
    case 401:
        return u"unauthorized"_s;
    case 413:
        return u"payload_too_large"_s;
    case 431:
        return u"headers_too_large"_s;
    default:
        return u"invalid_request"_s;
    }
}

// The whole refusal in one buffer: the connection closes right after it.
QByteArray refusal(int status, const QString &message)
{
    const QByteArray body = QJsonDocument(QJsonObject{{u"error"_s,
                                                       QJsonObject{
                                                           {u"code"_s, errorCodeFor(status)},
                                                           {u"message"_s, message},
                                                       }}})
                                .toJson(QJsonDocument::Compact);
    return httpStatusLine(status) + "Content-Type: application/json\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace

// Watches one socket: frames its requests ahead of QtHttpServer and keeps the clocks the
// guard's timer reads. A child of the socket, so it never outlives it.
class SocketWatcher : public QObject
{
    Q_OBJECT

public:
    enum class Expiry { None, HeadTimeout, BodyStalled, Idle, StuckClosing };

    SocketWatcher(QTcpSocket *socket, ConnectionGuard *guard)
        : QObject(socket)
        , m_guard(guard)
        , m_socket(socket)
        , m_endpoint(socket->peerAddress(), socket->peerPort())
        , m_framer(guard->limits())
        , m_phaseStart(Clock::now())
        , m_lastActivity(m_phaseStart)
    {
        connect(socket, &QTcpSocket::readyRead, this, &SocketWatcher::onReadyRead);
        guard->watch(this);
    }

    ~SocketWatcher() override
    {
        if (m_guard)
            m_guard->unwatch(this);
    }

    static SocketWatcher *of(QTcpSocket *socket)
    {
        return socket ? socket->findChild<SocketWatcher *>(QString(), Qt::FindDirectChildrenOnly)
                      : nullptr;
    }

    Expiry expiry(Clock::time_point now) const
    {
        if (m_closing)
            return now - m_closingSince > m_guard->headerDeadline() ? Expiry::StuckClosing
                                                                    : Expiry::None;
        if (m_busy || m_socket->state() != QAbstractSocket::ConnectedState)
            return Expiry::None;
        switch (m_framer.phase()) {
        case HttpFramer::Phase::Idle:
            // A connection that never speaks gets the header deadline, not the longer idle
            // time, and so does an upgrade QtHttpServer did not take. Neither counts as a
            // refusal: browsers open connections they may never use.
            if (m_firstRequest || m_upgradePending)
                return now - m_phaseStart > m_guard->headerDeadline() ? Expiry::Idle : Expiry::None;
            return now - m_lastActivity > m_guard->idleTimeout() ? Expiry::Idle : Expiry::None;
        case HttpFramer::Phase::Head:
            return now - m_phaseStart > m_guard->headerDeadline() ? Expiry::HeadTimeout
                                                                  : Expiry::None;
        case HttpFramer::Phase::Body:
            return now - m_lastActivity > m_guard->idleTimeout() ? Expiry::BodyStalled
                                                                 : Expiry::None;
        case HttpFramer::Phase::Complete:
        case HttpFramer::Phase::Rejected:
            break;
        }
        return Expiry::None;
    }

    void expire(Expiry expiry)
    {
        switch (expiry) {
        case Expiry::None:
            return;
        case Expiry::StuckClosing:
            // The client does not read the refusal: stop waiting for the write buffer.
            m_socket->abort();
            return;
        case Expiry::HeadTimeout:
            emit m_guard->rejected(408, u"The request head did not arrive in time."_s);
            break;
        case Expiry::BodyStalled:
            emit m_guard->rejected(408, u"The request body stopped arriving."_s);
            break;
        case Expiry::Idle:
            break;
        }
        startClosing();
    }

    void setBusy(bool busy)
    {
        m_busy = busy;
        if (busy)
            return;
        m_lastActivity = Clock::now();
        if (!m_keepAlive)
            startClosing();
    }

    bool keepAlive() const { return m_keepAlive; }
    bool upgradePending() const { return m_upgradePending; }

    std::optional<QVariant> takeIdentity()
    {
        std::optional<QVariant> identity = std::move(m_identity);
        m_identity.reset();
        m_upgradePending = false;
        // From here on the socket speaks WebSocket; QWebSocket has its own limits.
        disconnect(m_socket, &QTcpSocket::readyRead, this, &SocketWatcher::onReadyRead);
        m_guard->unwatch(this);
        m_guard = nullptr;
        return identity;
    }

    QTcpSocket *socket() const { return m_socket; }
    // Kept from the start: the destructor runs when the socket is half destroyed.
    const ConnectionGuard::Endpoint &endpoint() const { return m_endpoint; }

private:
    friend class ConnectionGuard;

    void onReadyRead()
    {
        // QtHttpServer reads everything available in its own readyRead slot, which runs after
        // this one: what is available now is exactly the chunk that just arrived.
        const qint64 available = m_socket->bytesAvailable();
        if (available <= 0)
            return;
        if (m_closing || m_discarding) {
            m_socket->skip(available);
            return;
        }
        const Clock::time_point now = Clock::now();
        m_lastActivity = now;
        if (m_busy) {
            // A response is still being written (or not yet): QtHttpServer 6.4 would start on
            // this request at once and interleave the answers.
            refuse(400, u"Pipelined requests are not supported."_s);
            return;
        }
        if (m_framer.phase() == HttpFramer::Phase::Idle && !m_firstRequest)
            m_phaseStart = now;

        const QByteArray chunk = m_socket->peek(available);
        const HttpFrameVerdict verdict = m_framer.feed(chunk);
        if (verdict.kind == HttpFrameVerdict::Kind::Reject) {
            refuse(verdict.status, verdict.reason);
            return;
        }
        const bool complete = verdict.kind == HttpFrameVerdict::Kind::RequestComplete;
        if (complete && verdict.consumed < chunk.size()) {
            // QtHttpServer 6.4 mishandles several requests in one read; refusing them all
            // also leaves no room for smuggling.
            refuse(400, u"Pipelined requests are not supported."_s);
            return;
        }
        if (verdict.head && !acceptHead(*verdict.head))
            return;
        if (complete) {
            m_framer.reset();
            m_firstRequest = false;
        }
    }

    bool acceptHead(const HttpRequestHead &head)
    {
        m_keepAlive = head.keepAlive;
        if (head.isWebSocketUpgrade) {
            std::optional<QVariant> identity;
            if (m_guard->m_authorizer)
                identity = m_guard->m_authorizer(head);
            if (!identity) {
                refuse(401, u"Authentication is required to open a WebSocket."_s);
                return false;
            }
            m_identity = std::move(identity);
            m_upgradePending = true;
            m_phaseStart = Clock::now();
            m_guard->m_upgrades.insert(endpoint(), this);
            return true;
        }
        // QtHttpServer 6.4 never sends the interim answer, so a client that waits for it
        // would stall for its own timeout before sending the body.
        if (head.expectContinue && m_framer.phase() == HttpFramer::Phase::Body)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        return true;
    }

    void refuse(int status, const QString &reason)
    {
        // QtHttpServer must never parse these bytes.
        m_socket->skip(m_socket->bytesAvailable());
        qCInfo(lcHttp).noquote() << "refused a request from" << m_endpoint.first.toString()
                                 << status << reason;
        const QPointer<SocketWatcher> self(this);
        emit m_guard->rejected(status, reason);
        if (!self)
            return;
        m_keepAlive = false;
        if (m_busy) {
            // An answer is on its way; a second one would be read as its continuation. Close
            // once it is written (setBusy(false)).
            m_discarding = true;
            return;
        }
        m_socket->write(refusal(status, reason));
        startClosing(Linger::UntilClientCloses);
    }

    enum class Linger { No, UntilClientCloses };

    void startClosing(Linger linger = Linger::No)
    {
        if (m_closing)
            return;
        m_closing = true;
        m_closingSince = Clock::now();
        if (linger == Linger::No) {
            // Sends what is buffered first; read notifications stop.
            m_socket->disconnectFromHost();
            return;
        }
        // A client refused mid-upload is still sending. Closing with its bytes unread makes
        // the kernel answer with a reset, which clients report instead of the refusal: end our
        // side once the refusal is out, drop what still arrives (onReadyRead skips it), and
        // let the client close; the closing deadline aborts one that never does.
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] { endWritingWhenFlushed(); });
        endWritingWhenFlushed();
    }

    void endWritingWhenFlushed()
    {
        if (m_socket->bytesToWrite() > 0 || m_writeEnded)
            return;
        m_writeEnded = true;
        shutdownWrite(m_socket->socketDescriptor());
    }

    ConnectionGuard *m_guard; // null once the guard is gone or the socket was upgraded
    QTcpSocket *m_socket;
    ConnectionGuard::Endpoint m_endpoint;
    HttpFramer m_framer;
    Clock::time_point m_phaseStart;   // connect, the request's first byte, or the upgrade
    Clock::time_point m_lastActivity; // last byte received or last answer finished
    Clock::time_point m_closingSince;
    std::optional<QVariant> m_identity;
    bool m_firstRequest = true;
    bool m_busy = false;
    bool m_keepAlive = true;
    bool m_closing = false;
    bool m_writeEnded = false;
    bool m_discarding = false;
    bool m_upgradePending = false;
};

ConnectionGuard::ConnectionGuard(HttpLimits limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{
    // The default of 50 drops connections under a burst of clients.
    setListenBacklogSize(1024);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::checkDeadlines);
    setTimeouts(m_headerDeadline, m_idle);
}

ConnectionGuard::~ConnectionGuard()
{
    // The sockets (and their watchers) are deleted after this, by ~QObject.
    for (SocketWatcher *watcher : std::as_const(m_watchers))
        watcher->m_guard = nullptr;
}

void ConnectionGuard::setTimeouts(std::chrono::milliseconds headerDeadline,
                                  std::chrono::milliseconds idle)
{
    m_headerDeadline = headerDeadline;
    m_idle = idle;
    // One coarse timer for every connection: a deadline is met within a quarter of it, and a
    // thousand sockets cost one walk over a set per tick instead of a thousand timers.
    const auto tick = std::clamp(std::min(headerDeadline, idle) / 4, std::chrono::milliseconds(20),
                                 std::chrono::milliseconds(1000));
    m_timer.setInterval(tick);
}

void ConnectionGuard::setUpgradeAuthorizer(UpgradeAuthorizer authorizer)
{
    m_authorizer = std::move(authorizer);
}

std::optional<QVariant> ConnectionGuard::takeUpgradeIdentity(const QHostAddress &peer,
                                                             quint16 peerPort)
{
    SocketWatcher *watcher = m_upgrades.take({peer, peerPort});
    if (!watcher)
        return std::nullopt;
    return watcher->takeIdentity();
}

QTcpSocket *ConnectionGuard::upgradingSocket(const QHostAddress &peer, quint16 peerPort) const
{
    const SocketWatcher *watcher = m_upgrades.value({peer, peerPort});
    return watcher ? watcher->socket() : nullptr;
}

void ConnectionGuard::setBusy(QTcpSocket *socket, bool busy)
{
    if (SocketWatcher *watcher = SocketWatcher::of(socket))
        watcher->setBusy(busy);
}

bool ConnectionGuard::upgradePending(QTcpSocket *socket)
{
    const SocketWatcher *watcher = SocketWatcher::of(socket);
    return watcher && watcher->upgradePending();
}

bool ConnectionGuard::keepAlive(QTcpSocket *socket)
{
    const SocketWatcher *watcher = SocketWatcher::of(socket);
    return !watcher || watcher->keepAlive();
}

void ConnectionGuard::incomingConnection(qintptr socketDescriptor)
{
    QTcpSocket *socket = nullptr;
    if (m_tls) {
        auto *tlsSocket = new QSslSocket(this);
        tlsSocket->setSslConfiguration(*m_tls);
        socket = tlsSocket;
    } else {
        socket = new QTcpSocket(this);
    }
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        qCWarning(lcHttp) << "cannot take an accepted connection:" << socket->errorString();
        delete socket;
        return;
    }
    // Streamed replies are many small writes: without this, Nagle + delayed ACK stall 40 ms.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Before addPendingConnection(): QtHttpServer connects its readyRead slot from the signal
    // that emits, and the watcher must run first.
    new SocketWatcher(socket, this);
    if (m_tls)
        static_cast<QSslSocket *>(socket)->startServerEncryption();
    addPendingConnection(socket);
}

void ConnectionGuard::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tls = std::make_unique<QSslConfiguration>(configuration);
}

void ConnectionGuard::watch(SocketWatcher *watcher)
{
    m_watchers.insert(watcher);
    updateTimer();
}

void ConnectionGuard::unwatch(SocketWatcher *watcher)
{
    m_watchers.remove(watcher);
    // Only remove the entry if it is this watcher's: the endpoint may belong to a newer one.
    const auto it = m_upgrades.constFind(watcher->endpoint());
    if (it != m_upgrades.cend() && it.value() == watcher)
        m_upgrades.erase(it);
    updateTimer();
}

void ConnectionGuard::checkDeadlines()
{
    const Clock::time_point now = Clock::now();
    // Closing a socket emits signals whose receivers may delete other sockets: decide first,
    // then act on the watchers that still exist.
    QList<std::pair<QPointer<SocketWatcher>, SocketWatcher::Expiry>> expired;
    for (SocketWatcher *watcher : std::as_const(m_watchers)) {
        const SocketWatcher::Expiry expiry = watcher->expiry(now);
        if (expiry != SocketWatcher::Expiry::None)
            expired.append({watcher, expiry});
    }
    for (const auto &[watcher, expiry] : std::as_const(expired)) {
        if (watcher)
            watcher->expire(expiry);
    }
}

void ConnectionGuard::updateTimer()
{
    if (m_watchers.isEmpty())
        m_timer.stop();
    else if (!m_timer.isActive())
        m_timer.start();
}

} // namespace confab

#include "connectionguard.moc"
