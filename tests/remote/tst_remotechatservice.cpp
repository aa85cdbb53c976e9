// RemoteChatService and ServerClient against the real confab-server process (with a fake
// upstream): sign-in and renewal, history, streaming over the WebSocket, regenerate,
// edit-and-resend, the server's rules as typed errors, a kick by a second login, and the
// WebSocket coming back after the server restarts.

#include "awaitresult.h"
#include "remote/remotechatservice.h"
#include "remote/serverclient.h"
#include "serverharness.h"
#include "storage/conversationstore.h"
#include "storage/messagestore.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using confab::testing::await;

namespace confab {

class RemoteChatServiceTest : public QObject
{
    Q_OBJECT

private:
    testing::ServerHarness m_server;

    QUrl serverUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.port())); }

    std::unique_ptr<ServerClient> signedIn(const QString &username, const QString &password)
    {
        auto client = std::make_unique<ServerClient>(serverUrl());
        auto user = await<ServerUser>([&](QObject *context, auto handler) {
            client->login(username, password, context, handler);
        });
        if (!user)
            qWarning() << "login failed:" << user.error().toString();
        return client;
    }

    // A user of its own for each test, so no test inherits another's session or throttle.
    std::unique_ptr<ServerClient> newUser(const QString &username)
    {
        m_server.createUserAndLogin(username);
        return signedIn(username, QString::fromLatin1(testing::ServerHarness::UserPassword));
    }

    static bool waitOnline(RemoteChatService &service)
    {
        return QTest::qWaitFor(
            [&] { return service.socket().state() == ServerSocket::State::Online; }, 10000);
    }

    static Conversation create(ChatService &service, const QString &title = {})
    {
        auto created = await<Conversation>([&](QObject *context, auto handler) {
            service.createConversation(NewConversation{title, {}, {}, 0}, context, handler);
        });
        return created ? *created : Conversation{};
    }

    static QList<Message> history(ChatService &service, qint64 conversationId)
    {
        auto all = await<QList<Message>>([&](QObject *context, auto handler) {
            service.allMessages(conversationId, context, handler);
        });
        return all ? *all : QList<Message>{};
    }

    // Sends and waits for the answer to finish; the finished answer.
    static std::optional<Message> sendAndWait(RemoteChatService &service, qint64 conversationId,
                                              const QString &text)
    {
        QSignalSpy updated(&service, &ChatService::messageUpdated);
        auto sent = await<Message>([&](QObject *context, auto handler) {
            service.sendMessage(conversationId, text, context, handler);
        });
        if (!sent)
            return std::nullopt;
        if (!QTest::qWaitFor([&] { return !service.isStreaming(conversationId); }, 10000))
            return std::nullopt;
        return updated.isEmpty() ? std::nullopt
                                 : std::optional(updated.last().at(0).value<Message>());
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<Message>();
        QVERIFY(m_server.start());
    }

    void shouldAnswerSignInErrorsWithTheServersCode()
    {
        ServerClient client(serverUrl());
        auto wrong = await<ServerUser>([&](QObject *context, auto handler) {
            client.login(u"admin"_s, u"not-the-password"_s, context, handler);
        });
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().serverCode, u"invalid_credentials"_s);
        QCOMPARE(wrong.error().httpStatus, 401);
        QVERIFY(!client.isSignedIn());

        QSignalSpy kept(&client, &ServerClient::refreshTokenChanged);
        auto user = await<ServerUser>([&](QObject *context, auto handler) {
            client.login(QString::fromLatin1(testing::ServerHarness::AdminName),
                         QString::fromLatin1(testing::ServerHarness::AdminPassword), context,
                         handler);
        });
        QVERIFY2(user, qPrintable(user ? QString() : user.error().toString()));
        QVERIFY(user->isAdmin());
        QCOMPARE(kept.size(), 1);
        QVERIFY(!kept.first().at(0).toString().isEmpty());
    }

    void shouldRegisterAnAccount()
    {
        ServerClient client(serverUrl());
        auto user = await<ServerUser>([&](QObject *context, auto handler) {
            client.registerAccount(u"newcomer"_s, u"A-fine-Passw0rd!"_s, {}, context, handler);
        });
        QVERIFY2(user, qPrintable(user ? QString() : user.error().toString()));
        QCOMPARE(user->username, u"newcomer"_s);
        auto again = await<ServerUser>([&](QObject *context, auto handler) {
            client.registerAccount(u"newcomer"_s, u"A-fine-Passw0rd!"_s, {}, context, handler);
        });
        QVERIFY(!again);
        QCOMPARE(again.error().serverCode, u"conflict"_s);
    }

    void shouldStreamAnAnswerIntoTheRowTheServerSaved()
    {
        auto client = newUser(u"streamer"_s);
        RemoteChatService service(*client);
        QVERIFY(waitOnline(service));
        const Conversation conversation = create(service);
        QVERIFY(conversation.id > 0);

        m_server.upstream().enqueue(FakeResponse::chatStream({u"Hello"_s, u", "_s, u"world"_s}));
        QSignalSpy added(&service, &ChatService::messageAdded);
        QSignalSpy deltas(&service, &ChatService::messageDelta);
        QSignalSpy streaming(&service, &ChatService::streamingChanged);
        const auto answer = sendAndWait(service, conversation.id, u"Say hello"_s);
        QVERIFY(answer);
        QCOMPARE(answer->content, u"Hello, world"_s);
        QCOMPARE(answer->state, MessageState::Complete);

        // The user's message, then the answer's saved row, which the deltas write into.
        QCOMPARE(added.size(), 2);
        const auto user = added.at(0).at(0).value<Message>();
        const auto placeholder = added.at(1).at(0).value<Message>();
        QCOMPARE(user.content, u"Say hello"_s);
        QCOMPARE(placeholder.state, MessageState::Streaming);
        QCOMPARE(placeholder.id, answer->id);
        QVERIFY(!deltas.isEmpty());
        QString streamed;
        for (const auto &delta : std::as_const(deltas)) {
            QCOMPARE(delta.at(1).toLongLong(), answer->id);
            streamed += delta.at(2).toString();
        }
        QCOMPARE(streamed, answer->content);
        QCOMPARE(streaming.first().at(1).toBool(), true);
        QCOMPARE(streaming.last().at(1).toBool(), false);

        const QList<Message> saved = history(service, conversation.id);
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.at(0).content, u"Say hello"_s);
        QCOMPARE(saved.at(1), *answer);

        // The provisional title is the server's, and lists show it.
        auto listed = await<Page<Conversation>>([&](QObject *context, auto handler) {
            service.listConversations(ConversationQuery{}, context, handler);
        });
        QVERIFY(listed);
        QCOMPARE(listed->items.size(), 1);
        QCOMPARE(listed->items.first().title, u"Say hello"_s);

        auto hits = await<QList<SearchHit>>(
            [&](QObject *context, auto handler) { service.search(u"world"_s, context, handler); });
        QVERIFY(hits);
        QCOMPARE(hits->size(), 1);
        QCOMPARE(hits->first().messageId, answer->id);
    }

    void shouldRegenerateEditAndDelete()
    {
        auto client = newUser(u"editor"_s);
        RemoteChatService service(*client);
        QVERIFY(waitOnline(service));
        const qint64 id = create(service).id;
        m_server.upstream().enqueue(FakeResponse::chatStream({u"first answer"_s}));
        const auto first = sendAndWait(service, id, u"question"_s);
        QVERIFY(first);

        m_server.upstream().enqueue(FakeResponse::chatStream({u"second answer"_s}));
        QSignalSpy removed(&service, &ChatService::messagesRemoved);
        auto regenerated = await<void>(
            [&](QObject *context, auto handler) { service.regenerate(id, context, handler); });
        QVERIFY2(regenerated, qPrintable(regenerated ? QString() : regenerated.error().toString()));
        QTRY_VERIFY(!service.isStreaming(id));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).value<QList<qint64>>(), QList<qint64>{first->id});
        QList<Message> saved = history(service, id);
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.at(1).content, u"second answer"_s);

        m_server.upstream().enqueue(FakeResponse::chatStream({u"edited answer"_s}));
        auto edited = await<Message>([&](QObject *context, auto handler) {
            service.editAndResend(saved.at(0).id, u"better question"_s, context, handler);
        });
        QVERIFY2(edited, qPrintable(edited ? QString() : edited.error().toString()));
        QCOMPARE(edited->content, u"better question"_s);
        QTRY_VERIFY(!service.isStreaming(id));
        saved = history(service, id);
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.at(0).content, u"better question"_s);
        QCOMPARE(saved.at(1).content, u"edited answer"_s);
        // The upstream saw the edited text, not the old one.
        QVERIFY(m_server.upstream().lastRequest().body.contains("better question"));

        auto deleted = await<void>([&](QObject *context, auto handler) {
            service.deleteMessage(saved.at(1).id, context, handler);
        });
        QVERIFY(deleted);
        QCOMPARE(history(service, id).size(), 1);
    }

    void shouldRefuseWhatTheServerRefusesWithItsCode()
    {
        auto client = newUser(u"limited"_s);
        RemoteChatService service(*client);
        QVERIFY(waitOnline(service));
        // Three conversations may be open at once; a fourth is refused until one closes.
        QList<qint64> ids;
        for (int i = 0; i < 4; ++i)
            ids.append(create(service).id);
        for (int i = 0; i < 3; ++i) {
            m_server.upstream().enqueue(FakeResponse::chatStream({u"ok"_s}));
            QVERIFY(sendAndWait(service, ids.at(i), u"hi"_s));
        }
        auto refused = await<Message>([&](QObject *context, auto handler) {
            service.sendMessage(ids.at(3), u"hi"_s, context, handler);
        });
        QVERIFY(!refused);
        QCOMPARE(refused.error().serverCode, u"too_many_conversations"_s);
        QCOMPARE(refused.error().code, ErrorCode::Conflict);

        service.setConversationOpen(ids.at(0), false);
        m_server.upstream().enqueue(FakeResponse::chatStream({u"ok"_s}));
        QTRY_VERIFY_WITH_TIMEOUT(sendAndWait(service, ids.at(3), u"hi"_s).has_value(), 5000);
    }

    void shouldReportTheThrottleWithItsWait()
    {
        testing::ServerHarness throttled;
        QVERIFY(throttled.start({u"--min-interval"_s, u"5"_s}));
        throttled.createUserAndLogin(u"hasty"_s);
        ServerClient client(QUrl(u"http://127.0.0.1:%1"_s.arg(throttled.port())));
        QVERIFY(await<ServerUser>([&](QObject *context, auto handler) {
            client.login(u"hasty"_s, QString::fromLatin1(testing::ServerHarness::UserPassword),
                         context, handler);
        }));
        RemoteChatService service(client);
        QVERIFY(waitOnline(service));
        const qint64 id = create(service).id;
        throttled.upstream().enqueue(FakeResponse::chatStream({u"ok"_s}));
        QVERIFY(sendAndWait(service, id, u"one"_s));
        auto second = await<Message>([&](QObject *context, auto handler) {
            service.sendMessage(id, u"two"_s, context, handler);
        });
        QVERIFY(!second);
        QCOMPARE(second.error().code, ErrorCode::RateLimited);
        const qint64 wait = second.error().details.value(u"retry_after_ms"_s).toLongLong();
        QVERIFY2(wait > 3000 && wait <= 5000, qPrintable(QString::number(wait)));
        // Refused, so nothing of it was saved.
        QCOMPARE(history(service, id).size(), 2);
    }

    void shouldEndTheSessionWhenAnotherDeviceSignsIn()
    {
        auto first = newUser(u"twodevices"_s);
        RemoteChatService service(*first);
        QVERIFY(waitOnline(service));
        QSignalSpy ended(first.get(), &ServerClient::sessionEnded);
        QSignalSpy forgotten(first.get(), &ServerClient::refreshTokenChanged);

        auto second
            = signedIn(u"twodevices"_s, QString::fromLatin1(testing::ServerHarness::UserPassword));
        QVERIFY(second->isSignedIn());
        // Pushed over the WebSocket, without the first device asking anything.
        QTRY_COMPARE(ended.size(), 1);
        QCOMPARE(ended.first().at(0).value<Error>().serverCode, u"session_replaced"_s);
        QVERIFY(!first->isSignedIn());
        QCOMPARE(forgotten.last().at(0).toString(), QString());
        QTRY_COMPARE(service.socket().state(), ServerSocket::State::Offline);

        auto refused = await<Message>([&](QObject *context, auto handler) {
            service.sendMessage(1, u"still there?"_s, context, handler);
        });
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Unauthorized);
    }

    void shouldResumeWithTheRefreshTokenAndRenewAccessTokens()
    {
        testing::ServerHarness shortLived;
        QVERIFY(shortLived.start({u"--access-token-lifetime"_s, u"2"_s}));
        shortLived.createUserAndLogin(u"returning"_s);
        const QUrl url(u"http://127.0.0.1:%1"_s.arg(shortLived.port()));
        QString token;
        {
            ServerClient client(url);
            QVERIFY(await<ServerUser>([&](QObject *context, auto handler) {
                client.login(u"returning"_s,
                             QString::fromLatin1(testing::ServerHarness::UserPassword), context,
                             handler);
            }));
            token = client.refreshToken();
        }
        // The next start of the app: the kept token signs in silently.
        ServerClient client(url);
        QSignalSpy rotated(&client, &ServerClient::refreshTokenChanged);
        auto resumed = await<ServerUser>(
            [&](QObject *context, auto handler) { client.resume(token, context, handler); });
        QVERIFY2(resumed, qPrintable(resumed ? QString() : resumed.error().toString()));
        QCOMPARE(resumed->username, u"returning"_s);
        QVERIFY(client.refreshToken() != token);

        // Access tokens live 2 s: calls over 5 s keep working through renewals.
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 5000) {
            auto me = await<QJsonValue>([&](QObject *context, auto handler) {
                client.get(u"/users/me"_s, {}, context, handler);
            });
            QVERIFY2(me, qPrintable(me ? QString() : me.error().toString()));
            QTest::qWait(700);
        }
        QVERIFY(rotated.size() >= 3);

        // The token used to resume was rotated away: using it again ends that session.
        ServerClient thief(url);
        auto stolen = await<ServerUser>(
            [&](QObject *context, auto handler) { thief.resume(token, context, handler); });
        QVERIFY(!stolen);
        QCOMPARE(stolen.error().httpStatus, 401);
    }

    void shouldReconnectAfterTheServerRestarts()
    {
        auto client = newUser(u"patient"_s);
        RemoteChatService service(*client);
        QVERIFY(waitOnline(service));
        const qint64 id = create(service).id;

        const QUrl address = serverUrl();
        QCOMPARE(m_server.stop(), 0);
        QTRY_COMPARE(service.socket().state(), ServerSocket::State::Offline);
        // Refused at once and visibly while away: nothing waits unseen.
        auto offline = await<Message>([&](QObject *context, auto handler) {
            service.sendMessage(id, u"anyone?"_s, context, handler);
        });
        QVERIFY(!offline);
        QCOMPARE(offline.error().code, ErrorCode::Network);

        // Back on the same address, as a restarted server would be.
        QVERIFY(m_server.start({u"--listen"_s, address.authority()}));
        QVERIFY(waitOnline(service));
        m_server.upstream().enqueue(FakeResponse::chatStream({u"back"_s}));
        const auto answer = sendAndWait(service, id, u"anyone?"_s);
        QVERIFY(answer);
        QCOMPARE(answer->content, u"back"_s);
    }
};

} // namespace confab

QTEST_GUILESS_MAIN(confab::RemoteChatServiceTest)
#include "tst_remotechatservice.moc"
