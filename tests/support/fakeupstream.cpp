#include "fakeupstream.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr qsizetype MaxHeaderBlock = 64 * 1024;
constexpr qint64 MaxRequestBody = 16 * 1024 * 1024;
// Generated streams stop writing while this much is still queued in the socket, so a
// million-token benchmark stream does not sit in memory at once.
constexpr qint64 HighWater = 1024 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

// The words generated streams are made of: English and Chinese, like real answers.
const QList<QByteArray> &generatedEvents(const QString &token, const QString &model)
{
    static QHash<QString, QList<QByteArray>> cache;
    const QString key = token + u'\n' + model;
    auto it = cache.find(key);
    if (it == cache.end()) {
        const QStringList words = token.isEmpty()
            ? QStringList{u"Hello"_s,      u" world"_s, u", "_s,       u"你好"_s, u"世界"_s,
                          u" streaming"_s, u"，中文"_s, u" tokens."_s, u"\n"_s}
            : QStringList{token};
        QList<QByteArray> events;
        for (const QString &word : words)
            events.append(FakeResponse::chatChunkEvent(word, {}, model));
        it = cache.insert(key, events);
    }
    return *it;
}

} // namespace

// ---- FakeRequest

QByteArray FakeRequest::path() const
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.left(query);
}

QByteArray FakeRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject FakeRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QJsonObject FakeRequest::toJson() const
{
    QJsonObject headerObject;
    for (const auto &[key, value] : headers)
        headerObject.insert(QString::fromLatin1(key.toLower()), QString::fromUtf8(value));
    const QJsonDocument document = QJsonDocument::fromJson(body);
    return {{u"method"_s, QString::fromLatin1(method)},
            {u"target"_s, QString::fromUtf8(target)},
            {u"headers"_s, headerObject},
            {u"body"_s, QString::fromUtf8(body)},
            {u"json"_s, document.isObject() ? QJsonValue(document.object()) : QJsonValue()},
            {u"received_ms"_s, receivedMs}};
}

// ---- FakeConnection: one client connection, reading requests and playing responses.

class FakeConnection final : public QObject
{
public:
    FakeConnection(QTcpSocket *socket, FakeUpstream *upstream)
        : QObject(upstream)
        , m_socket(socket)
        , m_upstream(upstream)
    {
        m_socket->setParent(this);
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [this] { onTimer(); });
        connect(m_socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
            if (m_state == State::Streaming && !m_timer.isActive()
                && m_socket->bytesToWrite() < HighWater)
                pump();
        });
        connect(m_socket, &QTcpSocket::disconnected, this, [this] { close(); });
        m_upstream->connectionOpened();
    }

    ~FakeConnection() override
    {
        if (!m_closed)
            m_upstream->connectionClosed();
    }

private:
    enum class State { Reading, HeaderDelay, Streaming, Stalled, Closing };

    void close()
    {
        if (m_closed)
            return;
        m_closed = true;
        m_state = State::Closing;
        m_timer.stop();
        m_upstream->connectionClosed();
        deleteLater();
    }

    void onReadyRead()
    {
        m_in.append(m_socket->readAll());
        if (m_state == State::Reading)
            readRequest();
        // In any other state, bytes are kept for the next request on this connection.
    }

    void readRequest()
    {
        const qsizetype headerEnd = m_in.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            if (m_in.size() > MaxHeaderBlock)
                respondAndClose(431, "header block too large");
            return;
        }

        FakeRequest request;
        const QList<QByteArray> lines = m_in.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
            respondAndClose(400, "bad request line");
            return;
        }
        request.method = requestLine.at(0);
        request.target = requestLine.at(1);
        qint64 contentLength = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0) {
                respondAndClose(400, "bad header line");
                return;
            }
            const QByteArray name = line.left(colon).trimmed();
            const QByteArray value = line.mid(colon + 1).trimmed();
            request.headers.append({name, value});
            if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
                bool ok = false;
                contentLength = value.toLongLong(&ok);
                if (!ok || contentLength < 0 || contentLength > MaxRequestBody) {
                    respondAndClose(413, "bad Content-Length");
                    return;
                }
            } else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
                respondAndClose(501, "chunked request bodies are not supported");
                return;
            }
        }
        const qsizetype bodyStart = headerEnd + 4;
        if (m_in.size() < bodyStart + contentLength)
            return; // the body is still coming
        request.body = m_in.mid(bodyStart, contentLength);
        m_in.remove(0, bodyStart + contentLength);
        m_clientWantsClose
            = request.header("Connection").compare("close", Qt::CaseInsensitive) == 0;

        if (std::optional<FakeResponse> reply = m_upstream->control(request)) {
            start(std::move(*reply));
            return;
        }
        request.receivedMs = m_upstream->m_clock.elapsed();
        m_upstream->m_requests.append(request);
        FakeResponse response = m_upstream->route(request);
        emit m_upstream->requestReceived(request);
        start(std::move(response));
    }

    void start(FakeResponse response)
    {
        m_response = std::move(response);
        m_eventsSent = 0;
        m_bodyBytes = 0;
        m_current.clear();
        m_offset = 0;
        m_generated = 0;
        m_needEventPause = false;
        if (m_response.kind == FakeResponse::Kind::StallBeforeHeaders) {
            m_state = State::Stalled;
            return;
        }
        if (m_response.headerDelay.count() > 0) {
            m_state = State::HeaderDelay;
            m_timer.start(m_response.headerDelay);
            return;
        }
        sendHead();
    }

    void onTimer()
    {
        if (m_state == State::HeaderDelay)
            sendHead();
        else if (m_state == State::Streaming)
            pump();
    }

    bool streams() const { return m_response.kind != FakeResponse::Kind::Fixed; }

    void sendHead()
    {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(m_response.status) + ' '
            + reasonPhrase(m_response.status) + "\r\n";
        head += "Content-Type: " + m_response.contentType + "\r\n";
        if (streams())
            head += "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n";
        else
            head += "Content-Length: " + QByteArray::number(m_response.body.size()) + "\r\n";
        if (m_clientWantsClose)
            head += "Connection: close\r\n";
        for (const auto &[name, value] : m_response.headers)
            head += name + ": " + value + "\r\n";
        head += "\r\n";
        m_socket->write(head);

        if (!streams()) {
            QByteArrayView body = m_response.body;
            if (m_response.dropAtByte >= 0 && m_response.dropAtByte < body.size()) {
                m_socket->write(body.first(m_response.dropAtByte).toByteArray());
                drop();
                return;
            }
            m_socket->write(m_response.body);
            finishResponse();
            return;
        }
        m_state = State::Streaming;
        pump();
    }

    // The next piece of the body, or nullopt at its end.
    std::optional<QByteArray> nextEvent()
    {
        switch (m_response.kind) {
        case FakeResponse::Kind::Events:
            if (m_eventsSent < m_response.events.size())
                return m_response.events.at(m_eventsSent);
            return std::nullopt;
        case FakeResponse::Kind::KeepAlive:
            return QByteArray(": keep-alive\n\n");
        case FakeResponse::Kind::Generated: {
            const int n = m_generated++;
            if (n < m_response.tokenCount) {
                const auto &events = generatedEvents(m_response.token, m_response.model);
                return events.at(n % events.size());
            }
            if (n == m_response.tokenCount)
                return FakeResponse::chatChunkEvent({}, u"stop"_s, m_response.model);
            if (n == m_response.tokenCount + 1) {
                const Usage usage{10, m_response.tokenCount, 10 + m_response.tokenCount};
                const QJsonObject chunk{{u"id"_s, u"chatcmpl-fake"_s},
                                        {u"object"_s, u"chat.completion.chunk"_s},
                                        {u"model"_s, m_response.model},
                                        {u"choices"_s, QJsonArray()},
                                        {u"usage"_s, usage.toJson()}};
                return "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n";
            }
            if (n == m_response.tokenCount + 2)
                return QByteArray("data: [DONE]\n\n");
            return std::nullopt;
        }
        default:
            return std::nullopt;
        }
    }

    // Writes the stream as its script says: event by event, in writes of writeSize bytes,
    // pausing, stalling or dropping where asked. Runs again from the timer or bytesWritten.
    void pump()
    {
        while (m_state == State::Streaming) {
            if (m_socket->bytesToWrite() >= HighWater)
                return; // resumed by bytesWritten

            if (m_offset >= m_current.size()) {
                if (!m_current.isEmpty()) {
                    ++m_eventsSent;
                    m_current.clear();
                    m_needEventPause = true;
                }
                if (m_eventsSent == m_response.stallAtEvent) {
                    m_state = State::Stalled;
                    return;
                }
                if (m_eventsSent == m_response.dropAtEvent) {
                    drop();
                    return;
                }
                std::optional<QByteArray> next = nextEvent();
                if (!next) {
                    m_socket->write("0\r\n\r\n");
                    finishResponse();
                    return;
                }
                m_current = std::move(*next);
                m_offset = 0;
                if (m_needEventPause && m_response.eventInterval.count() > 0) {
                    m_needEventPause = false;
                    m_timer.start(m_response.eventInterval);
                    return;
                }
                m_needEventPause = false;
            }

            qsizetype size = m_current.size() - m_offset;
            if (m_response.writeSize > 0)
                size = std::min<qsizetype>(size, m_response.writeSize);
            if (m_response.dropAtByte >= 0)
                size = std::min<qsizetype>(size, m_response.dropAtByte - m_bodyBytes);
            if (size <= 0) {
                drop();
                return;
            }
            const QByteArrayView piece = QByteArrayView(m_current).sliced(m_offset, size);
            m_socket->write(QByteArray::number(size, 16) + "\r\n" + piece + "\r\n");
            m_offset += size;
            m_bodyBytes += size;
            if (m_response.dropAtByte >= 0 && m_bodyBytes >= m_response.dropAtByte) {
                drop();
                return;
            }
            if (m_response.writeDelay.count() > 0 && m_offset < m_current.size()) {
                m_timer.start(m_response.writeDelay);
                return;
            }
        }
    }

    // The connection ends mid-body: what a crashed provider or a broken network looks like
    // to the client. Bytes already written still go out first.
    void drop()
    {
        m_state = State::Closing;
        m_timer.stop();
        m_socket->disconnectFromHost();
    }

    void finishResponse()
    {
        if (m_clientWantsClose) {
            drop();
            return;
        }
        m_state = State::Reading;
        if (!m_in.isEmpty()) // a next request already waiting
            QTimer::singleShot(0, this, [this] {
                if (m_state == State::Reading)
                    readRequest();
            });
    }

    void respondAndClose(int status, const QByteArray &why)
    {
        m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
                        + "\r\nContent-Type: text/plain\r\nContent-Length: "
                        + QByteArray::number(why.size()) + "\r\nConnection: close\r\n\r\n" + why);
        drop();
    }

    QTcpSocket *m_socket;
    FakeUpstream *m_upstream;
    QTimer m_timer;
    QByteArray m_in;
    State m_state = State::Reading;
    FakeResponse m_response;
    QByteArray m_current; // the event being written
    qsizetype m_offset = 0;
    int m_eventsSent = 0;
    int m_generated = 0;
    qint64 m_bodyBytes = 0;
    bool m_needEventPause = false;
    bool m_clientWantsClose = false;
    bool m_closed = false;
};

// ---- FakeUpstream

FakeUpstream::FakeUpstream(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection())
            new FakeConnection(socket, this);
    });
}

FakeUpstream::~FakeUpstream()
{
    m_server.close();
    // Connections are children, but their destructors report back to us: delete them while
    // we are still whole.
    const auto connections = findChildren<FakeConnection *>(Qt::FindDirectChildrenOnly);
    for (FakeConnection *connection : connections)
        delete connection;
}

bool FakeUpstream::listen(const QHostAddress &address, quint16 port)
{
    return m_server.listen(address, port);
}

quint16 FakeUpstream::port() const
{
    return m_server.serverPort();
}

QUrl FakeUpstream::baseUrl() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    const QHostAddress address = m_server.serverAddress();
    url.setHost(address.isNull() || address == QHostAddress::Any || address == QHostAddress::AnyIPv6
                    ? u"127.0.0.1"_s
                    : address.toString());
    url.setPort(port());
    url.setPath(u"/v1"_s);
    return url;
}

void FakeUpstream::enqueue(FakeResponse response, Endpoint endpoint)
{
    (endpoint == Endpoint::Models ? m_modelsQueue : m_chatQueue).enqueue(std::move(response));
}

int FakeUpstream::queued(Endpoint endpoint) const
{
    return int((endpoint == Endpoint::Models ? m_modelsQueue : m_chatQueue).size());
}

void FakeUpstream::setDefaultResponse(std::optional<FakeResponse> response)
{
    m_defaultResponse = std::move(response);
}

void FakeUpstream::setRequiredApiKey(const QString &key)
{
    m_requiredKey = key;
}

void FakeUpstream::setModels(const QStringList &ids)
{
    m_models = ids;
}

bool FakeUpstream::waitForRequests(int count, int timeoutMs)
{
    if (requestCount() >= count)
        return true;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &FakeUpstream::requestReceived, &loop, [&] {
        if (requestCount() >= count)
            loop.quit();
    });
    timeout.start(timeoutMs);
    loop.exec();
    return requestCount() >= count;
}

bool FakeUpstream::waitForOpenConnections(int count, int timeoutMs)
{
    if (m_openConnections == count)
        return true;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &FakeUpstream::connectionsChanged, &loop, [&](int open) {
        if (open == count)
            loop.quit();
    });
    timeout.start(timeoutMs);
    loop.exec();
    return m_openConnections == count;
}

void FakeUpstream::connectionOpened()
{
    emit connectionsChanged(++m_openConnections);
}

void FakeUpstream::connectionClosed()
{
    emit connectionsChanged(--m_openConnections);
}

FakeResponse FakeUpstream::route(const FakeRequest &request)
{
    const QByteArray path = request.path();
    const bool chat = request.method == "POST" && path.endsWith("/chat/completions");
    const bool models = request.method == "GET" && path.endsWith("/models");
    if (!chat && !models)
        return FakeResponse::error(404,
                                   u"no route for %1 %2"_s.arg(QString::fromLatin1(request.method),
                                                               QString::fromUtf8(path)));

    if (!m_requiredKey.isEmpty()
        && request.header("Authorization") != "Bearer " + m_requiredKey.toUtf8()) {
        FakeResponse unauthorized = FakeResponse::error(401, u"Incorrect API key provided."_s);
        return unauthorized;
    }

    if (models)
        return m_modelsQueue.isEmpty() ? FakeResponse::models(m_models) : m_modelsQueue.dequeue();
    if (!m_chatQueue.isEmpty())
        return m_chatQueue.dequeue();
    if (m_defaultResponse)
        return *m_defaultResponse;
    if (request.json().value("stream"_L1).toBool())
        return *FakeResponse::fromSpec(u"stream");
    return FakeResponse::completion(u"Hello from the fake upstream."_s);
}

std::optional<FakeResponse> FakeUpstream::control(const FakeRequest &request)
{
    const QByteArray path = request.path();
    if (!path.startsWith("/__fake/"))
        return std::nullopt;

    if (path == "/__fake/requests" && request.method == "GET") {
        QJsonArray list;
        for (const FakeRequest &recorded : std::as_const(m_requests))
            list.append(recorded.toJson());
        return FakeResponse::json({{u"requests"_s, list}});
    }
    if (path == "/__fake/requests" && request.method == "DELETE") {
        m_requests.clear();
        return FakeResponse::text(204, {});
    }
    if (path == "/__fake/stats" && request.method == "GET") {
        return FakeResponse::json({{u"open_connections"_s, m_openConnections},
                                   {u"requests"_s, requestCount()},
                                   {u"queued"_s, queued()},
                                   {u"queued_models"_s, queued(Endpoint::Models)}});
    }
    if (path == "/__fake/enqueue" && request.method == "POST") {
        const QUrlQuery query(QUrl::fromEncoded(request.target).query());
        const Endpoint endpoint = query.queryItemValue(u"endpoint"_s) == "models"_L1
            ? Endpoint::Models
            : Endpoint::ChatCompletions;
        QList<FakeResponse> parsed;
        const QStringList lines = QString::fromUtf8(request.body).split(u'\n', Qt::SkipEmptyParts);
        for (const QString &line : lines) {
            if (line.trimmed().isEmpty())
                continue;
            QString error;
            auto response = FakeResponse::fromSpec(line, &error);
            if (!response)
                return FakeResponse::error(400, error);
            parsed.append(*response);
        }
        for (FakeResponse &response : parsed)
            enqueue(std::move(response), endpoint);
        return FakeResponse::json({{u"queued"_s, int(parsed.size())}});
    }
    return FakeResponse::error(404, u"unknown control route"_s);
}

} // namespace confab
