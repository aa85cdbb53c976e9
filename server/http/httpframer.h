#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace confab {

// What one connection may send per request. QtHttpServer 6.4 enforces none of these itself.
struct HttpLimits
{
    qsizetype maxHeaderBytes = 32 * 1024; // request line + fields + the blank line
    int maxHeaderFields = 100;
    qint64 maxBodyBytes = 1024 * 1024;

    bool operator==(const HttpLimits &) const = default;
};

using HttpHeaderList = QList<std::pair<QByteArray, QByteArray>>;

// A request head that passed every framing rule.
struct HttpRequestHead
{
    QByteArray method;        // one of GET HEAD POST PUT PATCH DELETE OPTIONS
    QByteArray target;        // origin-form ("/path?query"), or "*" for OPTIONS
    QByteArray version;       // "HTTP/1.1" or "HTTP/1.0"
    HttpHeaderList headers;   // in order, names as sent, values without surrounding whitespace
    qint64 contentLength = 0; // 0 when chunked or absent
    bool chunked = false;     // Transfer-Encoding: chunked
    bool keepAlive = true;    // whether the connection may carry another request afterwards
    bool expectContinue = false;
    // "Upgrade: websocket" and a Connection field naming "upgrade" (only valid on a bodiless
    // HTTP/1.1 GET): what QtHttpServer hands to its WebSocket server.
    bool isWebSocketUpgrade = false;

    // The first value of a field, names compared case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const;

    bool operator==(const HttpRequestHead &) const = default;
};

// What HttpFramer::feed() found out.
struct HttpFrameVerdict
{
    enum class Kind {
        Continue,            // more bytes are needed; everything fed belongs to the request
        RequestHeadComplete, // the head is in, the body is still coming
        RequestComplete,     // head and body are in; `consumed` bytes of this feed were the rest
        Reject,              // the request is malformed or over a limit: answer `status`, close
    };

    Kind kind = Kind::Continue;
    std::optional<HttpRequestHead> head; // set by the feed that completed the head (also when
                                         // it then refused the body)
    qsizetype consumed = 0;              // bytes of this feed that belong to the request
    int status = 0;                      // Reject: 400, 413 or 431
    QString reason;                      // Reject: for people, safe to send to the client

    bool operator==(const HttpFrameVerdict &) const = default;
};

// An incremental HTTP/1.1 request framing checker: bytes go in as they arrive, cut anywhere,
// and the verdict says where the request ends or why it must be refused. It does no I/O and
// keeps no body bytes, so it can sit in front of another parser (QtHttpServer's) and stop
// what that parser would mishandle: oversize heads and bodies, ambiguous framing that enables
// request smuggling (CL+TE, duplicate CL, odd TE), obs-fold, bare LF and other leniencies.
//
// A feed stops at the end of a request: bytes after it are not consumed (the caller decides
// whether they are a pipelined request). After RequestComplete, reset() readies the framer
// for the next request of a keep-alive connection; until then feeds consume nothing. A Reject
// is final until reset().
class HttpFramer
{
public:
    enum class Phase {
        Idle,     // no byte of a request yet
        Head,     // inside the request line or fields
        Body,     // head accepted, body still coming
        Complete, // a whole request was framed
        Rejected,
    };

    explicit HttpFramer(HttpLimits limits = {});

    HttpFrameVerdict feed(QByteArrayView bytes);
    void reset();

    Phase phase() const { return m_phase; }
    const HttpLimits &limits() const { return m_limits; }

private:
    enum class BodyState {
        Fixed,        // Content-Length bytes remain
        ChunkSize,    // reading "hex[;ext]" up to CRLF
        ChunkData,    // inside a chunk
        ChunkDataEnd, // the CRLF after a chunk's data
        Trailers,     // fields after the last chunk, up to the blank line
    };

    qsizetype feedHead(QByteArrayView bytes, HttpFrameVerdict &verdict);
    qsizetype feedBody(QByteArrayView bytes, HttpFrameVerdict &verdict);
    void finishHead(HttpFrameVerdict &verdict);
    void finishChunkSizeLine(HttpFrameVerdict &verdict);
    void finishTrailerLine(HttpFrameVerdict &verdict);
    void reject(HttpFrameVerdict &verdict, int status, const QString &reason);

    HttpLimits m_limits;
    Phase m_phase = Phase::Idle;
    HttpFrameVerdict m_rejection; // repeated by every feed after a Reject

    QByteArray m_head;            // the head so far (bounded by maxHeaderBytes)
    qsizetype m_leadingBytes = 0; // empty lines before the request line, tolerated per RFC 9112
    bool m_requestLineDone = false;
    int m_fields = 0; // field lines of the head, then of the trailers

    BodyState m_bodyState = BodyState::Fixed;
    qint64 m_remaining = 0; // body bytes left: of the Content-Length or of the chunk
    qint64 m_bodyTotal = 0; // chunked: sum of the chunk sizes so far
    QByteArray m_line;      // a chunk-size or trailer line in progress
    qsizetype m_trailerBytes = 0;
};

} // namespace confab
