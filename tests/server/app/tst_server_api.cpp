// The HTTP API of a real confab-server process: accounts, conversations, messages and answers,
// each route's happy path and its errors.

#include "serverharness.h"
#include "storage/conversationstore.h"
#include "storage/database.h"

#include <QJsonArray>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

class TestServerApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void shouldAnswerHealth()
    {
        const HttpResult health = m_server.get(u"/health"_s);
        QCOMPARE(health.status, 200);
        QCOMPARE(health.json().value("status"_L1).toString(), u"ok"_s);
    }

    void shouldRegisterLoginAndRefresh()
    {
        const HttpResult registered
            = m_server.post(u"/api/v1/auth/register"_s,
                            {{u"username"_s, u"alice"_s}, {u"password"_s, u"Correct-Horse-42"_s}});
        QCOMPARE(registered.status, 201);
        const QJsonObject user = registered.json().value("user"_L1).toObject();
        QCOMPARE(user.value("username"_L1).toString(), u"alice"_s);
        QCOMPARE(user.value("status"_L1).toString(), u"active"_s);
        QVERIFY(!registered.body.contains("password"));

        const HttpResult login
            = m_server.post(u"/api/v1/auth/login"_s,
                            {{u"username"_s, u"alice"_s}, {u"password"_s, u"Correct-Horse-42"_s}});
        QCOMPARE(login.status, 200);
        const QJsonObject tokens = login.json();
        QCOMPARE(tokens.value("token_type"_L1).toString(), u"Bearer"_s);
        QVERIFY(tokens.value("expires_in"_L1).toInt() > 0);
        const QString access = tokens.value("access_token"_L1).toString();
        const QString refresh = tokens.value("refresh_token"_L1).toString();

        const HttpResult me = m_server.get(u"/api/v1/users/me"_s, access);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().value("username"_L1).toString(), u"alice"_s);

        const HttpResult refreshed
            = m_server.post(u"/api/v1/auth/refresh"_s, {{u"refresh_token"_s, refresh}});
        QCOMPARE(refreshed.status, 200);
        QVERIFY(refreshed.json().value("refresh_token"_L1).toString() != refresh);
        // The rotated-away token is spent; using it again ends the session.
        const HttpResult reused
            = m_server.post(u"/api/v1/auth/refresh"_s, {{u"refresh_token"_s, refresh}});
        QCOMPARE(reused.status, 401);
    }

    void shouldRefuseBadCredentialsAlike()
    {
        const HttpResult unknown = m_server.post(
            u"/api/v1/auth/login"_s,
            {{u"username"_s, u"nobody-here"_s}, {u"password"_s, u"Whatever-123"_s}});
        m_server.createUserAndLogin(u"bob"_s);
        const HttpResult wrong = m_server.post(
            u"/api/v1/auth/login"_s, {{u"username"_s, u"bob"_s}, {u"password"_s, u"Wrong-123"_s}});
        QCOMPARE(unknown.status, 401);
        QCOMPARE(wrong.status, 401);
        QCOMPARE(unknown.body, wrong.body);
        QCOMPARE(unknown.errorCode(), u"invalid_credentials"_s);
    }

    void shouldChatOverJsonAndKeepMessages()
    {
        const SignedIn carol = m_server.createUserAndLogin(u"carol"_s);
        const QString id
            = m_server.createConversation(carol.accessToken, {{u"title"_s, u"First"_s}});
        QVERIFY(!id.isEmpty());
        m_server.upstream().enqueue(FakeResponse::chatStream({u"Hello"_s, u", world"_s}));
        const HttpResult sent = m_server.post(u"/api/v1/conversations/%1/messages"_s.arg(id),
                                              {{u"content"_s, u"Hi there"_s}}, carol.accessToken);
        QCOMPARE(sent.status, 200);
        const QJsonObject answer = sent.json().value("assistant_message"_L1).toObject();
        QCOMPARE(answer.value("content"_L1).toString(), u"Hello, world"_s);
        QCOMPARE(answer.value("incomplete"_L1).toBool(), false);
        QCOMPARE(sent.json().value("user_message"_L1).toObject().value("content"_L1).toString(),
                 u"Hi there"_s);

        // What went upstream: the user's message, with the server's key, not the client's.
        const FakeRequest upstream = m_server.upstream().lastRequest();
        QCOMPARE(upstream.header("authorization"),
                 QByteArray("Bearer ") + ServerHarness::UpstreamKey);
        const QJsonArray messages = upstream.json().value("messages"_L1).toArray();
        QCOMPARE(messages.last().toObject().value("content"_L1).toString(), u"Hi there"_s);

        const HttpResult listed
            = m_server.get(u"/api/v1/conversations/%1/messages"_s.arg(id), carol.accessToken);
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.json().value("items"_L1).toArray().size(), 2);
    }

    // --tls-cert / --tls-key: the same API over HTTPS with the given certificate.
    void shouldServeHttps()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(u"cert.pem"_s);
        const QString key = dir.filePath(u"key.pem"_s);
        QCOMPARE(QProcess::execute(u"openssl"_s,
                                   {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s,
                                    u"-keyout"_s, key, u"-out"_s, cert, u"-days"_s, u"1"_s,
                                    u"-subj"_s, u"/CN=127.0.0.1"_s}),
                 0);
        ServerHarness server;
        QVERIFY(server.start({u"--tls-cert"_s, cert, u"--tls-key"_s, key}));
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(u"https://127.0.0.1:%1/health"_s.arg(server.port())));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(cert));
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        request.setSslConfiguration(tls);
        QNetworkReply *reply = network.get(request);
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->sslConfiguration().peerCertificate(),
                 QSslCertificate::fromPath(cert).constFirst());
        delete reply;
        // Plain HTTP on the TLS port gets no answer.
        QCOMPARE(server.get(u"/health"_s).status, 0);
        QCOMPARE(server.stop(), 0);
    }

    // --backup FILE while the server runs: a complete, consistent copy; never over a file.
    void shouldBackUpOnline()
    {
        const SignedIn user = m_server.createUserAndLogin(u"backup-user"_s);
        const QString id = m_server.createConversation(user.accessToken,
                                                       {{u"title"_s, u"Kept in the backup"_s}});
        QTemporaryDir dir;
        const QString copy = dir.filePath(u"copy.db"_s);
        QByteArray output;
        QCOMPARE(ServerHarness::runOnce({u"--db"_s, m_server.databasePath(), u"--backup"_s, copy},
                                        &output),
                 0);
        QVERIFY2(output.contains("backed up"), output.constData());
        {
            auto database = Database::open(copy, DatabaseOptions{});
            QVERIFY(database.ok());
            QVERIFY((*database)->integrityCheck().ok());
            const auto conversation
                = ConversationStore(**database).get(user.userId.toLongLong(), id.toLongLong());
            QVERIFY(conversation.ok());
            QCOMPARE(conversation->title, u"Kept in the backup"_s);
        }
        QCOMPARE(ServerHarness::runOnce({u"--db"_s, m_server.databasePath(), u"--backup"_s, copy},
                                        &output),
                 1);
        QCOMPARE(m_server.get(u"/health"_s).status, 200);
    }

private:
    ServerHarness m_server;
};

QTEST_GUILESS_MAIN(TestServerApi)
#include "tst_server_api.moc"
