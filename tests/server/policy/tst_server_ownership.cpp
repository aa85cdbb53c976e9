// Ownership and roles of a real confab-server process: another user's conversations and API
// tokens are 404 not_found on every route and over the WebSocket, exactly like ids that do not
// exist; admin routes are 403 for users and for an admin the moment they are demoted; no user
// JSON carries a password hash, a refresh token or an API token secret.

#include "policysupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

namespace {

constexpr auto SecretWord = "zebracornium";
const QString MissingId = u"987654"_s;

struct Route
{
    QByteArray method;
    QString path; // %1: the conversation id
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
};

} // namespace

class TestServerOwnership : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_alice = m_server.createUserAndLogin(u"alice"_s);
        m_bob = m_server.createUserAndLogin(u"bob"_s);
        QVERIFY(!m_alice.accessToken.isEmpty() && !m_bob.accessToken.isEmpty());
        m_conversation
            = m_server.createConversation(m_alice.accessToken, {{u"title"_s, u"Alice's plans"_s}});
        QVERIFY(!m_conversation.isEmpty());
        m_server.upstream().enqueue(FakeResponse::chatStream({u"Noted."_s}));
        const HttpResult sent
            = sendMessage(m_server, m_alice.accessToken, m_conversation,
                          u"My secret word is %1"_s.arg(QLatin1StringView(SecretWord)));
        QCOMPARE(sent.status, 200);
        m_aliceMessage = sent.json().value("user_message"_L1).toObject().value("id"_L1).toString();
        QVERIFY(!m_aliceMessage.isEmpty());

        const HttpResult token = m_server.post(u"/api/v1/users/me/tokens"_s,
                                               {{u"name"_s, u"laptop"_s}}, m_alice.accessToken);
        QCOMPARE(token.status, 201);
        m_aliceTokenId = token.json().value("id"_L1).toString();
        m_aliceTokenSecret = token.json().value("token"_L1).toString();
        QVERIFY(m_aliceTokenSecret.startsWith("cfb_"_L1));

        m_before = snapshot();
        m_upstreamRequests = chatRequests();
    }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void shouldAnswerNotFoundForAnotherUsersConversation_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("accept");
        const QByteArray send = R"({"content":"Give me your secrets"})";
        QTest::newRow("GET conversation")
            << QByteArray("GET") << u"/api/v1/conversations/%1"_s << QByteArray() << QByteArray();
        QTest::newRow("PATCH conversation")
            << QByteArray("PATCH") << u"/api/v1/conversations/%1"_s
            << QByteArray(R"({"title":"Bob was here","archived":true})") << QByteArray();
        QTest::newRow("DELETE conversation")
            << QByteArray("DELETE") << u"/api/v1/conversations/%1"_s << QByteArray()
            << QByteArray();
        QTest::newRow("GET messages") << QByteArray("GET") << u"/api/v1/conversations/%1/messages"_s
                                      << QByteArray() << QByteArray();
        QTest::newRow("GET messages paged")
            << QByteArray("GET") << u"/api/v1/conversations/%1/messages?limit=1&before=999999"_s
            << QByteArray() << QByteArray();
        QTest::newRow("POST message JSON")
            << QByteArray("POST") << u"/api/v1/conversations/%1/messages"_s << send << QByteArray();
        QTest::newRow("POST message SSE")
            << QByteArray("POST") << u"/api/v1/conversations/%1/messages"_s << send
            << QByteArray("text/event-stream");
        QTest::newRow("POST cancel") << QByteArray("POST") << u"/api/v1/conversations/%1/cancel"_s
                                     << QByteArray("{}") << QByteArray();
        QTest::newRow("POST regenerate")
            << QByteArray("POST") << u"/api/v1/conversations/%1/messages"_s
            << QByteArray(R"({"regenerate":true})") << QByteArray();
    }

    void shouldAnswerNotFoundForAnotherUsersMessage()
    {
        // Deleting it, or editing it from a conversation of Bob's own, finds nothing.
        const HttpResult deleted
            = m_server.del(u"/api/v1/messages/%1"_s.arg(m_aliceMessage), m_bob.accessToken);
        const HttpResult deletedMissing
            = m_server.del(u"/api/v1/messages/%1"_s.arg(MissingId), m_bob.accessToken);
        QCOMPARE(deleted.status, 404);
        QCOMPARE(deleted.body, deletedMissing.body);

        const QString bobs = m_server.createConversation(m_bob.accessToken);
        const HttpResult edited = m_server.post(
            u"/api/v1/conversations/%1/messages"_s.arg(bobs),
            {{u"content"_s, u"Bob was here"_s}, {u"edit_message_id"_s, m_aliceMessage}},
            m_bob.accessToken);
        QCOMPARE(edited.status, 404);
        QCOMPARE(edited.errorCode(), u"not_found"_s);
        QCOMPARE(m_server.del(u"/api/v1/conversations/"_s + bobs, m_bob.accessToken).status, 204);
        verifyAliceUnchanged();
    }
    void shouldAnswerNotFoundForAnotherUsersConversation()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, accept);
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!accept.isEmpty())
            headers.append({"Accept", accept});

        const HttpResult theirs
            = m_server.request(method, path.arg(m_conversation), body, m_bob.accessToken, headers);
        QCOMPARE(theirs.status, 404);
        QCOMPARE(theirs.errorCode(), u"not_found"_s);
        // No hint: the answer is the one for an id that exists nowhere.
        const HttpResult missing
            = m_server.request(method, path.arg(MissingId), body, m_bob.accessToken, headers);
        QCOMPARE(missing.status, 404);
        QCOMPARE(theirs.body, missing.body);
        QCOMPARE(theirs.header("content-type"), missing.header("content-type"));
        verifyAliceUnchanged();
    }

    void shouldNotCancelAnotherUsersAnswer()
    {
        // Alice's answer is streaming; Bob's cancel of her conversation finds nothing.
        m_server.upstream().enqueue(
            FakeResponse::chatStream({u"slow"_s, u" answer"_s}).stallAfterEvents(1));
        QNetworkAccessManager network;
        QNetworkRequest request(
            m_server.url(u"/api/v1/conversations/%1/messages"_s.arg(m_conversation)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("Authorization", "Bearer " + m_alice.accessToken.toLatin1());
        request.setRawHeader("Accept", "text/event-stream");
        QNetworkReply *reply = network.post(request, QByteArray(R"({"content":"Take your time"})"));
        QVERIFY(
            QTest::qWaitFor([&] { return reply->bytesAvailable() > 0 || reply->isFinished(); }));
        QTRY_VERIFY(reply->peek(4096).contains("event: delta"));

        const HttpResult cancel = m_server.post(
            u"/api/v1/conversations/%1/cancel"_s.arg(m_conversation), {}, m_bob.accessToken);
        QCOMPARE(cancel.status, 404);
        QCOMPARE(cancel.errorCode(), u"not_found"_s);
        QCOMPARE(m_server.get(u"/health"_s).json().value("active_streams"_L1).toInt(), 1);
        QVERIFY(!reply->isFinished());

        // Alice can stop her own answer.
        const HttpResult own = m_server.post(
            u"/api/v1/conversations/%1/cancel"_s.arg(m_conversation), {}, m_alice.accessToken);
        QCOMPARE(own.status, 200);
        QCOMPARE(own.json().value("cancelled"_L1).toBool(), true);
        QVERIFY(QTest::qWaitFor([reply] { return reply->isFinished(); }));
        delete reply;
        m_before = snapshot(); // Alice's own turn added two messages
        m_upstreamRequests = chatRequests();
    }

    void shouldNotRevokeAnotherUsersApiToken()
    {
        const HttpResult theirs
            = m_server.del(u"/api/v1/users/me/tokens/"_s + m_aliceTokenId, m_bob.accessToken);
        QCOMPARE(theirs.status, 404);
        QCOMPARE(theirs.errorCode(), u"not_found"_s);
        const HttpResult missing
            = m_server.del(u"/api/v1/users/me/tokens/"_s + MissingId, m_bob.accessToken);
        QCOMPARE(theirs.body, missing.body);
        // Alice's token still works and is still listed.
        QCOMPARE(m_server.request("GET", u"/v1/models"_s, {}, m_aliceTokenSecret).status, 200);
        const HttpResult listed = m_server.get(u"/api/v1/users/me/tokens"_s, m_alice.accessToken);
        QCOMPARE(listed.json().value("items"_L1).toArray().size(), 1);
        QVERIFY(m_server.get(u"/api/v1/users/me/tokens"_s, m_bob.accessToken)
                    .json()
                    .value("items"_L1)
                    .toArray()
                    .isEmpty());
    }

    void shouldAnswerNotFoundOverWebSocket()
    {
        WsClient bob;
        QVERIFY(bob.open(m_server, m_bob.accessToken));
        for (const QString &id : {m_conversation, MissingId}) {
            const QJsonObject opened
                = bob.exchange({{u"type"_s, u"conversation.open"_s}, {u"conversation_id"_s, id}},
                               {u"conversation.opened"_s, u"error"_s});
            QCOMPARE(opened.value("type"_L1).toString(), u"error"_s);
            QCOMPARE(frameErrorCode(opened), u"not_found"_s);
            QCOMPARE(opened.value("conversation_id"_L1).toString(), id);

            const QJsonObject send{{u"type"_s, u"chat.send"_s},
                                   {u"conversation_id"_s, id},
                                   {u"content"_s, u"Tell me"_s},
                                   {u"request_id"_s, QString(u"r-"_s + id)}};
            const QJsonObject sent
                = bob.exchange(send, {u"chat.message"_s, u"chat.error"_s, u"error"_s});
            QVERIFY2(sent.value("type"_L1).toString() != "chat.message"_L1,
                     QJsonDocument(sent).toJson().constData());
            QCOMPARE(frameErrorCode(sent), u"not_found"_s);
            QCOMPARE(sent.value("request_id"_L1).toString(), u"r-"_s + id);
            // Cancelling a conversation that is not theirs is silently nothing.
            bob.send({{u"type"_s, u"chat.cancel"_s}, {u"conversation_id"_s, id}});
        }
        // Both ids looked the same from Bob's side (ids aside).
        QList<QJsonObject> errors;
        for (const QJsonObject &frame : bob.frames()) {
            QJsonObject error = frame.value("error"_L1).toObject();
            errors.append(error);
        }
        QCOMPARE(errors.size(), 4);
        QCOMPARE(errors.at(0), errors.at(2));
        QCOMPARE(errors.at(1), errors.at(3));
        verifyAliceUnchanged();
    }

    void shouldKeepConversationOutOfOtherUsersListAndSearch()
    {
        // Alice sees her conversation and finds her word (the check can fail)...
        const HttpResult aliceList = m_server.get(u"/api/v1/conversations"_s, m_alice.accessToken);
        QCOMPARE(aliceList.json().value("items"_L1).toArray().size(), 1);
        const HttpResult aliceSearch = m_server.get(
            u"/api/v1/search?q=%1"_s.arg(QLatin1StringView(SecretWord)), m_alice.accessToken);
        QCOMPARE(aliceSearch.status, 200);
        QVERIFY2(aliceSearch.body.contains(SecretWord), aliceSearch.body.constData());

        // ...Bob sees nothing of it, archived or not, by title or by content.
        for (const QString &query :
             {u"/api/v1/conversations"_s, u"/api/v1/conversations?archived=true"_s,
              u"/api/v1/conversations?q=Alice"_s, u"/api/v1/conversations?q=plans"_s,
              u"/api/v1/search?q=%1"_s.arg(QLatin1StringView(SecretWord)),
              u"/api/v1/search?q=secret"_s}) {
            const HttpResult reply = m_server.get(query, m_bob.accessToken);
            QCOMPARE(reply.status, 200);
            QVERIFY2(reply.json().value("items"_L1).toArray().isEmpty(),
                     qPrintable(query + u": "_s + QString::fromUtf8(reply.body)));
            QVERIFY(!reply.body.contains(SecretWord));
            QVERIFY(!reply.body.contains(QByteArray(m_conversation.toLatin1() + '"')));
        }
    }

    void shouldForbidAdminRoutesToUsers_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        const QByteArray none;
        QTest::newRow("GET users") << QByteArray("GET") << u"/api/v1/admin/users"_s << none;
        QTest::newRow("POST users")
            << QByteArray("POST") << u"/api/v1/admin/users"_s
            << QByteArray(
                   R"({"username":"mallory","password":"Mallory-Passw0rd!","role":"admin"})");
        QTest::newRow("PATCH user") << QByteArray("PATCH") << u"/api/v1/admin/users/{bob}"_s
                                    << QByteArray(R"({"role":"admin"})");
        QTest::newRow("PATCH other") << QByteArray("PATCH") << u"/api/v1/admin/users/{alice}"_s
                                     << QByteArray(R"({"status":"disabled"})");
        QTest::newRow("DELETE user")
            << QByteArray("DELETE") << u"/api/v1/admin/users/{alice}"_s << none;
        QTest::newRow("revoke") << QByteArray("POST") << u"/api/v1/admin/users/{alice}/revoke"_s
                                << QByteArray("{}");
        QTest::newRow("usage") << QByteArray("GET") << u"/api/v1/admin/usage"_s << none;
        QTest::newRow("GET presets") << QByteArray("GET") << u"/api/v1/admin/presets"_s << none;
        QTest::newRow("PUT presets")
            << QByteArray("PUT") << u"/api/v1/admin/presets"_s << QByteArray(R"({"items":[]})");
        QTest::newRow("GET settings") << QByteArray("GET") << u"/api/v1/admin/settings"_s << none;
        QTest::newRow("PUT settings") << QByteArray("PUT") << u"/api/v1/admin/settings"_s
                                      << QByteArray(R"({"registration":"open"})");
    }
    void shouldForbidAdminRoutesToUsers()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        path.replace(u"{bob}"_s, m_bob.userId).replace(u"{alice}"_s, m_alice.userId);
        const HttpResult reply = m_server.request(method, path, body, m_bob.accessToken);
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.errorCode(), u"forbidden"_s);
        // Without a token it is 401, not 403.
        QCOMPARE(m_server.request(method, path, body).status, 401);
        // Nothing changed: Bob is still a user, Alice still active, settings untouched.
        const HttpResult me = m_server.get(u"/api/v1/users/me"_s, m_bob.accessToken);
        QCOMPARE(me.json().value("role"_L1).toString(), u"user"_s);
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, m_alice.accessToken).status, 200);
        const SignedIn admin = m_server.loginAdmin();
        QCOMPARE(m_server.get(u"/api/v1/admin/users?q=mallory"_s, admin.accessToken)
                     .json()
                     .value("items"_L1)
                     .toArray()
                     .size(),
                 0);
        QVERIFY(!m_server.get(u"/api/v1/admin/presets"_s, admin.accessToken)
                     .json()
                     .value("items"_L1)
                     .toArray()
                     .isEmpty());
    }

    void shouldForbidAdminRoutesAtOnceAfterDemotion()
    {
        const SignedIn admin = m_server.loginAdmin();
        const HttpResult created
            = m_server.post(u"/api/v1/admin/users"_s,
                            {{u"username"_s, u"deputy"_s},
                             {u"password"_s, QString::fromLatin1(ServerHarness::UserPassword)},
                             {u"role"_s, u"admin"_s}},
                            admin.accessToken);
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json().value("role"_L1).toString(), u"admin"_s);
        const SignedIn deputy
            = m_server.login(u"deputy"_s, QString::fromLatin1(ServerHarness::UserPassword));
        QCOMPARE(m_server.get(u"/api/v1/admin/users"_s, deputy.accessToken).status, 200);
        WsClient socket;
        QVERIFY(socket.open(m_server, deputy.accessToken));

        const HttpResult demoted = patchUser(m_server, deputy.userId, {{u"role"_s, u"user"_s}});
        QCOMPARE(demoted.status, 200);
        QCOMPARE(demoted.json().value("role"_L1).toString(), u"user"_s);

        // The same access token, still valid as a user's, no longer reaches admin routes.
        for (const QString &path : {u"/api/v1/admin/users"_s, u"/api/v1/admin/settings"_s,
                                    u"/api/v1/admin/usage"_s, u"/api/v1/admin/presets"_s}) {
            const HttpResult reply = m_server.get(path, deputy.accessToken);
            QCOMPARE(reply.status, 403);
            QCOMPARE(reply.errorCode(), u"forbidden"_s);
        }
        const HttpResult promote = m_server.patch(u"/api/v1/admin/users/"_s + deputy.userId,
                                                  {{u"role"_s, u"admin"_s}}, deputy.accessToken);
        QCOMPARE(promote.status, 403);
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, deputy.accessToken)
                     .json()
                     .value("role"_L1)
                     .toString(),
                 u"user"_s);
        // A refreshed token is no better.
        const HttpResult refreshed
            = m_server.post(u"/api/v1/auth/refresh"_s, {{u"refresh_token"_s, deputy.refreshToken}});
        QCOMPARE(refreshed.status, 200);
        QCOMPARE(refreshed.json().value("user"_L1).toObject().value("role"_L1).toString(),
                 u"user"_s);
        QCOMPARE(
            m_server
                .get(u"/api/v1/admin/users"_s, refreshed.json().value("access_token"_L1).toString())
                .status,
            403);
    }

    void shouldNeverShowSecretsInUserJson()
    {
        const SignedIn admin = m_server.loginAdmin();
        QList<QByteArray> bodies;
        const auto collect = [&bodies](const HttpResult &reply) {
            QVERIFY2(reply.status >= 200 && reply.status < 300, reply.body.constData());
            bodies.append(reply.body);
        };
        collect(m_server.get(u"/api/v1/admin/users"_s, admin.accessToken));
        collect(m_server.get(u"/api/v1/admin/users?limit=1"_s, admin.accessToken));
        collect(m_server.get(u"/api/v1/admin/users?q=alice"_s, admin.accessToken));
        collect(m_server.get(u"/api/v1/users/me"_s, m_alice.accessToken));
        collect(m_server.get(u"/api/v1/users/me/tokens"_s, m_alice.accessToken));
        collect(m_server.get(u"/api/v1/users/me/usage"_s, m_alice.accessToken));
        collect(m_server.patch(u"/api/v1/users/me"_s, {{u"email"_s, u"alice@example.org"_s}},
                               m_alice.accessToken));
        collect(patchUser(m_server, m_bob.userId, {{u"quota"_s, QJsonObject{}}}));
        collect(m_server.post(u"/api/v1/admin/users"_s,
                              {{u"username"_s, u"carol"_s},
                               {u"password"_s, QString::fromLatin1(ServerHarness::UserPassword)}},
                              admin.accessToken));
        collect(
            m_server.post(u"/api/v1/auth/register"_s,
                          {{u"username"_s, u"dave"_s}, {u"password"_s, u"Dave-Passw0rd-77"_s}}));
        // Bob logs in anew: his new refresh token must not show up anywhere either.
        const SignedIn bob
            = m_server.login(u"bob"_s, QString::fromLatin1(ServerHarness::UserPassword));
        collect(m_server.get(u"/api/v1/users/me"_s, bob.accessToken));
        collect(m_server.get(u"/api/v1/admin/users"_s, admin.accessToken));
        m_bob = bob;

        QList<QByteArray> secrets{"$argon2",
                                  "password",
                                  ServerHarness::UserPassword,
                                  ServerHarness::AdminPassword,
                                  m_aliceTokenSecret.toLatin1(),
                                  m_alice.refreshToken.toLatin1(),
                                  bob.refreshToken.toLatin1(),
                                  admin.refreshToken.toLatin1(),
                                  "refresh",
                                  "token_hash"};
        for (const QByteArray &body : std::as_const(bodies)) {
            for (const QByteArray &secret : std::as_const(secrets))
                QVERIFY2(!body.contains(secret),
                         qPrintable(u"%1 in %2"_s.arg(QString::fromLatin1(secret),
                                                      QString::fromUtf8(body))));
        }
        // The lists did list users (the check looked at something).
        QVERIFY(bodies.first().contains("\"alice\""));
        QVERIFY(bodies.last().contains("\"dave\""));
    }

private:
    // Alice's conversation, its messages and her token list, as she sees them.
    QByteArray snapshot()
    {
        QByteArray all;
        for (const QString &path : {u"/api/v1/conversations/%1"_s.arg(m_conversation),
                                    u"/api/v1/conversations/%1/messages"_s.arg(m_conversation),
                                    u"/api/v1/conversations"_s, u"/api/v1/users/me/tokens"_s}) {
            const HttpResult reply = m_server.get(path, m_alice.accessToken);
            if (reply.status != 200)
                return "status " + QByteArray::number(reply.status) + " for " + path.toUtf8();
            // Token lists carry last_used_at, which Alice's own use may move.
            QJsonObject json = reply.json();
            QJsonArray items;
            for (const QJsonValue &item : json.value("items"_L1).toArray()) {
                QJsonObject object = item.toObject();
                object.remove(u"last_used_at"_s);
                items.append(object);
            }
            if (json.contains("items"_L1))
                json.insert(u"items"_s, items);
            all += QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n';
        }
        return all;
    }

    int chatRequests()
    {
        const QList<FakeRequest> requests = m_server.upstream().requests();
        return int(std::count_if(requests.cbegin(), requests.cend(), [](const FakeRequest &r) {
            return r.path().endsWith("/chat/completions");
        }));
    }

    void verifyAliceUnchanged()
    {
        QCOMPARE(snapshot(), m_before);
        QCOMPARE(chatRequests(), m_upstreamRequests);
    }

    ServerHarness m_server;
    SignedIn m_alice;
    SignedIn m_bob;
    QString m_conversation;
    QString m_aliceMessage;
    QString m_aliceTokenId;
    QString m_aliceTokenSecret;
    QByteArray m_before;
    int m_upstreamRequests = 0;
};

QTEST_GUILESS_MAIN(TestServerOwnership)
#include "tst_server_ownership.moc"
