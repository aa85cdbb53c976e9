#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <utility>

class QTcpSocket;

// A tiny HTTP/1.1 client for load generation: one keep-alive connection over a raw
// QTcpSocket with TCP_NODELAY, one request at a time, bodies framed by Content-Length or
// chunked encoding and handed over as they arrive (for event streams). Predictable where
// QNetworkAccessManager is not (it opens at most six connections per host and buffers).

namespace confab::bench {

// Nanoseconds on one monotonic clock shared by the whole benchmark.
qint64 nowNs();

struct HttpRequest
{
    QByteArray method = "GET";
    QByteArray target = "/";
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // Keep the body in HttpResponse::body (off for long event streams, which go to onData).
    bool keepBody = true;
};

struct HttpResponse
{
    int status = 0;
    QByteArray body;
    QString error; // empty when a whole response arrived
    qint64 sentNs = 0;
    qint64 headersNs = 0;
    qint64 doneNs = 0;
    bool ok() const { return error.isEmpty() && status >= 200 && status < 300; }
};

class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    // Body bytes as they arrive (after de-chunking), with the time they were read.
    using DataHandler = std::function<void(QByteArrayView data, qint64 atNs)>;
    using DoneHandler = std::function<void(const HttpResponse &response)>;

    explicit HttpConnection(quint16 port, QObject *parent = nullptr);
    ~HttpConnection() override;

    // Connects now (a later send() would connect anyway): lets a load ramp open connections
    // before it sends anything.
    void open();
    bool isConnected() const;
    bool isBusy() const { return m_busy; }
    // Connections opened over this object's life (1 when keep-alive always held).
    int connectCount() const { return m_connects; }

    // One request at a time; reconnects when the server closed the connection.
    void send(const HttpRequest &request, DataHandler onData, DoneHandler onDone);
    // Drops the connection; a request in flight finishes with an error.
    void abort();

signals:
    void connected();

private:
    enum class Body { None, Length, Chunked, UntilClose };
    enum class Parse { Idle, Head, Body, ChunkSize, ChunkData, ChunkEnd, Trailers };

    void writeRequest();
    void onReadyRead();
    void onDisconnected();
    bool parse(qint64 atNs);
    void deliver(QByteArrayView data, qint64 atNs);
    void finish(const QString &error);

    QTcpSocket *m_socket;
    quint16 m_port;
    QByteArray m_pendingWrite;
    QByteArray m_in;
    Parse m_parse = Parse::Idle;
    Body m_body = Body::None;
    qint64 m_remaining = 0;
    bool m_closeAfter = false;
    bool m_busy = false;
    bool m_keepBody = true;
    bool m_headRequest = false;
    int m_connects = 0;
    HttpResponse m_response;
    DataHandler m_onData;
    DoneHandler m_onDone;
};

// Runs the event loop until done() holds or timeoutMs passed; true when done() held.
bool waitUntil(const std::function<bool()> &done, int timeoutMs);
// Runs the event loop for ms milliseconds.
void pause(int ms);

} // namespace confab::bench
