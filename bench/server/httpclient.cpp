#include "httpclient.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

namespace confab::bench {

namespace {

const QElapsedTimer &clock()
{
    static const QElapsedTimer timer = [] {
        QElapsedTimer started;
        started.start();
        return started;
    }();
    return timer;
}

} // namespace

qint64 nowNs()
{
    return clock().nsecsElapsed();
}

HttpConnection::HttpConnection(quint16 port, QObject *parent)
    : QObject(parent)
    , m_socket(new QTcpSocket(this))
    , m_port(port)
{
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        ++m_connects;
        emit connected();
        if (!m_pendingWrite.isEmpty()) {
            m_socket->write(m_pendingWrite);
            m_pendingWrite.clear();
        }
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket->state() != QAbstractSocket::ConnectedState && m_busy)
            finish(QStringLiteral("socket: ") + m_socket->errorString());
    });
}

HttpConnection::~HttpConnection()
{
    m_onData = nullptr;
    m_onDone = nullptr;
}

void HttpConnection::open()
{
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        m_socket->connectToHost(QHostAddress::LocalHost, m_port);
}

bool HttpConnection::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::send(const HttpRequest &request, DataHandler onData, DoneHandler onDone)
{
    Q_ASSERT(!m_busy);
    m_busy = true;
    m_onData = std::move(onData);
    m_onDone = std::move(onDone);
    m_keepBody = request.keepBody;
    m_headRequest = request.method == "HEAD";
    m_response = {};
    m_in.clear();
    m_parse = Parse::Head;
    m_closeAfter = false;

    QByteArray bytes = request.method + ' ' + request.target
        + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n";
    for (const auto &[name, value] : request.headers)
        bytes += name + ": " + value + "\r\n";
    if (!request.body.isEmpty() || request.method == "POST" || request.method == "PUT"
        || request.method == "PATCH")
        bytes += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    bytes += "\r\n";
    bytes += request.body;

    m_response.sentNs = nowNs();
    if (isConnected()) {
        m_socket->write(bytes);
    } else {
        m_pendingWrite = bytes;
        open();
    }
}

void HttpConnection::abort()
{
    m_pendingWrite.clear();
    m_socket->abort();
    if (m_busy)
        finish(QStringLiteral("aborted"));
}

void HttpConnection::onReadyRead()
{
    const qint64 at = nowNs();
    m_in.append(m_socket->readAll());
    if (!m_busy) {
        m_in.clear(); // nothing asked: a stray byte (or the server's close notice)
        return;
    }
    while (m_busy && parse(at)) {}
}

void HttpConnection::onDisconnected()
{
    if (!m_busy)
        return;
    if (m_parse == Parse::Body && m_body == Body::UntilClose) {
        finish({});
        return;
    }
    finish(m_parse == Parse::Head && m_in.isEmpty()
               ? QStringLiteral("connection closed before the response")
               : QStringLiteral("connection closed mid-response"));
}

// One step of parsing; false when more bytes are needed.
bool HttpConnection::parse(qint64 atNs)
{
    switch (m_parse) {
    case Parse::Idle:
        return false;
    case Parse::Head: {
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        m_response.headersNs = atNs;
        const QList<QByteArray> lines = m_in.first(end).split('\n');
        m_in.remove(0, end + 4);
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        m_response.status = statusLine.value(1).toInt();
        qint64 length = -1;
        bool chunked = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray &line = lines.at(i);
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.first(colon).trimmed().toLower();
            const QByteArray value = line.sliced(colon + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong();
            else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
                chunked = true;
            else if (name == "connection" && value.toLower() == "close")
                m_closeAfter = true;
        }
        if (m_response.status / 100 == 1) { // 100 Continue and friends: another head follows
            return true;
        }
        if (m_headRequest || m_response.status == 204 || m_response.status == 304) {
            m_body = Body::None;
            finish({});
            return false;
        }
        if (chunked) {
            m_body = Body::Chunked;
            m_parse = Parse::ChunkSize;
        } else if (length >= 0) {
            m_body = Body::Length;
            m_remaining = length;
            m_parse = Parse::Body;
            if (length == 0) {
                finish({});
                return false;
            }
        } else {
            m_body = Body::UntilClose;
            m_parse = Parse::Body;
        }
        return true;
    }
    case Parse::Body: {
        if (m_in.isEmpty())
            return false;
        if (m_body == Body::UntilClose) {
            deliver(m_in, atNs);
            m_in.clear();
            return false;
        }
        const qsizetype take = qsizetype(qMin<qint64>(m_remaining, m_in.size()));
        deliver(QByteArrayView(m_in).first(take), atNs);
        m_in.remove(0, take);
        m_remaining -= take;
        if (m_remaining == 0) {
            finish({});
            return false;
        }
        return true;
    }
    case Parse::ChunkSize: {
        const qsizetype end = m_in.indexOf("\r\n");
        if (end < 0)
            return false;
        QByteArray sizeText = m_in.first(end);
        if (const qsizetype semicolon = sizeText.indexOf(';'); semicolon >= 0)
            sizeText.truncate(semicolon);
        bool ok = false;
        const qint64 size = sizeText.trimmed().toLongLong(&ok, 16);
        m_in.remove(0, end + 2);
        if (!ok || size < 0) {
            finish(QStringLiteral("bad chunk size"));
            return false;
        }
        m_remaining = size;
        m_parse = size == 0 ? Parse::Trailers : Parse::ChunkData;
        return true;
    }
    case Parse::ChunkData: {
        if (m_in.isEmpty())
            return false;
        const qsizetype take = qsizetype(qMin<qint64>(m_remaining, m_in.size()));
        deliver(QByteArrayView(m_in).first(take), atNs);
        m_in.remove(0, take);
        m_remaining -= take;
        if (m_remaining == 0)
            m_parse = Parse::ChunkEnd;
        return true;
    }
    case Parse::ChunkEnd:
        if (m_in.size() < 2)
            return false;
        m_in.remove(0, 2);
        m_parse = Parse::ChunkSize;
        return true;
    case Parse::Trailers: {
        const qsizetype end = m_in.indexOf("\r\n");
        if (end < 0)
            return false;
        m_in.remove(0, end + 2);
        if (end == 0) {
            finish({});
            return false;
        }
        return true;
    }
    }
    return false;
}

void HttpConnection::deliver(QByteArrayView data, qint64 atNs)
{
    if (m_keepBody)
        m_response.body.append(data);
    if (m_onData)
        m_onData(data, atNs);
}

void HttpConnection::finish(const QString &error)
{
    if (!m_busy)
        return;
    m_busy = false;
    m_parse = Parse::Idle;
    m_response.error = error;
    m_response.doneNs = nowNs();
    if (!error.isEmpty() || m_closeAfter)
        m_socket->abort();
    DoneHandler done = std::move(m_onDone);
    m_onDone = nullptr;
    m_onData = nullptr;
    const HttpResponse response = std::move(m_response);
    m_response = {};
    if (done)
        done(response);
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    QElapsedTimer elapsed;
    elapsed.start();
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || elapsed.elapsed() >= timeoutMs)
            loop.quit();
    });
    poll.start(5);
    loop.exec();
    return done();
}

void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace confab::bench
