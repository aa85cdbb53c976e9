// Hostile input against a real confab-server process: malformed and deeply nested JSON, SQL
// metacharacters in every field, query parameter and path id, oversized bodies and heads,
// slowloris, request smuggling, oversized WebSocket messages. Whatever comes in, the answer is
// a 4xx (never a 500), the data stays intact and the process keeps serving.

#include "robustsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

namespace {

const QStringList SqlMetacharacters{
    u"'; DROP TABLE users; --"_s,       u"%"_s,       u"_"_s, u"\""_s, u"\\"_s, u"' OR '1'='1"_s,
    u"\"); DELETE FROM messages; --"_s, u"1 OR 1=1"_s};

QString encoded(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QByteArray nested(int depth, QByteArrayView open, QByteArrayView inner, QByteArrayView close)
{
    return open.toByteArray().repeated(depth) + inner.toByteArray()
        + close.toByteArray().repeated(depth);
}

} // namespace

class TestServerHostile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Every test conversation stays open (live) for the message it took.
        QVERIFY(m_server.start({u"--max-live-conversations"_s, u"100"_s}));
        m_user = m_server.createUserAndLogin(u"mallory"_s);
        QVERIFY(!m_user.accessToken.isEmpty());
        m_conversation
            = m_server.createConversation(m_user.accessToken, {{u"title"_s, u"The one to keep"_s}});
        QVERIFY(!m_conversation.isEmpty());
        m_apiToken = m_server.createApiToken(m_user.accessToken);
        QVERIFY(m_apiToken.startsWith("cfb_"_L1));
    }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void shouldRefuseMalformedJson_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");

        const QList<std::pair<const char *, QByteArray>> bodies{
            {"unterminated", "{\"username\":\"a\",\"password\":"},
            {"garbage", "this is not json"},
            {"trailing-comma", "{\"title\":\"x\",}"},
            {"array", "[]"},
            {"string", "\"just a string\""},
            {"nested-arrays-10000", nested(10000, "[", "", "]")},
            {"nested-objects-10000", nested(10000, "{\"a\":", "1", "}")},
            {"nested-in-field-10000", "{\"content\":" + nested(10000, "[", "", "]") + "}"},
            {"bad-utf8", "{\"title\":\"\xff\xfe\xc3\"}"},
        };
        const QString conversation = u"/api/v1/conversations/%1"_s.arg(m_conversation);
        const QList<std::pair<QByteArray, QString>> routes{
            {"POST", u"/api/v1/auth/login"_s},       {"POST", u"/api/v1/auth/register"_s},
            {"POST", u"/api/v1/conversations"_s},    {"PATCH", conversation},
            {"POST", conversation + u"/messages"_s}, {"PATCH", u"/api/v1/users/me"_s},
            {"POST", u"/v1/chat/completions"_s},
        };
        for (const auto &[method, path] : routes) {
            for (const auto &[name, body] : bodies)
                QTest::addRow("%s %s %s", method.constData(), qPrintable(path), name)
                    << method << path << body;
        }
    }
    void shouldRefuseMalformedJson()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        const int upstreamBefore = m_server.upstream().requestCount();
        const QString token = path.startsWith("/v1/"_L1) ? m_apiToken : m_user.accessToken;
        const HttpResult reply = m_server.request(method, path, body, token);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorCode(), u"invalid_request"_s);
        QCOMPARE(m_server.upstream().requestCount(), upstreamBefore);
    }

    // Wrong credentials made of SQL never sign anyone in (and stay under the address's
    // brute-force allowance, so the other tests can still sign in).
    void shouldNotSignInWithSqlCredentials()
    {
        for (const auto &[username, password] :
             QList<std::pair<QString, QString>>{{u"admin'--"_s, u"anything-at-all"_s},
                                                {u"' OR '1'='1"_s, u"' OR '1'='1"_s},
                                                {u"mallory"_s, u"x' OR 'x'='x"_s}}) {
            const HttpResult reply = m_server.post(
                u"/api/v1/auth/login"_s, {{u"username"_s, username}, {u"password"_s, password}});
            QCOMPARE(reply.status, 401);
            QCOMPARE(reply.errorCode(), u"invalid_credentials"_s);
        }
    }

    void shouldTreatSqlMetacharactersAsText_data()
    {
        QTest::addColumn<QString>("text");
        for (qsizetype i = 0; i < SqlMetacharacters.size(); ++i)
            QTest::addRow("%lld", qlonglong(i)) << SqlMetacharacters.at(i);
    }
    void shouldTreatSqlMetacharactersAsText()
    {
        QFETCH(QString, text);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        const QString token = m_user.accessToken;

        // A username and a password made of them round-trip through the admin API and login.
        const QString username = QString(u"u" + tag + text).left(32);
        const QString password = u"Pw-12345-"_s + text;
        const HttpResult created = m_server.post(
            u"/api/v1/admin/users"_s, {{u"username"_s, username}, {u"password"_s, password}},
            m_server.loginAdmin().accessToken);
        QVERIFY2(created.status == 201 || created.status == 400, created.body.constData());
        if (created.status == 201) {
            const SignedIn them = m_server.login(username, password);
            QVERIFY(!them.accessToken.isEmpty());
            QCOMPARE(m_server.get(u"/api/v1/users/me"_s, them.accessToken)
                         .json()
                         .value("username"_L1)
                         .toString(),
                     username);
        }
        const HttpResult registered
            = m_server.post(u"/api/v1/auth/register"_s,
                            {{u"username"_s, text}, {u"password"_s, password}, {u"email"_s, text}});
        QVERIFY2(registered.status >= 400 && registered.status < 500, registered.body.constData());

        // A title of them is stored as given, whether created or patched.
        const HttpResult conversation = m_server.post(u"/api/v1/conversations"_s,
                                                      {{u"title"_s, QString(u"T " + text)}}, token);
        QCOMPARE(conversation.status, 201);
        const QString id = conversation.json().value("id"_L1).toString();
        QCOMPARE(conversation.json().value("title"_L1).toString(), u"T " + text);
        const HttpResult patched = m_server.patch(u"/api/v1/conversations/"_s + id,
                                                  {{u"title"_s, QString(text + u" T"_s)}}, token);
        QCOMPARE(patched.status, 200);
        QCOMPARE(m_server.get(u"/api/v1/conversations/"_s + id, token)
                     .json()
                     .value("title"_L1)
                     .toString(),
                 text + u" T"_s);

        // ...and so is a message.
        m_server.upstream().enqueue(FakeResponse::chatStream({u"echo: "_s, text}));
        const HttpResult sent = m_server.post(u"/api/v1/conversations/%1/messages"_s.arg(id),
                                              {{u"content"_s, text}}, token);
        QCOMPARE(sent.status, 200);
        QCOMPARE(m_server.upstream()
                     .lastRequest()
                     .json()
                     .value("messages"_L1)
                     .toArray()
                     .last()
                     .toObject()
                     .value("content"_L1)
                     .toString(),
                 text);
        const QJsonArray messages = listMessages(m_server, token, id);
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.first().toObject().value("content"_L1).toString(), text);

        // In queries: searches match them literally (no LIKE wildcards, no injection): the
        // conversation titled "The one to keep", with no messages, matches none of them.
        for (const QString &path : {u"/api/v1/conversations?q="_s, u"/api/v1/search?q="_s}) {
            const HttpResult found = m_server.get(path + encoded(text), token);
            QVERIFY2(found.status == 200, found.body.constData());
            const QJsonArray items = found.json().value("items"_L1).toArray();
            QVERIFY(!items.isEmpty()); // the conversation and message above
            for (const QJsonValue &item : items) {
                const QJsonObject object = item.toObject();
                const QString conversationId = object.contains("conversation_id"_L1)
                    ? object.value("conversation_id"_L1).toString()
                    : object.value("id"_L1).toString();
                QVERIFY2(conversationId != m_conversation,
                         qPrintable(path + text + u" matched an unrelated conversation"_s));
            }
        }
        for (const QString &path :
             {u"/api/v1/conversations?cursor="_s, u"/api/v1/conversations?limit="_s,
              u"/api/v1/conversations?archived="_s,
              u"/api/v1/conversations/%1/messages?before="_s.arg(id),
              u"/api/v1/conversations/%1/messages?limit="_s.arg(id), u"/api/v1/admin/usage?from="_s,
              u"/api/v1/users/me/usage?period="_s}) {
            const QString token2
                = path.contains("/admin/"_L1) ? m_server.loginAdmin().accessToken : token;
            const HttpResult reply = m_server.get(path + encoded(text), token2);
            QVERIFY2(reply.status == 200 || reply.status == 400,
                     qPrintable(u"%1%2: %3 %4"_s.arg(path, text)
                                    .arg(reply.status)
                                    .arg(QString::fromUtf8(reply.body))));
        }

        // As ids in paths: not found, never an error of the database.
        const QString badId = encoded(text);
        for (const auto &[method, path] : QList<std::pair<QByteArray, QString>>{
                 {"GET", u"/api/v1/conversations/"_s + badId},
                 {"PATCH", u"/api/v1/conversations/"_s + badId},
                 {"DELETE", u"/api/v1/conversations/"_s + badId},
                 {"GET", u"/api/v1/conversations/%1/messages"_s.arg(badId)},
                 {"POST", u"/api/v1/conversations/%1/messages"_s.arg(badId)},
                 {"POST", u"/api/v1/conversations/%1/cancel"_s.arg(badId)},
                 {"DELETE", u"/api/v1/users/me/tokens/"_s + badId},
                 {"PATCH", u"/api/v1/admin/users/"_s + badId},
                 {"DELETE", u"/api/v1/admin/users/"_s + badId},
                 {"POST", u"/api/v1/admin/users/%1/revoke"_s.arg(badId)}}) {
            const QString token2
                = path.contains("/admin/"_L1) ? m_server.loginAdmin().accessToken : token;
            const HttpResult reply
                = m_server.request(method, path, "{\"title\":\"x\",\"content\":\"x\"}", token2);
            QVERIFY2(reply.status == 404 || reply.status == 400,
                     qPrintable(u"%1 %2: %3 %4"_s.arg(QString::fromLatin1(method), path)
                                    .arg(reply.status)
                                    .arg(QString::fromUtf8(reply.body))));
        }
        QVERIFY(m_server.get(u"/api/v1/conversations/"_s + m_conversation, token).status == 200);
    }

    void shouldMatchPercentAndUnderscoreLiterally()
    {
        const QString token = m_user.accessToken;
        const QString plain = m_server.createConversation(token, {{u"title"_s, u"abc plain"_s}});
        const QString percent
            = m_server.createConversation(token, {{u"title"_s, u"a%c percent"_s}});
        const auto titles = [&](const QString &q) {
            QStringList found;
            const HttpResult reply
                = m_server.get(u"/api/v1/conversations?q="_s + encoded(q), token);
            for (const QJsonValue &item : reply.json().value("items"_L1).toArray())
                found.append(item.toObject().value("title"_L1).toString());
            return found;
        };
        QVERIFY(titles(u"a%c"_s).contains(u"a%c percent"_s));
        QVERIFY(!titles(u"a%c"_s).contains(u"abc plain"_s));
        QVERIFY(!titles(u"a_c"_s).contains(u"abc plain"_s));
        QVERIFY(!titles(u"a_c"_s).contains(u"a%c percent"_s));
        Q_UNUSED(plain);
        Q_UNUSED(percent);
    }

    void shouldFindNoConversationThroughAnInjectedId()
    {
        // Another user's conversation 1 is as unknown as any.
        const SignedIn other = m_server.createUserAndLogin(u"eve"_s);
        for (const QString &id :
             {u"1%20OR%201=1"_s, u"1'%20OR%20'1'='1"_s, u"1;DROP%20TABLE%20messages"_s, u"-1"_s,
              u"0"_s, u"99999999999999999999999"_s, u"1.0"_s, u"0x1"_s, u"%00"_s}) {
            const HttpResult reply
                = m_server.get(u"/api/v1/conversations/"_s + id, other.accessToken);
            QVERIFY2(reply.status == 404 || reply.status == 400,
                     qPrintable(u"%1: %2"_s.arg(id).arg(reply.status)));
            QVERIFY(!reply.body.contains("The one to keep"));
        }
    }

    void shouldRefuseOversizedBodies()
    {
        const QByteArray auth = "Authorization: Bearer " + m_user.accessToken.toLatin1() + "\r\n";
        const QByteArray body = "{\"title\":\"" + QByteArray(2 * 1024 * 1024, 'a') + "\"}";

        const RawExchange declared
            = rawExchange(m_server.port(),
                          "POST /api/v1/conversations HTTP/1.1\r\nHost: test\r\n" + auth
                              + "Content-Type: application/json\r\nContent-Length: "
                              + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QCOMPARE(declared.firstStatus(), 413);
        QCOMPARE(declared.responseCount(), 1);
        QVERIFY(declared.received.contains("payload_too_large"));

        QByteArray chunked;
        for (qsizetype at = 0; at < body.size(); at += 64 * 1024) {
            const QByteArray piece = body.mid(at, 64 * 1024);
            chunked += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
        }
        chunked += "0\r\n\r\n";
        const RawExchange streamed = rawExchange(
            m_server.port(),
            "POST /api/v1/conversations HTTP/1.1\r\nHost: test\r\n" + auth
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);
        QCOMPARE(streamed.firstStatus(), 413);
        QCOMPARE(streamed.responseCount(), 1);

        // A length that does not fit 64 bits, or all of them.
        for (const QByteArray &length :
             {QByteArray("18446744073709551615"), QByteArray("99999999999999999999999")}) {
            const RawExchange huge
                = rawExchange(m_server.port(),
                              "POST /api/v1/conversations HTTP/1.1\r\nHost: test\r\n" + auth
                                  + "Content-Length: " + length + "\r\n\r\n{}");
            QVERIFY2(huge.firstStatus() == 413 || huge.firstStatus() == 400,
                     huge.received.left(200).constData());
            QCOMPARE(huge.responseCount(), 1);
        }

        // Through an ordinary client too, which writes the whole body before it reads: the
        // guard lingers so that the client reads the 413 instead of a reset.
        const HttpResult viaClient
            = m_server.request("POST", u"/api/v1/conversations"_s, body, m_user.accessToken);
        QCOMPARE(viaClient.status, 413);
        QCOMPARE(viaClient.errorCode(), u"payload_too_large"_s);
    }

    void shouldRefuseHugeHeads_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::newRow("one 40 KiB header") << "GET /health HTTP/1.1\r\nHost: test\r\nX-Big: "
                + QByteArray(40 * 1024, 'x') + "\r\n\r\n";
        QByteArray many = "GET /health HTTP/1.1\r\nHost: test\r\n";
        for (int i = 0; i < 101; ++i)
            many += "X-Field-" + QByteArray::number(i) + ": v\r\n";
        QTest::newRow("101 header fields") << many + "\r\n";
        QTest::newRow("40 KiB request target")
            << "GET /health?" + QByteArray(40 * 1024, 'q') + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }
    void shouldRefuseHugeHeads()
    {
        QFETCH(QByteArray, head);
        const RawExchange exchange = rawExchange(m_server.port(), head);
        QVERIFY(exchange.closed);
        // 431 (414 for the target), or a plain close; never an answer from the route.
        QVERIFY2(exchange.responseCount() <= 1, exchange.received.constData());
        if (exchange.responseCount() == 1)
            QVERIFY2(exchange.firstStatus() == 431 || exchange.firstStatus() == 414
                         || exchange.firstStatus() == 400,
                     exchange.received.left(200).constData());
    }

    // One slow client is closed by the header deadline (10 s) however it drips its head, and
    // the server answers others meanwhile.
    void shouldCloseSlowloris()
    {
        QTcpSocket slow;
        bool closed = false;
        QByteArray received;
        connect(&slow, &QTcpSocket::disconnected, this, [&] { closed = true; });
        connect(&slow, &QTcpSocket::readyRead, this, [&] { received += slow.readAll(); });
        QTcpSocket silent; // connects and never sends a byte
        bool silentClosed = false;
        connect(&silent, &QTcpSocket::disconnected, this, [&] { silentClosed = true; });
        QElapsedTimer clock;
        clock.start();
        slow.connectToHost(u"127.0.0.1"_s, m_server.port());
        silent.connectToHost(u"127.0.0.1"_s, m_server.port());
        QVERIFY(slow.waitForConnected(5000));
        QVERIFY(silent.waitForConnected(5000));
        slow.write("GET /health HTTP/1.1\r\nHost: test\r\n");
        int line = 0;
        QTimer drip;
        connect(&drip, &QTimer::timeout, this, [&] {
            if (slow.state() == QAbstractSocket::ConnectedState)
                slow.write("X-Drip-" + QByteArray::number(line++) + ": 1\r\n");
        });
        drip.start(700);
        QCOMPARE(m_server.get(u"/health"_s).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(closed && silentClosed, 12500);
        QVERIFY2(clock.elapsed() >= 9000, "closed before its header deadline");
        QVERIFY(line >= 10); // it kept sending until the end
        QVERIFY2(received.isEmpty() || received.startsWith("HTTP/1.1 408"), received.constData());
    }

    void shouldRefuseAmbiguousFraming_data()
    {
        QTest::addColumn<QByteArray>("framing");
        QTest::newRow("content-length and chunked")
            << QByteArray("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n");
        QTest::newRow("chunked and content-length")
            << QByteArray("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n");
        QTest::newRow("two content-lengths")
            << QByteArray("Content-Length: 4\r\nContent-Length: 60\r\n");
        QTest::newRow("two equal content-lengths")
            << QByteArray("Content-Length: 60\r\nContent-Length: 60\r\n");
        QTest::newRow("content-length list") << QByteArray("Content-Length: 4, 60\r\n");
        QTest::newRow("chunked not last") << QByteArray("Transfer-Encoding: chunked, identity\r\n");
        QTest::newRow("obfuscated te")
            << QByteArray("Content-Length: 4\r\nTransfer-Encoding : chunked\r\n");
    }
    void shouldRefuseAmbiguousFraming()
    {
        QFETCH(QByteArray, framing);
        // Whichever way a confused parser framed this, the tail would be a second request.
        const QByteArray smuggled = "GET /health HTTP/1.1\r\nHost: test\r\n\r\n";
        const QByteArray body = "0\r\n\r\n" + smuggled;
        const RawExchange exchange
            = rawExchange(m_server.port(),
                          "POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\n" + framing
                              + "Content-Type: application/json\r\n\r\n" + body,
                          3000);
        QCOMPARE(exchange.responseCount(), 1);
        QCOMPARE(exchange.firstStatus(), 400);
        QVERIFY(exchange.closed);
    }

    void shouldCloseOversizedWebSocketMessage()
    {
        WsClient client;
        QVERIFY(client.open(m_server, m_user.accessToken));
        client.sendJson({{u"type"_s, u"ping"_s}});
        QVERIFY(client.waitForType(u"pong"_s));
        const QString huge = u"{\"type\":\"chat.send\",\"content\":\""_s
            + QString(1024 * 1024 + 16, u'x') + u"\"}"_s;
        client.socket.sendTextMessage(huge);
        QVERIFY(client.waitForClose());
        QCOMPARE(client.closeCode, int(QWebSocketProtocol::CloseCodeTooMuchData));

        // A message just under the limit is read (and refused for what it says, not its size).
        WsClient fine;
        QVERIFY(fine.open(m_server, m_user.accessToken));
        fine.socket.sendTextMessage(u"{\"type\":\"nonsense\",\"pad\":\""_s
                                    + QString(1000 * 1000, u'y') + u"\"}"_s);
        QVERIFY(fine.waitForType(u"error"_s));
        QVERIFY(!fine.disconnected);
    }

    // Last: after all of the above the process is up, its data intact.
    void shouldStillServeAfterAllThat()
    {
        QVERIFY(m_server.isRunning());
        const HttpResult health = m_server.get(u"/health"_s);
        QCOMPARE(health.status, 200);
        const SignedIn admin = m_server.loginAdmin();
        QVERIFY(!admin.accessToken.isEmpty());
        const HttpResult users = m_server.get(u"/api/v1/admin/users"_s, admin.accessToken);
        QCOMPARE(users.status, 200);
        QVERIFY(users.body.contains("\"mallory\""));
        const HttpResult kept
            = m_server.get(u"/api/v1/conversations/"_s + m_conversation, m_user.accessToken);
        QCOMPARE(kept.status, 200);
        QCOMPARE(kept.json().value("title"_L1).toString(), u"The one to keep"_s);
        // Not one request of this suite got a 5xx.
        const HttpResult metrics = m_server.get(u"/metrics"_s);
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains("confab_http_requests_total{"));
        static const QRegularExpression serverError(
            u"confab_http_requests_total\\{[^}]*\"5\\d\\d\""_s);
        const auto match = serverError.match(QString::fromUtf8(metrics.body));
        QVERIFY2(!match.hasMatch(), qPrintable(match.captured()));
    }

private:
    ServerHarness m_server;
    SignedIn m_user;
    QString m_conversation;
    QString m_apiToken;
};

QTEST_GUILESS_MAIN(TestServerHostile)
#include "tst_server_hostile.moc"
