#pragma once

#include "serverharness.h"

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QWebSocket>

#include <functional>

// Helpers of the policy suites on top of ServerHarness: requests sent all at once, a
// WebSocket client that collects frames, admin shortcuts and a look into the server's SQLite
// file for what the API cannot show (rows that should be gone).

namespace confab::testing {

// One request of a batch sent in parallel.
struct BatchRequest
{
    QByteArray method = "POST";
    QString path;
    QByteArray body;
    QString token;
    QList<std::pair<QByteArray, QByteArray>> headers;
};

// Sends every request at once, each over its own QNetworkAccessManager (one manager keeps at
// most 6 connections per host, which would queue the rest), and waits for all the answers.
QList<HttpResult> sendAll(ServerHarness &server, const QList<BatchRequest> &requests,
                          int timeoutMs = 30000);

// Counts of the statuses in results, e.g. {200: 1, 429: 19}.
QMap<int, int> statusCounts(const QList<HttpResult> &results);
QString describe(const QList<HttpResult> &results);

// A WebSocket client of /api/v1/ws that keeps every frame it receives.
class WsClient final
{
public:
    WsClient();
    bool open(const ServerHarness &server, const QString &token);
    void send(const QJsonObject &frame);
    // Waits for the first frame after index `from` that satisfies the predicate; its index or -1.
    int waitFor(const std::function<bool(const QJsonObject &)> &predicate, qsizetype from = 0,
                int timeoutMs = 10000);
    // Sends the frame and waits for the next frame of one of these types; the frame or {}.
    QJsonObject exchange(const QJsonObject &frame, const QStringList &types, int timeoutMs = 10000);
    const QList<QJsonObject> &frames() const { return m_frames; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void close();

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
};

// The error code of an {"type":"error"|"chat.error","error":{"code"}} frame.
QString frameErrorCode(const QJsonObject &frame);

// Admin shortcuts, signed in as the harness's admin.
HttpResult patchUser(ServerHarness &server, const QString &userId, const QJsonObject &body);
HttpResult putSettings(ServerHarness &server, const QJsonObject &body);

// A message to a conversation, as JSON (the reply once the answer is complete).
HttpResult sendMessage(ServerHarness &server, const QString &token, const QString &conversationId,
                       const QString &content);

// One value from the server's SQLite file (read-only, beside the running server); -1 on
// failure.
qint64 queryCount(const QString &databasePath, const QString &sql, const QVariantList &values = {});

// Every item of a paged list, following next_cursor (given back as cursorName).
QList<QJsonObject> allPages(ServerHarness &server, const QString &path, const QString &token,
                            int pageSize = 50,
                            const QString &cursorName = QStringLiteral("cursor"));

} // namespace confab::testing
