#pragma once

// Helpers of the robustness suites on top of ServerHarness: raw HTTP over a QTcpSocket (for
// framing the way no well-behaved client would), an SSE reader that can leave mid-stream, a
// WebSocket client that records frames and its close code, and a direct look at the server's
// SQLite file.

#include "serverharness.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QWebSocket>

namespace confab::testing {

// What a server sent back on one raw connection.
struct RawExchange
{
    QByteArray received;
    bool closed = false; // the server closed (or reset) the connection
    qint64 elapsedMs = 0;

    // The status code of the first response, 0 when none arrived.
    int firstStatus() const;
    // How many responses (status lines) arrived.
    int responseCount() const;
};

// Connects to the server, writes request (in pieces, stopping early once an answer arrives)
// and reads until the server closes or timeoutMs has passed.
RawExchange rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 5000);

// One POST with Accept: text/event-stream; the events as they arrive.
class SseClient final
{
public:
    struct Event
    {
        QByteArray name;
        QJsonObject data;
    };

    SseClient(ServerHarness &server, const QString &path, const QJsonObject &body,
              const QString &token);
    ~SseClient();

    bool waitForEvent(QByteArrayView name, int timeoutMs = 10000);
    bool waitForFinished(int timeoutMs = 10000);
    int count(QByteArrayView name) const;
    // The data of the last event of this name (empty when none).
    QJsonObject last(QByteArrayView name) const;
    // The concatenated "content" of the delta events.
    QString deltaText() const;
    // Leaves mid-stream: the TCP connection is closed.
    void abort();

    int status() const { return m_status; }
    bool finished() const { return m_finished; }
    const QList<Event> &events() const { return m_events; }

private:
    void read();

    QNetworkAccessManager m_network;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_buffer;
    QList<Event> m_events;
    int m_status = 0;
    bool m_finished = false;
};

// A WebSocket client that keeps every JSON frame it receives.
struct WsClient
{
    QWebSocket socket;
    QList<QJsonObject> frames;
    int closeCode = -1;
    bool disconnected = false;

    WsClient();
    bool open(const ServerHarness &server, const QString &token);
    bool waitForType(const QString &type, int timeoutMs = 10000) const;
    bool waitForClose(int timeoutMs = 10000) const;
    int indexOf(const QString &type) const;
    QJsonObject frame(const QString &type) const;
    void sendJson(const QJsonObject &frame);
};

// A message row as stored in the messages table.
struct StoredMessage
{
    qint64 id = 0;
    qint64 conversationId = 0;
    QString role;
    QString content;
    QString state;
};

// The server's SQLite file opened directly (QSQLITE), for looking past the API.
class SqliteFile final
{
public:
    explicit SqliteFile(const QString &path);
    ~SqliteFile();
    SqliteFile(const SqliteFile &) = delete;
    SqliteFile &operator=(const SqliteFile &) = delete;

    bool isOpen() const;
    QString integrityCheck() const; // "ok" when sound
    QList<StoredMessage> messages() const;
    int countWhere(const QString &condition) const;

private:
    QString m_connection;
};

// Starts a stopped or killed server again on the port it had, and waits until it listens.
// ServerHarness::start() alone returns at once on a restart (it finds the first run's
// "listening on" line in the log) and keeps the old port, so the restart pins that port.
bool restartOnSamePort(ServerHarness &server);

// The items of GET /api/v1/conversations/{id}/messages.
QJsonArray listMessages(ServerHarness &server, const QString &token, const QString &conversationId);

// The last assistant message of a conversation, from the API.
QJsonObject lastAssistant(ServerHarness &server, const QString &token,
                          const QString &conversationId);

} // namespace confab::testing
