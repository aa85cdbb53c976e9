// Accounts on a real confab-server process: registration modes, the password policy, login
// brute-force backoff (per account, per address, X-Forwarded-For only from a trusted proxy),
// the admin's user management (and its last-admin guard) and personal API tokens.

#include "policysupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

namespace {

const QString StrongPassword = u"Sturdy-Passw0rd-42"_s;

QJsonObject credentials(const QString &username, const QString &password)
{
    return {{u"username"_s, username}, {u"password"_s, password}};
}

HttpResult loginFrom(ServerHarness &server, const QString &username, const QString &password,
                     const QByteArray &forwardedFor = {})
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!forwardedFor.isEmpty())
        headers.append({"X-Forwarded-For", forwardedFor});
    return server.request("POST", u"/api/v1/auth/login"_s,
                          QJsonDocument(credentials(username, password)).toJson(), {}, headers);
}

int retryAfter(const HttpResult &reply)
{
    bool ok = false;
    const int seconds = reply.header("retry-after").toInt(&ok);
    return ok ? seconds : -1;
}

QString repeated(const QString &piece, int count)
{
    QString text;
    for (int i = 0; i < count; ++i)
        text += piece;
    return text;
}

QStringList usernames(const QList<QJsonObject> &users)
{
    QStringList names;
    for (const QJsonObject &user : users)
        names.append(user.value("username"_L1).toString());
    return names;
}

} // namespace

class TestServerAccounts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void shouldRegisterAsTheModeSays()
    {
        // open (the harness's flag): active at once.
        const HttpResult open = register_(u"reg-open"_s);
        QCOMPARE(open.status, 201);
        QCOMPARE(open.json().value("user"_L1).toObject().value("status"_L1).toString(),
                 u"active"_s);
        QCOMPARE(loginFrom(m_server, u"reg-open"_s, StrongPassword).status, 200);
        const HttpResult taken = register_(u"REG-OPEN"_s);
        QCOMPARE(taken.status, 409);
        QCOMPARE(taken.errorCode(), u"conflict"_s);

        // approval: pending until an admin approves.
        QCOMPARE(putSettings(m_server, {{u"registration"_s, u"approval"_s}}).status, 200);
        const HttpResult waiting = register_(u"reg-wait"_s);
        QCOMPARE(waiting.status, 201);
        const QJsonObject user = waiting.json().value("user"_L1).toObject();
        QCOMPARE(user.value("status"_L1).toString(), u"pending"_s);
        const HttpResult early = loginFrom(m_server, u"reg-wait"_s, StrongPassword);
        QCOMPARE(early.status, 403);
        QCOMPARE(early.errorCode(), u"pending_approval"_s);
        const QString admin = m_server.loginAdmin().accessToken;
        QVERIFY(usernames(allPages(m_server, u"/api/v1/admin/users?status=pending"_s, admin))
                    .contains(u"reg-wait"_s));
        const HttpResult approved
            = patchUser(m_server, user.value("id"_L1).toString(), {{u"status"_s, u"active"_s}});
        QCOMPARE(approved.status, 200);
        QCOMPARE(approved.json().value("status"_L1).toString(), u"active"_s);
        QCOMPARE(loginFrom(m_server, u"reg-wait"_s, StrongPassword).status, 200);
        QVERIFY(!usernames(allPages(m_server, u"/api/v1/admin/users?status=pending"_s, admin))
                     .contains(u"reg-wait"_s));

        // closed: nobody signs up, admins still create accounts.
        QCOMPARE(putSettings(m_server, {{u"registration"_s, u"closed"_s}}).status, 200);
        const HttpResult closed = register_(u"reg-closed"_s);
        QCOMPARE(closed.status, 403);
        QCOMPARE(closed.errorCode(), u"registration_closed"_s);
        QCOMPARE(loginFrom(m_server, u"reg-closed"_s, StrongPassword).status, 401);
        QCOMPARE(
            m_server
                .post(u"/api/v1/admin/users"_s, credentials(u"reg-closed"_s, StrongPassword), admin)
                .status,
            201);
        QCOMPARE(putSettings(m_server, {{u"registration"_s, u"open"_s}}).status, 200);
        QCOMPARE(register_(u"reg-open-again"_s).status, 201);
    }

    void shouldEnforceThePasswordPolicy_data()
    {
        QTest::addColumn<QString>("username");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("7 characters") << u"pw-7"_s << u"Xq7#vLp"_s << false;
        QTest::newRow("8 characters") << u"pw-8"_s << u"Xq7#vLp2"_s << true;
        QTest::newRow("128 characters") << u"pw-128"_s << repeated(u"Zy9#"_s, 32) << true;
        QTest::newRow("129 characters") << u"pw-129"_s << repeated(u"Zy9#"_s, 32) + u'x' << false;
        QTest::newRow("common") << u"pw-common"_s << u"password123"_s << false;
        QTest::newRow("common, other case") << u"pw-common2"_s << u"Password123"_s << false;
        QTest::newRow("the username") << u"Sly-Fox-2024"_s << u"Sly-Fox-2024"_s << false;
        QTest::newRow("the username, other case")
            << u"Sly-Fox-2025"_s << u"sly-fox-2025"_s << false;
        // Characters, not UTF-16 units or bytes.
        QTest::newRow("7 emoji") << u"pw-emoji7"_s << repeated(u"😀"_s, 7) << false;
        QTest::newRow("8 emoji") << u"pw-emoji8"_s << repeated(u"🙂"_s, 8) << true;
        QTest::newRow("128 emoji") << u"pw-emoji128"_s << repeated(u"😺"_s, 128) << true;
        QTest::newRow("129 emoji") << u"pw-emoji129"_s << repeated(u"😺"_s, 129) << false;
    }
    void shouldEnforceThePasswordPolicy()
    {
        QFETCH(QString, username);
        QFETCH(QString, password);
        QFETCH(bool, accepted);
        const HttpResult registered
            = m_server.post(u"/api/v1/auth/register"_s, credentials(username, password));
        QVERIFY2(registered.status == (accepted ? 201 : 400), registered.body.constData());
        if (!accepted) {
            QCOMPARE(registered.errorCode(), u"invalid_request"_s);
            QVERIFY(!registered.json()
                         .value("error"_L1)
                         .toObject()
                         .value("message"_L1)
                         .toString()
                         .isEmpty());
            // The admin's creation and password reset follow the same policy.
            const QString admin = m_server.loginAdmin().accessToken;
            QCOMPARE(m_server.post(u"/api/v1/admin/users"_s, credentials(username, password), admin)
                         .status,
                     400);
            // The user's own password change too.
            const SignedIn user = m_server.createUserAndLogin(username);
            QVERIFY(!user.accessToken.isEmpty());
            const HttpResult changed = m_server.post(
                u"/api/v1/users/me/password"_s,
                {{u"current_password"_s, QString::fromLatin1(ServerHarness::UserPassword)},
                 {u"new_password"_s, password}},
                user.accessToken);
            QCOMPARE(changed.status, 400);
            QCOMPARE(patchUser(m_server, user.userId, {{u"password"_s, password}}).status, 400);
        } else {
            QCOMPARE(loginFrom(m_server, username, password).status, 200);
        }
    }

    void shouldAnswerUnknownUserAndWrongPasswordAlike()
    {
        ServerHarness server; // its own: failures count against this address
        QVERIFY(server.start());
        server.createUserAndLogin(u"known"_s);
        const SignedIn disabled = server.createUserAndLogin(u"disabled-one"_s);
        QCOMPARE(patchUser(server, disabled.userId, {{u"status"_s, u"disabled"_s}}).status, 200);
        const HttpResult unknown = loginFrom(server, u"unknown-user"_s, StrongPassword);
        const HttpResult wrong = loginFrom(server, u"known"_s, StrongPassword);
        const HttpResult wrongDisabled = loginFrom(server, u"disabled-one"_s, StrongPassword);
        QCOMPARE(unknown.status, 401);
        QCOMPARE(unknown.errorCode(), u"invalid_credentials"_s);
        for (const HttpResult *other : {&wrong, &wrongDisabled}) {
            QCOMPARE(other->status, unknown.status);
            QCOMPARE(other->body, unknown.body);
            QCOMPARE(other->header("content-type"), unknown.header("content-type"));
            QCOMPARE(other->header("www-authenticate"), unknown.header("www-authenticate"));
        }
        QCOMPARE(server.stop(), 0);
    }

    void shouldBackOffPerAddress()
    {
        ServerHarness server;
        QVERIFY(server.start());
        server.createUserAndLogin(u"victim"_s);
        // Guessing at many accounts from one address...
        for (int i = 1; i <= 6; ++i) {
            const HttpResult failed = loginFrom(server, u"guess-%1"_s.arg(i), StrongPassword);
            QCOMPARE(failed.status, 401);
        }
        // ...holds back that address, even with the right password of another account...
        const HttpResult held
            = loginFrom(server, u"victim"_s, QString::fromLatin1(ServerHarness::UserPassword));
        QCOMPARE(held.status, 429);
        QCOMPARE(held.errorCode(), u"rate_limited"_s);
        QVERIFY2(retryAfter(held) >= 1, held.header("retry-after").constData());
        // ...and a made-up X-Forwarded-For does not escape it (no proxy is trusted).
        for (const QByteArray &spoofed :
             {QByteArray("203.0.113.9"), QByteArray("203.0.113.9, 10.1.1.1")}) {
            const HttpResult escaped = loginFrom(
                server, u"victim"_s, QString::fromLatin1(ServerHarness::UserPassword), spoofed);
            QCOMPARE(escaped.status, 429);
        }
        // Once the wait is over the right password works.
        QTest::qWait(retryAfter(held) * 1000);
        QTRY_COMPARE_WITH_TIMEOUT(
            loginFrom(server, u"victim"_s, QString::fromLatin1(ServerHarness::UserPassword)).status,
            200, 5000);
        QCOMPARE(server.stop(), 0);
    }

    void shouldBackOffPerAccountAndTrustATrustedProxy()
    {
        ServerHarness server;
        QVERIFY(server.start({u"--trusted-proxy"_s, u"127.0.0.1"_s}));
        server.createUserAndLogin(u"target"_s);
        server.createUserAndLogin(u"bystander"_s);
        const QString password = QString::fromLatin1(ServerHarness::UserPassword);

        // Per account: failures from many addresses still add up for the account.
        for (int i = 1; i <= 6; ++i) {
            const HttpResult failed = loginFrom(server, u"target"_s, StrongPassword,
                                                "198.51.100." + QByteArray::number(i));
            QCOMPARE(failed.status, 401);
        }
        const HttpResult held = loginFrom(server, u"target"_s, password, "198.51.100.200");
        QCOMPARE(held.status, 429);
        QCOMPARE(held.errorCode(), u"rate_limited"_s);
        QVERIFY(retryAfter(held) >= 1);
        // The account's name in another case is the same account.
        QCOMPARE(loginFrom(server, u"TARGET"_s, password, "198.51.100.201").status, 429);
        // Other accounts from those addresses are fine.
        QCOMPARE(loginFrom(server, u"bystander"_s, password, "198.51.100.1").status, 200);

        // Per address, as the trusted proxy reports it.
        for (int i = 1; i <= 6; ++i)
            QCOMPARE(loginFrom(server, u"nobody-%1"_s.arg(i), StrongPassword, "192.0.2.7").status,
                     401);
        QCOMPARE(loginFrom(server, u"bystander"_s, password, "192.0.2.7").status, 429);
        // A client's own X-Forwarded-For entry comes first; the proxy's hop is the one used.
        QCOMPARE(loginFrom(server, u"bystander"_s, password, "192.0.2.8, 192.0.2.7").status, 429);
        QCOMPARE(loginFrom(server, u"bystander"_s, password, "192.0.2.8").status, 200);

        QTest::qWait(retryAfter(held) * 1000);
        QTRY_COMPARE_WITH_TIMEOUT(loginFrom(server, u"target"_s, password, "198.51.100.250").status,
                                  200, 5000);
        QCOMPARE(server.stop(), 0);
    }

    void shouldCreateAndListUsers()
    {
        const QString admin = m_server.loginAdmin().accessToken;
        for (int i = 1; i <= 5; ++i) {
            QJsonObject body = credentials(u"lister-%1"_s.arg(i), StrongPassword);
            body.insert(u"email"_s, u"lister%1@example.org"_s.arg(i));
            if (i % 2 == 0)
                body.insert(u"status"_s, u"pending"_s);
            const HttpResult created = m_server.post(u"/api/v1/admin/users"_s, body, admin);
            QCOMPARE(created.status, 201);
            const QJsonObject user = created.json();
            QCOMPARE(user.value("username"_L1).toString(), u"lister-%1"_s.arg(i));
            QCOMPARE(user.value("role"_L1).toString(), u"user"_s);
            QCOMPARE(user.value("status"_L1).toString(), i % 2 ? u"active"_s : u"pending"_s);
            QVERIFY(!user.value("id"_L1).toString().isEmpty());
        }
        QCOMPARE(
            m_server
                .post(u"/api/v1/admin/users"_s, credentials(u"Lister-1"_s, StrongPassword), admin)
                .status,
            409);
        QCOMPARE(
            m_server.post(u"/api/v1/admin/users"_s, credentials(u"ab"_s, StrongPassword), admin)
                .status,
            400);

        // Paging: pages of two, every user once, in a stable order.
        const QList<QJsonObject> paged
            = allPages(m_server, u"/api/v1/admin/users?q=lister-"_s, admin, 2);
        QStringList names = usernames(paged);
        QCOMPARE(names.size(), 5);
        names.sort();
        QCOMPARE(names.join(u','), u"lister-1,lister-2,lister-3,lister-4,lister-5"_s);
        const HttpResult first = m_server.get(u"/api/v1/admin/users?q=lister-&limit=2"_s, admin);
        QCOMPARE(first.json().value("items"_L1).toArray().size(), 2);
        QVERIFY(first.json().value("next_cursor"_L1).isString());
        // Search reaches the email too; the status filter narrows.
        QCOMPARE(usernames(allPages(m_server, u"/api/v1/admin/users?q=lister3%40"_s, admin)),
                 QStringList{u"lister-3"_s});
        QStringList pending = usernames(
            allPages(m_server, u"/api/v1/admin/users?q=lister-&status=pending"_s, admin));
        pending.sort();
        QCOMPARE(pending, (QStringList{u"lister-2"_s, u"lister-4"_s}));
        QCOMPARE(m_server.get(u"/api/v1/admin/users?status=sleeping"_s, admin).status, 400);
        // Everyone is listed without filters, the admin too.
        QVERIFY(usernames(allPages(m_server, u"/api/v1/admin/users"_s, admin, 3))
                    .contains(QString::fromLatin1(ServerHarness::AdminName)));
    }

    void shouldDisableAUserAndCutTheirSession()
    {
        const SignedIn user = m_server.createUserAndLogin(u"to-disable"_s);
        WsClient socket;
        QVERIFY(socket.open(m_server, user.accessToken));
        const HttpResult disabled
            = patchUser(m_server, user.userId, {{u"status"_s, u"disabled"_s}});
        QCOMPARE(disabled.status, 200);
        QCOMPARE(disabled.json().value("status"_L1).toString(), u"disabled"_s);

        const int revoked = socket.waitFor([](const QJsonObject &frame) {
            return frame.value("type"_L1).toString() == "session.revoked"_L1;
        });
        QVERIFY(revoked >= 0);
        QCOMPARE(socket.frames().at(revoked).value("reason"_L1).toString(), u"account_disabled"_s);
        QTRY_VERIFY(!socket.isConnected());
        const HttpResult me = m_server.get(u"/api/v1/users/me"_s, user.accessToken);
        QCOMPARE(me.status, 401);
        QCOMPARE(me.errorCode(), u"account_disabled"_s);
        QCOMPARE(m_server.post(u"/api/v1/auth/refresh"_s, {{u"refresh_token"_s, user.refreshToken}})
                     .status,
                 401);
        const HttpResult login = loginFrom(m_server, u"to-disable"_s,
                                           QString::fromLatin1(ServerHarness::UserPassword));
        QCOMPARE(login.status, 403);
        QCOMPARE(login.errorCode(), u"account_disabled"_s);

        QCOMPARE(patchUser(m_server, user.userId, {{u"status"_s, u"active"_s}}).status, 200);
        QCOMPARE(
            loginFrom(m_server, u"to-disable"_s, QString::fromLatin1(ServerHarness::UserPassword))
                .status,
            200);
    }

    void shouldDeleteAUserAndTheirData()
    {
        const SignedIn user = m_server.createUserAndLogin(u"to-delete"_s);
        const QString conversation = m_server.createConversation(user.accessToken);
        QCOMPARE(sendMessage(m_server, user.accessToken, conversation, u"remember me"_s).status,
                 200);
        const QString apiToken = m_server.createApiToken(user.accessToken);
        const qint64 id = user.userId.toLongLong();
        const QString db = m_server.databasePath();
        const auto count = [&db, id](const QString &table) {
            return queryCount(db, u"SELECT count(*) FROM %1 WHERE user_id = ?"_s.arg(table), {id});
        };
        QCOMPARE(count(u"conversations"_s), 1);
        QVERIFY(count(u"sessions"_s) >= 1);
        QCOMPARE(count(u"api_tokens"_s), 1);
        QCOMPARE(count(u"usage"_s), 1);

        const QString admin = m_server.loginAdmin().accessToken;
        QCOMPARE(m_server.del(u"/api/v1/admin/users/"_s + user.userId, admin).status, 204);
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, user.accessToken).status, 401);
        QCOMPARE(m_server.request("GET", u"/v1/models"_s, {}, apiToken).status, 401);
        QCOMPARE(
            loginFrom(m_server, u"to-delete"_s, QString::fromLatin1(ServerHarness::UserPassword))
                .errorCode(),
            u"invalid_credentials"_s);
        QVERIFY(!usernames(allPages(m_server, u"/api/v1/admin/users"_s, admin))
                     .contains(u"to-delete"_s));
        QCOMPARE(m_server.del(u"/api/v1/admin/users/"_s + user.userId, admin).status, 404);
        QCOMPARE(patchUser(m_server, user.userId, {{u"status"_s, u"active"_s}}).status, 404);

        // Their rows are gone from the database, messages included.
        for (const QString &table :
             {u"conversations"_s, u"sessions"_s, u"api_tokens"_s, u"usage"_s, u"presets"_s})
            QVERIFY2(count(table) == 0, qPrintable(table));
        QCOMPARE(queryCount(db, u"SELECT count(*) FROM messages WHERE conversation_id = ?"_s,
                            {conversation.toLongLong()}),
                 0);
        QCOMPARE(queryCount(db, u"SELECT count(*) FROM users WHERE id = ?"_s, {id}), 0);

        // A new account of the same name starts empty and cannot reach the old conversation.
        const SignedIn again = m_server.createUserAndLogin(u"to-delete"_s);
        // (SQLite may hand the new account the same id: nothing of the old one may show.)
        QVERIFY(!again.accessToken.isEmpty());
        QVERIFY(m_server.get(u"/api/v1/conversations"_s, again.accessToken)
                    .json()
                    .value("items"_L1)
                    .toArray()
                    .isEmpty());
        QCOMPARE(m_server.get(u"/api/v1/conversations/"_s + conversation, again.accessToken).status,
                 404);
        QVERIFY(!m_server.get(u"/api/v1/search?q=remember"_s, again.accessToken)
                     .body.contains("remember me"));
    }

    void shouldResetAPassword()
    {
        const SignedIn user = m_server.createUserAndLogin(u"to-reset"_s);
        WsClient socket;
        QVERIFY(socket.open(m_server, user.accessToken));
        const HttpResult reset
            = patchUser(m_server, user.userId, {{u"password"_s, StrongPassword}});
        QCOMPARE(reset.status, 200);
        QVERIFY(!reset.body.contains(StrongPassword.toLatin1()));
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, user.accessToken).status, 401);
        QCOMPARE(m_server.post(u"/api/v1/auth/refresh"_s, {{u"refresh_token"_s, user.refreshToken}})
                     .status,
                 401);
        QTRY_VERIFY(!socket.isConnected());
        QCOMPARE(
            loginFrom(m_server, u"to-reset"_s, QString::fromLatin1(ServerHarness::UserPassword))
                .status,
            401);
        QCOMPARE(loginFrom(m_server, u"to-reset"_s, StrongPassword).status, 200);
    }

    void shouldSetRoles()
    {
        const SignedIn user = m_server.createUserAndLogin(u"to-promote"_s);
        QCOMPARE(m_server.get(u"/api/v1/admin/users"_s, user.accessToken).status, 403);
        const HttpResult promoted = patchUser(m_server, user.userId, {{u"role"_s, u"admin"_s}});
        QCOMPARE(promoted.status, 200);
        QCOMPARE(promoted.json().value("role"_L1).toString(), u"admin"_s);
        // At once, with the token they already hold.
        QCOMPARE(m_server.get(u"/api/v1/admin/users"_s, user.accessToken).status, 200);
        QCOMPARE(patchUser(m_server, user.userId, {{u"role"_s, u"superuser"_s}}).status, 400);
        QCOMPARE(patchUser(m_server, user.userId, {{u"role"_s, u"user"_s}}).status, 200);
        QCOMPARE(m_server.get(u"/api/v1/admin/users"_s, user.accessToken).status, 403);
    }

    void shouldSetQuotas()
    {
        const SignedIn user = m_server.createUserAndLogin(u"quota-set"_s);
        const QJsonObject quota{{u"daily_requests"_s, 10},
                                {u"monthly_requests"_s, 200},
                                {u"daily_tokens"_s, 5000},
                                {u"monthly_tokens"_s, 100000}};
        const HttpResult set = patchUser(m_server, user.userId, {{u"quota"_s, quota}});
        QCOMPARE(set.status, 200);
        const QJsonObject usage
            = m_server.get(u"/api/v1/users/me/usage"_s, user.accessToken).json();
        for (auto it = quota.constBegin(); it != quota.constEnd(); ++it) {
            QCOMPARE(set.json().value("quota"_L1).toObject().value(it.key()).toInt(), it->toInt());
            QCOMPARE(usage.value("quota"_L1).toObject().value(it.key()).toInt(), it->toInt());
        }
        for (const QJsonObject &bad :
             {QJsonObject{{u"daily_requests"_s, -1}}, QJsonObject{{u"daily_requests"_s, 1.5}},
              QJsonObject{{u"daily_requests"_s, u"ten"_s}},
              QJsonObject{{u"weekly_requests"_s, 1}}}) {
            const HttpResult refused = patchUser(m_server, user.userId, {{u"quota"_s, bad}});
            QCOMPARE(refused.status, 400);
            QCOMPARE(refused.errorCode(), u"invalid_request"_s);
        }
        // Unchanged by the refused attempts; null lifts a limit.
        const HttpResult lifted
            = patchUser(m_server, user.userId,
                        {{u"quota"_s, QJsonObject{{u"daily_requests"_s, QJsonValue()}}}});
        QCOMPARE(lifted.status, 200);
        const QJsonObject after = lifted.json().value("quota"_L1).toObject();
        QVERIFY(after.value("daily_requests"_L1).isNull());
        QCOMPARE(after.value("monthly_requests"_L1).toInt(), 200);
    }

    void shouldRevokeSessions()
    {
        const SignedIn user = m_server.createUserAndLogin(u"to-revoke"_s);
        const QString admin = m_server.loginAdmin().accessToken;
        const QString path = u"/api/v1/admin/users/%1/revoke"_s.arg(user.userId);
        const HttpResult revoked = m_server.post(path, {}, admin);
        QCOMPARE(revoked.status, 200);
        QCOMPARE(revoked.json(), (QJsonObject{{u"revoked"_s, 1}}));
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, user.accessToken).status, 401);
        QCOMPARE(m_server.post(u"/api/v1/auth/refresh"_s, {{u"refresh_token"_s, user.refreshToken}})
                     .status,
                 401);
        QCOMPARE(m_server.post(path, {}, admin).json(), (QJsonObject{{u"revoked"_s, 0}}));
        QCOMPARE(m_server.post(u"/api/v1/admin/users/999999/revoke"_s, {}, admin).status, 404);
        // They may sign in again.
        QCOMPARE(
            loginFrom(m_server, u"to-revoke"_s, QString::fromLatin1(ServerHarness::UserPassword))
                .status,
            200);
    }

    void shouldKeepTheLastActiveAdmin()
    {
        const SignedIn admin = m_server.loginAdmin();
        const QString self = admin.userId;
        // A second admin, disabled, does not count.
        QJsonObject body = credentials(u"sleeping-admin"_s, StrongPassword);
        body.insert(u"role"_s, u"admin"_s);
        body.insert(u"status"_s, u"disabled"_s);
        const HttpResult sleeping
            = m_server.post(u"/api/v1/admin/users"_s, body, admin.accessToken);
        QCOMPARE(sleeping.status, 201);
        const QString sleepingId = sleeping.json().value("id"_L1).toString();

        for (const QJsonObject &change :
             {QJsonObject{{u"role"_s, u"user"_s}}, QJsonObject{{u"status"_s, u"disabled"_s}},
              QJsonObject{{u"status"_s, u"pending"_s}}}) {
            const HttpResult refused = patchUser(m_server, self, change);
            QCOMPARE(refused.status, 409);
            QCOMPARE(refused.errorCode(), u"conflict"_s);
        }
        const HttpResult deleted
            = m_server.del(u"/api/v1/admin/users/"_s + self, admin.accessToken);
        QCOMPARE(deleted.status, 409);
        const HttpResult me = m_server.get(u"/api/v1/users/me"_s, admin.accessToken);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().value("role"_L1).toString(), u"admin"_s);
        QCOMPARE(me.json().value("status"_L1).toString(), u"active"_s);

        // With another active admin, either may step down; the last one may not.
        QCOMPARE(patchUser(m_server, sleepingId, {{u"status"_s, u"active"_s}}).status, 200);
        QCOMPARE(patchUser(m_server, sleepingId, {{u"role"_s, u"user"_s}}).status, 200);
        QCOMPARE(patchUser(m_server, self, {{u"role"_s, u"user"_s}}).status, 409);
        QCOMPARE(m_server.del(u"/api/v1/admin/users/"_s + sleepingId, admin.accessToken).status,
                 204);
    }

    void shouldManageApiTokens()
    {
        const SignedIn user = m_server.createUserAndLogin(u"token-owner"_s);
        const HttpResult created
            = m_server.post(u"/api/v1/users/me/tokens"_s, {{u"name"_s, u"ci"_s}}, user.accessToken);
        QCOMPARE(created.status, 201);
        const QJsonObject token = created.json();
        QStringList keys = token.keys();
        keys.sort();
        QCOMPARE(keys,
                 (QStringList{u"created_at"_s, u"id"_s, u"last_used_at"_s, u"name"_s, u"token"_s}));
        const QString secret = token.value("token"_L1).toString();
        QVERIFY2(secret.startsWith("cfb_"_L1) && secret.size() >= 30, qPrintable(secret));
        QCOMPARE(token.value("name"_L1).toString(), u"ci"_s);
        const QString second = m_server.createApiToken(user.accessToken, u"other"_s);
        QVERIFY(second != secret);

        // Listed without secrets.
        const HttpResult listed = m_server.get(u"/api/v1/users/me/tokens"_s, user.accessToken);
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.json().value("items"_L1).toArray().size(), 2);
        QVERIFY(!listed.body.contains(secret.toLatin1()));
        QVERIFY(!listed.body.contains(second.toLatin1()));
        QVERIFY(!listed.body.contains("cfb_"));
        for (const QJsonValue &item : listed.json().value("items"_L1).toArray())
            QVERIFY(!item.toObject().contains("token"_L1));

        QCOMPARE(m_server.request("GET", u"/v1/models"_s, {}, secret).status, 200);
        // An API token is not a session token, and a session token is not an API token.
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, secret).status, 401);
        QCOMPARE(m_server.request("GET", u"/v1/models"_s, {}, user.accessToken).status, 401);

        const QString id = token.value("id"_L1).toString();
        QCOMPARE(m_server.del(u"/api/v1/users/me/tokens/"_s + id, user.accessToken).status, 204);
        const HttpResult refused = m_server.request("GET", u"/v1/models"_s, {}, secret);
        QCOMPARE(refused.status, 401);
        QCOMPARE(m_server
                     .request("POST", u"/v1/chat/completions"_s,
                              R"({"messages":[{"role":"user","content":"hi"}]})", secret)
                     .status,
                 401);
        QCOMPARE(m_server.request("GET", u"/v1/models"_s, {}, second).status, 200);
        QCOMPARE(m_server.del(u"/api/v1/users/me/tokens/"_s + id, user.accessToken).status, 404);
        const HttpResult after = m_server.get(u"/api/v1/users/me/tokens"_s, user.accessToken);
        QCOMPARE(after.json().value("items"_L1).toArray().size(), 1);
        QCOMPARE(after.json().value("items"_L1).toArray().first().toObject().value("name"_L1),
                 u"other"_s);
    }

private:
    HttpResult register_(const QString &username)
    {
        return m_server.post(u"/api/v1/auth/register"_s, credentials(username, StrongPassword));
    }

    ServerHarness m_server;
};

QTEST_GUILESS_MAIN(TestServerAccounts)
#include "tst_server_accounts.moc"
