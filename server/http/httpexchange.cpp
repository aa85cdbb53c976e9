#include "httpexchange.h"

#include "common/logging.h"
#include "http/connectionguard.h"
#include "http/httpserver.h"
#include "http/httpstatus.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    case QHttpServerRequest::Method::Unknown:
    case QHttpServerRequest::Method::AnyKnown:
        break;
    }
    return "UNKNOWN";
}

// Deeper than the limit, outside strings; checked before parsing so the parser never
// recurses that far.
bool nestsDeeperThan(QByteArrayView json, int limit)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : json) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > limit)
                return true;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return false;
}

// A header an app passes must not be able to end the head early (response splitting).
bool isSafeHeader(const std::pair<QByteArray, QByteArray> &header)
{
    const auto unsafe = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
    return !header.first.isEmpty() && std::none_of(header.first.begin(), header.first.end(), unsafe)
        && std::none_of(header.second.begin(), header.second.end(), unsafe);
}

QByteArray compactJson(const QJsonDocument &document)
{
    return document.toJson(QJsonDocument::Compact);
}

} // namespace

// --- ResponseStream ---

ResponseStream::ResponseStream(HttpExchange *exchange, QTcpSocket *socket, bool alive)
    : m_exchange(exchange)
    , m_socket(socket)
    , m_finished(!alive)
{
    if (!alive || !socket)
        return;
    connect(socket, &QAbstractSocket::disconnected, this, &ResponseStream::onGone);
    connect(socket, &QAbstractSocket::errorOccurred, this, &ResponseStream::onGone);
    connect(socket, &QObject::destroyed, this, &ResponseStream::onGone);
}

ResponseStream::~ResponseStream() = default;

bool ResponseStream::isAlive() const
{
    return !m_finished && !m_gone && m_socket
        && m_socket->state() == QAbstractSocket::ConnectedState;
}

bool ResponseStream::write(const QByteArray &data)
{
    if (!isAlive())
        return false;
    if (data.isEmpty())
        return true;
    // Qt 6.4 has no chunked writer (6.8's writeChunk); the framing is this simple.
    m_socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    return true;
}

void ResponseStream::finish()
{
    if (m_finished)
        return;
    const bool alive = isAlive();
    m_finished = true;
    if (alive)
        m_socket->write("0\r\n\r\n");
    m_exchange->complete(m_exchange->m_status);
}

void ResponseStream::detach()
{
    m_exchange = nullptr;
    m_finished = true;
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
}

void ResponseStream::onGone()
{
    if (m_gone || m_finished)
        return;
    m_gone = true;
    emit clientGone();
    m_exchange->complete(m_exchange->m_status);
}

// --- HttpExchange ---

HttpExchange::HttpExchange(HttpServer *server, const QHttpServerRequest &request,
                           QTcpSocket *socket)
    : m_server(server)
    , m_socket(socket)
    , m_method(methodName(request.method()))
    , m_url(request.url())
    , m_body(request.body())
    , m_peerAddress(socket->peerAddress())
    , m_peerPort(socket->peerPort())
{
    m_elapsed.start();
    const auto headers = request.headers();
    m_headers.reserve(headers.size());
    for (const auto &[name, value] : headers)
        m_headers.append({name, value});
    ConnectionGuard::setBusy(socket, true);
}

HttpExchange::~HttpExchange()
{
    if (!m_replied) {
        qCWarning(lcHttp).noquote() << "no answer to" << m_method << path() << "- sending 500";
        replyError(500, u"internal"_s, u"The server failed to answer the request."_s);
    } else if (m_stream && m_stream->isAlive()) {
        // Ending the chunked body here would make a cut-off stream look complete; closing
        // the connection makes it an error the client can see. Whoever listened for
        // clientGone dropped the exchange, so the stream no longer reports it.
        qCWarning(lcHttp).noquote() << "stream of" << m_method << path() << "dropped unfinished";
        m_stream->m_gone = true;
        m_socket->disconnectFromHost();
    }
    complete(m_status);
    if (m_stream) {
        // Not deleted here: the exchange often dies because an object the stream owns (a
        // timer, a connection's functor) let go of it, and deleting the stream would delete
        // that object again while it is being destroyed.
        m_stream->detach();
        m_stream.release()->deleteLater();
    }
}

QString HttpExchange::path() const
{
    return m_url.path(QUrl::FullyDecoded);
}

QString HttpExchange::pathParam(QStringView name) const
{
    return m_pathParams.value(name.toString());
}

QByteArray HttpExchange::header(QByteArrayView name) const
{
    for (const auto &[key, value] : m_headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

Result<QJsonObject> HttpExchange::jsonObject() const
{
    if (m_body.trimmed().isEmpty())
        return Error{ErrorCode::InvalidInput, u"The request body must be a JSON object."_s};
    if (nestsDeeperThan(m_body, MaxJsonDepth))
        return Error{ErrorCode::InvalidInput,
                     u"The request body nests deeper than %1 levels."_s.arg(MaxJsonDepth)};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(m_body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{
            ErrorCode::InvalidInput,
            u"The request body is not valid JSON: %1 at offset %2."_s.arg(parseError.errorString())
                .arg(parseError.offset)};
    if (!document.isObject())
        return Error{ErrorCode::InvalidInput, u"The request body must be a JSON object."_s};
    return document.object();
}

void HttpExchange::reply(int status, const QJsonObject &body, const HttpHeaderList &headers)
{
    replyBytes(status, compactJson(QJsonDocument(body)), "application/json", headers);
}

void HttpExchange::reply(int status, const QJsonArray &body)
{
    replyBytes(status, compactJson(QJsonDocument(body)), "application/json");
}

void HttpExchange::replyBytes(int status, const QByteArray &body, const QByteArray &contentType,
                              const HttpHeaderList &headers)
{
    if (claimReply("reply"))
        writeReply(status, body, contentType, headers);
}

void HttpExchange::replyError(int status, const QString &code, const QString &message,
                              const QJsonObject &extra, const HttpHeaderList &headers)
{
    QJsonObject error = extra;
    error.insert(u"code"_s, code);
    error.insert(u"message"_s, message);
    reply(status, QJsonObject{{u"error"_s, error}}, headers);
}

void HttpExchange::replyError(const Error &error)
{
    const HttpError answer = httpErrorFor(error);
    if (answer.status >= 500 && answer.code != "upstream_error"_L1)
        qCWarning(lcHttp).noquote() << m_method << path() << "failed:" << error.toString();
    replyError(answer.status, answer.code, answer.message);
}

bool HttpExchange::connectionAlive() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

ResponseStream *HttpExchange::startStream(int status, const HttpHeaderList &headers)
{
    if (m_stream)
        return m_stream.get();
    const bool claimed = claimReply("startStream");
    const bool alive = claimed && connectionAlive();
    m_stream.reset(new ResponseStream(this, m_socket, alive));
    if (!claimed)
        return m_stream.get();
    m_status = status;
    if (alive) {
        QByteArray head = headerBlock(status, headers);
        head += "Transfer-Encoding: chunked\r\n\r\n";
        m_socket->write(head);
    } else {
        complete(status);
    }
    return m_stream.get();
}

QVariant &HttpExchange::attribute(QByteArrayView key)
{
    return m_attributes[key.toByteArray()];
}

bool HttpExchange::claimReply(const char *what)
{
    if (m_replied) {
        qCWarning(lcHttp).noquote()
            << what << "ignored:" << m_method << path() << "was already answered";
        return false;
    }
    m_replied = true;
    return true;
}

void HttpExchange::writeReply(int status, const QByteArray &body, const QByteArray &contentType,
                              const HttpHeaderList &headers)
{
    m_status = status;
    if (connectionAlive()) {
        // 204 and 304 carry no body and, for 204, no Content-Length (RFC 9110 section 8.6).
        const bool bodiless = status == 204 || status == 304;
        QByteArray response = headerBlock(status, headers);
        if (!contentType.isEmpty() && !bodiless)
            response += "Content-Type: "_ba + contentType + "\r\n";
        if (status != 204)
            response
                += "Content-Length: "_ba + QByteArray::number(bodiless ? 0 : body.size()) + "\r\n";
        response += "\r\n";
        // A HEAD answer announces the length of the body it leaves out.
        if (!bodiless && m_method != "HEAD")
            response += body;
        m_socket->write(response);
    }
    complete(status);
}

QByteArray HttpExchange::headerBlock(int status, const HttpHeaderList &headers) const
{
    QByteArray block = httpStatusLine(status);
    for (const auto &header : headers) {
        if (!isSafeHeader(header)) {
            qCWarning(lcHttp).noquote() << "dropped a response header with CR, LF or NUL";
            continue;
        }
        block += header.first + ": " + header.second + "\r\n";
    }
    block += ConnectionGuard::keepAlive(m_socket) ? "Connection: keep-alive\r\n"
                                                  : "Connection: close\r\n";
    return block;
}

void HttpExchange::complete(int status)
{
    if (m_completed)
        return;
    m_completed = true;
    if (m_socket)
        ConnectionGuard::setBusy(m_socket, false);
    if (m_server)
        m_server->observe(*this, status, std::chrono::nanoseconds(m_elapsed.nsecsElapsed()));
}

} // namespace confab
