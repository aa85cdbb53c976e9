#include "robustsupport.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace confab::testing {

namespace {

const QRegularExpression &statusLine()
{
    static const QRegularExpression pattern(u"(?:^|\\r\\n)HTTP/1\\.[01] (\\d{3})"_s);
    return pattern;
}

} // namespace

int RawExchange::firstStatus() const
{
    const auto match = statusLine().match(QString::fromLatin1(received));
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

int RawExchange::responseCount() const
{
    int count = 0;
    auto matches = statusLine().globalMatch(QString::fromLatin1(received));
    while (matches.hasNext()) {
        matches.next();
        ++count;
    }
    return count;
}

RawExchange rawExchange(quint16 port, const QByteArray &request, int timeoutMs)
{
    RawExchange result;
    QTcpSocket socket;
    QElapsedTimer clock;
    clock.start();
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                     [&] { result.received += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { result.closed = true; });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket,
                     [&](QAbstractSocket::SocketError error) {
                         if (error == QAbstractSocket::RemoteHostClosedError)
                             result.closed = true;
                     });
    socket.connectToHost(u"127.0.0.1"_s, port);
    if (!socket.waitForConnected(5000))
        return result;
    // In pieces, and none once an answer came: like curl, a refusal is read before the
    // reset that closing on unread bytes causes can lose it.
    qsizetype sent = 0;
    const auto writeMore = [&] {
        if (!result.received.isEmpty() || sent >= request.size() || socket.bytesToWrite() > 0)
            return;
        const QByteArray piece = request.mid(sent, 64 * 1024);
        sent += piece.size();
        socket.write(piece);
    };
    QObject::connect(&socket, &QTcpSocket::bytesWritten, &socket, writeMore);
    writeMore();
    [[maybe_unused]] const bool ended = QTest::qWaitFor(
        [&] { return result.closed || socket.state() == QAbstractSocket::UnconnectedState; },
        timeoutMs);
    if (socket.isOpen())
        result.received += socket.readAll();
    result.closed = result.closed || socket.state() == QAbstractSocket::UnconnectedState;
    result.elapsedMs = clock.elapsed();
    return result;
}

// ---- SseClient

SseClient::SseClient(ServerHarness &server, const QString &path, const QJsonObject &body,
                     const QString &token)
{
    QNetworkRequest request(server.url(path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    m_reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QObject::connect(m_reply, &QNetworkReply::metaDataChanged, m_reply, [this] {
        m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    });
    QObject::connect(m_reply, &QNetworkReply::readyRead, m_reply, [this] { read(); });
    QObject::connect(m_reply, &QNetworkReply::finished, m_reply, [this] {
        m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_reply->isOpen())
            read();
        m_finished = true;
    });
}

SseClient::~SseClient()
{
    if (m_reply) {
        m_reply->abort();
        delete m_reply;
    }
}

void SseClient::read()
{
    if (!m_reply || !m_reply->isOpen())
        return;
    m_buffer += m_reply->readAll();
    qsizetype end;
    while ((end = m_buffer.indexOf("\n\n")) >= 0) {
        const QByteArray block = m_buffer.left(end);
        m_buffer.remove(0, end + 2);
        Event event;
        for (const QByteArray &line : block.split('\n')) {
            if (line.startsWith("event: "))
                event.name = line.mid(7);
            else if (line.startsWith("data: "))
                event.data = QJsonDocument::fromJson(line.mid(6)).object();
        }
        m_events.append(event);
    }
}

bool SseClient::waitForEvent(QByteArrayView name, int timeoutMs)
{
    return QTest::qWaitFor([&] { return count(name) > 0; }, timeoutMs);
}

bool SseClient::waitForFinished(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_finished; }, timeoutMs);
}

int SseClient::count(QByteArrayView name) const
{
    return int(std::count_if(m_events.cbegin(), m_events.cend(),
                             [name](const Event &event) { return event.name == name; }));
}

QJsonObject SseClient::last(QByteArrayView name) const
{
    for (auto it = m_events.crbegin(); it != m_events.crend(); ++it) {
        if (it->name == name)
            return it->data;
    }
    return {};
}

QString SseClient::deltaText() const
{
    QString text;
    for (const Event &event : m_events) {
        if (event.name == "delta")
            text += event.data.value("content"_L1).toString();
    }
    return text;
}

void SseClient::abort()
{
    if (m_reply)
        m_reply->abort();
}

// ---- WsClient

WsClient::WsClient()
{
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                     [this](const QString &text) {
                         frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
                     });
    QObject::connect(&socket, &QWebSocket::disconnected, &socket, [this] {
        closeCode = socket.closeCode();
        disconnected = true;
    });
}

bool WsClient::open(const ServerHarness &server, const QString &token)
{
    QUrl url = server.url(u"/api/v1/ws"_s);
    url.setScheme(u"ws"_s);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    socket.open(request);
    return QTest::qWaitFor([this] {
               return socket.state() == QAbstractSocket::ConnectedState
                   || socket.state() == QAbstractSocket::UnconnectedState;
           })
        && socket.state() == QAbstractSocket::ConnectedState;
}

bool WsClient::waitForType(const QString &type, int timeoutMs) const
{
    return QTest::qWaitFor([&] { return indexOf(type) >= 0; }, timeoutMs);
}

bool WsClient::waitForClose(int timeoutMs) const
{
    return QTest::qWaitFor([this] { return disconnected; }, timeoutMs);
}

int WsClient::indexOf(const QString &type) const
{
    for (qsizetype i = 0; i < frames.size(); ++i) {
        if (frames.at(i).value("type"_L1).toString() == type)
            return int(i);
    }
    return -1;
}

QJsonObject WsClient::frame(const QString &type) const
{
    const int index = indexOf(type);
    return index >= 0 ? frames.at(index) : QJsonObject();
}

void WsClient::sendJson(const QJsonObject &frame)
{
    socket.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

// ---- SqliteFile

SqliteFile::SqliteFile(const QString &path)
    : m_connection(u"robust-"_s + QUuid::createUuid().toString(QUuid::Id128))
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
    db.setDatabaseName(path);
    db.open();
}

SqliteFile::~SqliteFile()
{
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
}

bool SqliteFile::isOpen() const
{
    return QSqlDatabase::database(m_connection, false).isOpen();
}

QString SqliteFile::integrityCheck() const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(u"PRAGMA integrity_check"_s))
        return u"query failed"_s;
    QStringList lines;
    while (query.next())
        lines.append(query.value(0).toString());
    return lines.join(u'\n');
}

QList<StoredMessage> SqliteFile::messages() const
{
    QList<StoredMessage> rows;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(
            u"SELECT id, conversation_id, role, content, state FROM messages ORDER BY id"_s))
        return rows;
    while (query.next())
        rows.append({query.value(0).toLongLong(), query.value(1).toLongLong(),
                     query.value(2).toString(), query.value(3).toString(),
                     query.value(4).toString()});
    return rows;
}

int SqliteFile::countWhere(const QString &condition) const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(u"SELECT count(*) FROM messages WHERE "_s + condition) || !query.next())
        return -1;
    return query.value(0).toInt();
}

// ---- API shortcuts

bool restartOnSamePort(ServerHarness &server)
{
    const quint16 port = server.port();
    const qsizetype before = server.log().count("listening on");
    if (!server.start({u"--listen"_s, u"127.0.0.1:%1"_s.arg(port)}))
        return false;
    const bool listening = QTest::qWaitFor(
        [&] { return server.log().count("listening on") > before || !server.isRunning(); }, 20000);
    if (!listening || !server.isRunning()) {
        qWarning("restart failed: %s", server.log().right(2000).constData());
        return false;
    }
    return server.port() == port;
}

QJsonArray listMessages(ServerHarness &server, const QString &token, const QString &conversationId)
{
    const HttpResult reply
        = server.get(u"/api/v1/conversations/%1/messages?limit=200"_s.arg(conversationId), token);
    if (reply.status != 200)
        qWarning("list messages: %d %s", reply.status, reply.body.constData());
    return reply.json().value("items"_L1).toArray();
}

QJsonObject lastAssistant(ServerHarness &server, const QString &token,
                          const QString &conversationId)
{
    const QJsonArray items = listMessages(server, token, conversationId);
    for (qsizetype i = items.size() - 1; i >= 0; --i) {
        if (items.at(i).toObject().value("role"_L1).toString() == "assistant"_L1)
            return items.at(i).toObject();
    }
    return {};
}

} // namespace confab::testing
