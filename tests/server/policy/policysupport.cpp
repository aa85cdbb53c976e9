#include "policysupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;

namespace confab::testing {

QList<HttpResult> sendAll(ServerHarness &server, const QList<BatchRequest> &requests, int timeoutMs)
{
    std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
    QList<QNetworkReply *> replies;
    for (const BatchRequest &spec : requests) {
        auto &manager = managers.emplace_back(std::make_unique<QNetworkAccessManager>());
        QNetworkRequest request(server.url(spec.path));
        if (!spec.body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        if (!spec.token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + spec.token.toLatin1());
        for (const auto &[name, value] : spec.headers)
            request.setRawHeader(name, value);
        request.setTransferTimeout(timeoutMs);
        replies.append(manager->sendCustomRequest(request, spec.method, spec.body));
    }
    (void)QTest::qWaitFor(
        [&replies] {
            return std::all_of(replies.cbegin(), replies.cend(),
                               [](const QNetworkReply *reply) { return reply->isFinished(); });
        },
        timeoutMs + 1000);
    QList<HttpResult> results;
    for (QNetworkReply *reply : std::as_const(replies)) {
        HttpResult result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.headers = reply->rawHeaderPairs();
        results.append(result);
        reply->abort();
        delete reply;
    }
    return results;
}

QMap<int, int> statusCounts(const QList<HttpResult> &results)
{
    QMap<int, int> counts;
    for (const HttpResult &result : results)
        ++counts[result.status];
    return counts;
}

QString describe(const QList<HttpResult> &results)
{
    QStringList lines;
    for (const HttpResult &result : results)
        lines.append(u"%1 %2"_s.arg(result.status).arg(QString::fromUtf8(result.body.left(160))));
    return lines.join(u'\n');
}

WsClient::WsClient()
{
    QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                     [this](const QString &text) {
                         m_frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
                     });
}

bool WsClient::open(const ServerHarness &server, const QString &token)
{
    QUrl url = server.url(u"/api/v1/ws"_s);
    url.setScheme(u"ws"_s);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    m_socket.open(request);
    return QTest::qWaitFor(
               [this] {
                   return m_socket.state() == QAbstractSocket::ConnectedState
                       || m_socket.state() == QAbstractSocket::UnconnectedState;
               },
               10000)
        && isConnected();
}

void WsClient::send(const QJsonObject &frame)
{
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

int WsClient::waitFor(const std::function<bool(const QJsonObject &)> &predicate, qsizetype from,
                      int timeoutMs)
{
    int found = -1;
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = from; i < m_frames.size(); ++i) {
                if (predicate(m_frames.at(i))) {
                    found = int(i);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

QJsonObject WsClient::exchange(const QJsonObject &frame, const QStringList &types, int timeoutMs)
{
    const qsizetype from = m_frames.size();
    send(frame);
    const int index = waitFor(
        [&types](const QJsonObject &received) {
            return types.contains(received.value("type"_L1).toString());
        },
        from, timeoutMs);
    return index < 0 ? QJsonObject() : m_frames.at(index);
}

void WsClient::close()
{
    m_socket.close();
    (void)QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                          5000);
}

QString frameErrorCode(const QJsonObject &frame)
{
    return frame.value("error"_L1).toObject().value("code"_L1).toString();
}

HttpResult patchUser(ServerHarness &server, const QString &userId, const QJsonObject &body)
{
    return server.patch(u"/api/v1/admin/users/"_s + userId, body, server.loginAdmin().accessToken);
}

HttpResult putSettings(ServerHarness &server, const QJsonObject &body)
{
    return server.put(u"/api/v1/admin/settings"_s, body, server.loginAdmin().accessToken);
}

HttpResult sendMessage(ServerHarness &server, const QString &token, const QString &conversationId,
                       const QString &content)
{
    return server.post(u"/api/v1/conversations/%1/messages"_s.arg(conversationId),
                       {{u"content"_s, content}}, token);
}

qint64 queryCount(const QString &databasePath, const QString &sql, const QVariantList &values)
{
    const QString name = QUuid::createUuid().toString();
    qint64 result = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(databasePath);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            qWarning("cannot open %s: %s", qPrintable(databasePath),
                     qPrintable(db.lastError().text()));
        } else {
            QSqlQuery query(db);
            query.prepare(sql);
            for (const QVariant &value : values)
                query.addBindValue(value);
            if (query.exec() && query.next())
                result = query.value(0).toLongLong();
            else
                qWarning("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

QList<QJsonObject> allPages(ServerHarness &server, const QString &path, const QString &token,
                            int pageSize, const QString &cursorName)
{
    QList<QJsonObject> items;
    QString cursor;
    for (int page = 0; page < 100; ++page) {
        QUrl url(path);
        QUrlQuery query(url);
        query.addQueryItem(u"limit"_s, QString::number(pageSize));
        if (!cursor.isEmpty())
            query.addQueryItem(cursorName, cursor);
        url.setQuery(query);
        const HttpResult reply = server.get(url.toString(QUrl::FullyEncoded), token);
        if (reply.status != 200) {
            qWarning("GET %s: %d %s", qPrintable(path), reply.status, reply.body.constData());
            break;
        }
        for (const QJsonValue &item : reply.json().value("items"_L1).toArray())
            items.append(item.toObject());
        cursor = reply.json().value("next_cursor"_L1).toString();
        if (cursor.isEmpty())
            break;
    }
    return items;
}

} // namespace confab::testing
