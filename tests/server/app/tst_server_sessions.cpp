// Sessions of a real confab-server process: JWT checks, single-device login over HTTP and
// WebSocket, and every way a session ends (logout, password change, disable, admin revoke).

#include "serverharness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QWebSocket>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

namespace {

const QByteArray JwtSecret = "test-jwt-secret-of-more-than-32-bytes-0123456789";

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QJsonObject decodePart(const QByteArray &part)
{
    return QJsonDocument::fromJson(QByteArray::fromBase64(part, QByteArray::Base64UrlEncoding))
        .object();
}

// A token with this header and payload, signed with key by the algorithm's HMAC (or unsigned).
QString forge(const QJsonObject &header, const QJsonObject &payload, const QByteArray &key,
              QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256,
              bool sign = true)
{
    const QByteArray input = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
        + base64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    const QByteArray signature
        = sign ? base64Url(QMessageAuthenticationCode::hash(input, key, algorithm)) : QByteArray();
    return QString::fromLatin1(input + '.' + signature);
}

// Reads WebSocket frames into a list as they arrive.
struct WsClient
{
    QWebSocket socket;
    QList<QJsonObject> frames;
    int closeCode = -1;

    WsClient()
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                         [this](const QString &text) {
                             frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
                         });
        QObject::connect(&socket, &QWebSocket::disconnected, &socket,
                         [this] { closeCode = socket.closeCode(); });
    }
    bool open(QUrl url, const QString &token)
    {
        url.setScheme(u"ws"_s);
        QNetworkRequest request(url);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        socket.open(request);
        return QTest::qWaitFor([this] {
                   return socket.state() == QAbstractSocket::ConnectedState
                       || socket.state() == QAbstractSocket::UnconnectedState;
               })
            && socket.state() == QAbstractSocket::ConnectedState;
    }
    bool waitForType(const QString &type, int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] { return indexOf(type) >= 0; }, timeoutMs);
    }
    int indexOf(const QString &type) const
    {
        for (qsizetype i = 0; i < frames.size(); ++i) {
            if (frames.at(i).value("type"_L1).toString() == type)
                return int(i);
        }
        return -1;
    }
};

} // namespace

class TestServerSessions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void shouldRefuseForgedAndExpiredTokens_data()
    {
        QTest::addColumn<QString>("kind");
        for (const char *kind :
             {"none", "hs512", "rs256", "tampered", "bad-signature", "expired", "future-nbf",
              "wrong-aud", "wrong-iss", "wrong-typ", "no-sid", "garbage"})
            QTest::newRow(kind) << QString::fromLatin1(kind);
    }
    void shouldRefuseForgedAndExpiredTokens()
    {
        QFETCH(QString, kind);
        const SignedIn user = m_server.createUserAndLogin(u"jwt-"_s + kind);
        QVERIFY(!user.accessToken.isEmpty());
        const QList<QByteArray> parts = user.accessToken.toLatin1().split('.');
        QCOMPARE(parts.size(), 3);
        QJsonObject header = decodePart(parts.at(0));
        QJsonObject payload = decodePart(parts.at(1));
        QCOMPARE(header.value("alg"_L1).toString(), u"HS256"_s);
        const qint64 now = QDateTime::currentSecsSinceEpoch();

        QString token;
        if (kind == "none"_L1) {
            header.insert(u"alg"_s, u"none"_s);
            token = forge(header, payload, {}, QCryptographicHash::Sha256, false);
        } else if (kind == "hs512"_L1) {
            header.insert(u"alg"_s, u"HS512"_s);
            token = forge(header, payload, JwtSecret, QCryptographicHash::Sha512);
        } else if (kind == "rs256"_L1) {
            header.insert(u"alg"_s, u"RS256"_s);
            token = forge(header, payload, JwtSecret);
        } else if (kind == "tampered"_L1) {
            payload.insert(u"sub"_s, u"1"_s); // the admin's id, signature left as it was
            token = QString::fromLatin1(
                parts.at(0) + '.' + base64Url(QJsonDocument(payload).toJson(QJsonDocument::Compact))
                + '.' + parts.at(2));
        } else if (kind == "bad-signature"_L1) {
            token = forge(header, payload, "another-secret-that-is-long-enough-for-hs256");
        } else if (kind == "expired"_L1) {
            payload.insert(u"exp"_s, now - 10);
            token = forge(header, payload, JwtSecret);
        } else if (kind == "future-nbf"_L1) {
            payload.insert(u"nbf"_s, now + 3600);
            token = forge(header, payload, JwtSecret);
        } else if (kind == "wrong-aud"_L1) {
            payload.insert(u"aud"_s, u"someone-else"_s);
            token = forge(header, payload, JwtSecret);
        } else if (kind == "wrong-iss"_L1) {
            payload.insert(u"iss"_s, u"evil"_s);
            token = forge(header, payload, JwtSecret);
        } else if (kind == "wrong-typ"_L1) {
            payload.insert(u"typ"_s, u"refresh"_s);
            token = forge(header, payload, JwtSecret);
        } else if (kind == "no-sid"_L1) {
            payload.remove(u"sid"_s);
            token = forge(header, payload, JwtSecret);
        } else {
            token = u"not.a.jwt"_s;
        }
        // The same secret and claims re-signed properly still work: the forgery is the cause.
        QCOMPARE(m_server
                     .get(u"/api/v1/users/me"_s,
                          forge(decodePart(parts.at(0)), decodePart(parts.at(1)), JwtSecret))
                     .status,
                 200);
        const HttpResult refused = m_server.get(u"/api/v1/users/me"_s, token);
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.errorCode(), u"unauthorized"_s);
    }

    void shouldKickTheFirstDeviceOnSecondLogin()
    {
        const SignedIn first = m_server.createUserAndLogin(u"dana"_s);
        WsClient socket;
        QVERIFY(socket.open(m_server.url(u"/api/v1/ws"_s), first.accessToken));

        const SignedIn second
            = m_server.login(u"dana"_s, QString::fromLatin1(ServerHarness::UserPassword));
        QVERIFY(!second.accessToken.isEmpty());
        const HttpResult old = m_server.get(u"/api/v1/users/me"_s, first.accessToken);
        QCOMPARE(old.status, 401);
        QCOMPARE(old.errorCode(), u"session_replaced"_s);
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, second.accessToken).status, 200);

        QVERIFY(socket.waitForType(u"session.revoked"_s));
        QCOMPARE(
            socket.frames.at(socket.indexOf(u"session.revoked"_s)).value("reason"_L1).toString(),
            u"session_replaced"_s);
        QTRY_COMPARE(socket.socket.state(), QAbstractSocket::UnconnectedState);
        // The old refresh token is dead too.
        QCOMPARE(
            m_server.post(u"/api/v1/auth/refresh"_s, {{u"refresh_token"_s, first.refreshToken}})
                .status,
            401);
    }

    void shouldLeaveOneSessionAfterSimultaneousLogins()
    {
        m_server.createUserAndLogin(u"erin"_s);
        QNetworkAccessManager network;
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 4; ++i) {
            QNetworkRequest request(m_server.url(u"/api/v1/auth/login"_s));
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            replies.append(network.post(
                request,
                QJsonDocument(
                    QJsonObject{{u"username"_s, u"erin"_s},
                                {u"password"_s, QString::fromLatin1(ServerHarness::UserPassword)}})
                    .toJson()));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.cbegin(), replies.cend(),
                                             [](QNetworkReply *r) { return r->isFinished(); }),
                                 20000);
        int valid = 0;
        for (QNetworkReply *reply : std::as_const(replies)) {
            const QString token = QJsonDocument::fromJson(reply->readAll())
                                      .object()
                                      .value("access_token"_L1)
                                      .toString();
            QVERIFY(!token.isEmpty());
            valid += m_server.get(u"/api/v1/users/me"_s, token).status == 200 ? 1 : 0;
            reply->deleteLater();
        }
        QCOMPARE(valid, 1);
    }

    void shouldEndSessionsOnLogoutPasswordChangeAndDisable()
    {
        const SignedIn user = m_server.createUserAndLogin(u"fred"_s);
        QCOMPARE(m_server.post(u"/api/v1/auth/logout"_s, {}, user.accessToken).status, 204);
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, user.accessToken).status, 401);

        const SignedIn again
            = m_server.login(u"fred"_s, QString::fromLatin1(ServerHarness::UserPassword));
        const HttpResult changed = m_server.post(
            u"/api/v1/users/me/password"_s,
            {{u"current_password"_s, QString::fromLatin1(ServerHarness::UserPassword)},
             {u"new_password"_s, u"Another-Long-Passw0rd"_s}},
            again.accessToken);
        QCOMPARE(changed.status, 200);
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, again.accessToken).status, 401);
        const QString fresh = changed.json().value("access_token"_L1).toString();
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, fresh).status, 200);

        WsClient socket;
        QVERIFY(socket.open(m_server.url(u"/api/v1/ws"_s), fresh));
        const SignedIn admin = m_server.loginAdmin();
        QCOMPARE(
            m_server
                .patch(u"/api/v1/admin/users/%1"_s.arg(
                           changed.json().value("user"_L1).toObject().value("id"_L1).toString()),
                       {{u"status"_s, u"disabled"_s}}, admin.accessToken)
                .status,
            200);
        const HttpResult disabled = m_server.get(u"/api/v1/users/me"_s, fresh);
        QCOMPARE(disabled.status, 401);
        QVERIFY(socket.waitForType(u"session.revoked"_s));
        const HttpResult login = m_server.post(
            u"/api/v1/auth/login"_s,
            {{u"username"_s, u"fred"_s}, {u"password"_s, u"Another-Long-Passw0rd"_s}});
        QCOMPARE(login.status, 403);
        QCOMPARE(login.errorCode(), u"account_disabled"_s);
    }

    void shouldRefuseUnauthenticatedWebSocketUpgrade()
    {
        WsClient anonymous;
        QVERIFY(!anonymous.open(m_server.url(u"/api/v1/ws"_s), {}));
        WsClient forged;
        QVERIFY(!forged.open(m_server.url(u"/api/v1/ws"_s), u"a.b.c"_s));
        QCOMPARE(m_server.get(u"/health"_s).status, 200);
    }

    void shouldAnswerPing()
    {
        const SignedIn user = m_server.createUserAndLogin(u"gina"_s);
        WsClient socket;
        QVERIFY(socket.open(m_server.url(u"/api/v1/ws"_s), user.accessToken));
        socket.socket.sendTextMessage(u"{\"type\":\"ping\"}"_s);
        QVERIFY(socket.waitForType(u"pong"_s));
    }

    // With the heartbeat shortened to 300 ms (30 s in production): a client that answers
    // pings stays, one that stays silent past a ping is dropped.
    void shouldDropClientsSilentAfterPing()
    {
        ServerHarness server;
        QProcessEnvironment env;
        env.insert(u"CONFAB_WS_HEARTBEAT_MS"_s, u"300"_s);
        QVERIFY(server.start({}, env));
        const SignedIn quiet = server.createUserAndLogin(u"quiet"_s);
        const SignedIn chatty = server.createUserAndLogin(u"chatty"_s);
        WsClient silent;
        WsClient answering;
        QVERIFY(silent.open(server.url(u"/api/v1/ws"_s), quiet.accessToken));
        QVERIFY(answering.open(server.url(u"/api/v1/ws"_s), chatty.accessToken));
        QObject::connect(&answering.socket, &QWebSocket::textMessageReceived, &answering.socket,
                         [&answering](const QString &text) {
                             if (text.contains("\"ping\""_L1))
                                 answering.socket.sendTextMessage(u"{\"type\":\"pong\"}"_s);
                         });
        QVERIFY(silent.waitForType(u"ping"_s, 2000));
        QTRY_COMPARE_WITH_TIMEOUT(silent.socket.state(), QAbstractSocket::UnconnectedState, 3000);
        QTest::qWait(1000);
        QCOMPARE(answering.socket.state(), QAbstractSocket::ConnectedState);
        QVERIFY(answering.frames.size() >= 3); // several pings answered
        QCOMPARE(server.stop(), 0);
    }

private:
    ServerHarness m_server;
};

QTEST_GUILESS_MAIN(TestServerSessions)
#include "tst_server_sessions.moc"
