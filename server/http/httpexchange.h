#pragma once

#include "common/error.h"
#include "common/result.h"
#include "http/httpframer.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>
#include <QVariant>

#include <memory>

class QHttpServerRequest;
class QTcpSocket;

namespace confab {

class HttpExchange;
class HttpServer;

// A streamed (chunked) response body, for Server-Sent Events. Owned by its HttpExchange: keep
// the exchange (the HttpExchangePtr) alive as long as the stream is used, but not from an
// object the stream owns (or a connection whose only context is the stream): that is a cycle
// that outlives the request. Drop such holders when the stream ends.
class ResponseStream : public QObject
{
    Q_OBJECT

public:
    ~ResponseStream() override;

    // Sends one chunk now; false once the client is gone (or after finish()). An empty chunk
    // sends nothing (on the wire it would end the body).
    bool write(const QByteArray &data);
    // Ends the body; the connection then serves the next request. Idempotent.
    void finish();
    bool isAlive() const;
    bool isFinished() const { return m_finished; }

signals:
    // The client disconnected or the connection failed before finish(): cancel upstream work.
    // Emitted at most once.
    void clientGone();

private:
    friend class HttpExchange;
    ResponseStream(HttpExchange *exchange, QTcpSocket *socket, bool alive);
    void onGone();
    // The exchange is going away: the stream becomes inert until its deferred deletion.
    void detach();

    HttpExchange *m_exchange; // null once detached
    QPointer<QTcpSocket> m_socket;
    bool m_finished = false;
    bool m_gone = false;
};

// One request and its reply, which may come late (from a timer, a thread pool result, an
// upstream answer) or be streamed. Handlers receive it as a shared pointer and keep a copy for
// as long as they intend to answer. Exactly one answer goes out: the first reply*() or
// startStream() wins, later ones are ignored with a warning; an exchange destroyed without an
// answer answers 500 internal. Answering after the client left is a no-op.
class HttpExchange
{
public:
    ~HttpExchange();
    HttpExchange(const HttpExchange &) = delete;
    HttpExchange &operator=(const HttpExchange &) = delete;

    QByteArray method() const { return m_method; }
    QString path() const; // percent-decoded
    QUrlQuery query() const { return QUrlQuery(m_url); }
    QString pathParam(QStringView name) const;    // percent-decoded; empty when absent
    QByteArray header(QByteArrayView name) const; // case-insensitive, first value
    const HttpHeaderList &headers() const { return m_headers; }
    QByteArray body() const { return m_body; }
    QHostAddress peerAddress() const { return m_peerAddress; }
    quint16 peerPort() const { return m_peerPort; }
    // The matched route's label for metrics, e.g. "GET /api/v1/conversations/{id}"; empty for
    // a 404 or 405 answered by the router.
    QString routeName() const { return m_routeName; }

    // The body as a JSON object. InvalidInput (400 invalid_request through replyError) for an
    // empty or malformed body, a non-object, or nesting deeper than MaxJsonDepth.
    static constexpr int MaxJsonDepth = 64;
    Result<QJsonObject> jsonObject() const;

    // Every reply carries Content-Length and, unless the request asked to close, keeps the
    // connection alive.
    void reply(int status, const QJsonObject &body, const HttpHeaderList &headers = {});
    void reply(int status, const QJsonArray &body);
    void replyBytes(int status, const QByteArray &body, const QByteArray &contentType,
                    const HttpHeaderList &headers = {});
    // {"error":{"code","message",...extra}}
    void replyError(int status, const QString &code, const QString &message,
                    const QJsonObject &extra = {}, const HttpHeaderList &headers = {});
    // InvalidInput 400 invalid_request, NotFound 404 not_found, Conflict 409 conflict,
    // Unauthorized 401 unauthorized, Forbidden 403 forbidden, RateLimited 429 rate_limited,
    // QuotaExceeded 429 quota_exceeded, Network/Upstream/Protocol 502 upstream_error, the
    // upstream timeouts 504 upstream_error, Unavailable 503 unavailable, DiskFull 507
    // insufficient_storage; anything else 500 internal with a generic message (the error is
    // logged, never sent).
    void replyError(const Error &error);

    bool replied() const { return m_replied; }
    // Whether the client is still connected.
    bool connectionAlive() const;

    // Status and headers now (with Transfer-Encoding: chunked), the body in chunks through the
    // returned stream, which the exchange owns. Keeps the connection out of the guard's
    // deadlines until finish(). After another answer it returns a stream that is not alive.
    ResponseStream *startStream(int status, const HttpHeaderList &headers);

    // Per-request data for the app (the authenticated user, ...); created empty on first use.
    QVariant &attribute(QByteArrayView key);

private:
    friend class HttpServer;
    friend class ResponseStream;
    friend class Router;

    HttpExchange(HttpServer *server, const QHttpServerRequest &request, QTcpSocket *socket);
    bool claimReply(const char *what);
    void writeReply(int status, const QByteArray &body, const QByteArray &contentType,
                    const HttpHeaderList &headers);
    QByteArray headerBlock(int status, const HttpHeaderList &headers) const;
    // The answer is fully written (or the client left): report it and let the connection go
    // back to keep-alive.
    void complete(int status);

    QPointer<HttpServer> m_server;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_method;
    QUrl m_url;
    HttpHeaderList m_headers;
    QByteArray m_body;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    QString m_routeName;
    QHash<QString, QString> m_pathParams;
    QHash<QByteArray, QVariant> m_attributes;
    QElapsedTimer m_elapsed;
    std::unique_ptr<ResponseStream> m_stream;
    int m_status = 0;
    bool m_replied = false;
    bool m_completed = false;
};

using HttpExchangePtr = std::shared_ptr<HttpExchange>;

} // namespace confab
