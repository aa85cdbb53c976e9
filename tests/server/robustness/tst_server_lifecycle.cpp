// Disconnects, shutdown and crashes of a real confab-server process: a client that leaves
// mid-stream (SSE or WebSocket) stops the upstream call and keeps the partial answer; SIGTERM
// with live streams exits 0 with every partial answer saved incomplete; after kill -9 the
// database is sound, every committed user message is there, and the next start recovers the
// answers that were being written.

#include "robustsupport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

namespace {

// An answer that sends two pieces and then stalls with its connection open.
FakeResponse stallingAnswer()
{
    return FakeResponse::chatStream({u"Partial"_s, u" answer"_s, u" never sent"_s})
        .stallAfterEvents(2);
}

const QString Partial = u"Partial answer"_s;

QString wsText(const WsClient &client, const QString &type)
{
    QString text;
    for (const QJsonObject &frame : client.frames) {
        if (frame.value("type"_L1).toString() == type)
            text += frame.value("content"_L1).toString();
    }
    return text;
}

void sendOverWebSocket(WsClient &client, const QString &conversation, const QString &content)
{
    client.sendJson({{u"type"_s, u"chat.send"_s},
                     {u"conversation_id"_s, conversation},
                     {u"content"_s, content},
                     {u"request_id"_s, u"r1"_s}});
}

} // namespace

class TestServerLifecycle : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void shouldStopUpstreamWhenAnSseClientLeaves()
    {
        const SignedIn user = m_server.createUserAndLogin(u"sse-leaver"_s);
        const QString conversation = m_server.createConversation(user.accessToken);
        FakeUpstream &upstream = m_server.upstream();
        upstream.enqueue(stallingAnswer());
        {
            SseClient stream(m_server, u"/api/v1/conversations/%1/messages"_s.arg(conversation),
                             {{u"content"_s, u"Start"_s}}, user.accessToken);
            QTRY_COMPARE(stream.deltaText(), Partial);
            const int open = upstream.openConnections();
            QVERIFY(open >= 1);
            stream.abort();
            QVERIFY2(upstream.waitForOpenConnections(open - 1, 5000),
                     "the upstream call outlived its client");
        }
        const QJsonObject saved = lastAssistant(m_server, user.accessToken, conversation);
        QCOMPARE(saved.value("content"_L1).toString(), Partial);
        QCOMPARE(saved.value("state"_L1).toString(), u"incomplete"_s);
        expectStillServing(user, conversation);
    }

    void shouldStopUpstreamWhenAWebSocketClientLeaves()
    {
        const SignedIn user = m_server.createUserAndLogin(u"ws-leaver"_s);
        const QString conversation = m_server.createConversation(user.accessToken);
        FakeUpstream &upstream = m_server.upstream();
        upstream.enqueue(stallingAnswer());
        {
            WsClient client;
            QVERIFY(client.open(m_server, user.accessToken));
            sendOverWebSocket(client, conversation, u"Start"_s);
            QTRY_COMPARE(wsText(client, u"chat.delta"_s), Partial);
            const int open = upstream.openConnections();
            QVERIFY(open >= 1);
            client.socket.abort();
            QVERIFY2(upstream.waitForOpenConnections(open - 1, 5000),
                     "the upstream call outlived its client");
        }
        const QJsonObject saved = lastAssistant(m_server, user.accessToken, conversation);
        QCOMPARE(saved.value("content"_L1).toString(), Partial);
        QCOMPARE(saved.value("state"_L1).toString(), u"incomplete"_s);
        expectStillServing(user, conversation);
    }

    void shouldSaveLiveStreamsOnSigterm()
    {
        ServerHarness server;
        QVERIFY(server.start());
        const SignedIn sseUser = server.createUserAndLogin(u"sse-user"_s);
        const SignedIn wsUser = server.createUserAndLogin(u"ws-user"_s);
        const QString sseConversation = server.createConversation(sseUser.accessToken);
        const QString wsConversation = server.createConversation(wsUser.accessToken);
        server.upstream().enqueue(stallingAnswer());
        server.upstream().enqueue(stallingAnswer());

        SseClient stream(server, u"/api/v1/conversations/%1/messages"_s.arg(sseConversation),
                         {{u"content"_s, u"Over SSE"_s}}, sseUser.accessToken);
        QTRY_COMPARE(stream.deltaText(), Partial);
        WsClient client;
        QVERIFY(client.open(server, wsUser.accessToken));
        sendOverWebSocket(client, wsConversation, u"Over WebSocket"_s);
        QTRY_COMPARE(wsText(client, u"chat.delta"_s), Partial);
        QCOMPARE(server.upstream().openConnections(), 2);

        QElapsedTimer clock;
        clock.start();
        QCOMPARE(server.stop(), 0);
        QVERIFY2(clock.elapsed() < 5000, "shutdown waited for the drain timeout");
        // Each client heard why its answer ended, with the part it got.
        QVERIFY(stream.waitForEvent("error", 2000));
        QCOMPARE(stream.last("error").value("error"_L1).toObject().value("code"_L1).toString(),
                 u"cancelled"_s);
        QCOMPARE(stream.last("error").value("message"_L1).toObject().value("content"_L1).toString(),
                 Partial);
        QVERIFY(client.waitForType(u"chat.error"_s, 2000));
        QVERIFY(client.waitForClose(2000));
        QCOMPARE(client.closeCode, int(QWebSocketProtocol::CloseCodeGoingAway));

        SqliteFile file(server.databasePath());
        QVERIFY(file.isOpen());
        QCOMPARE(file.integrityCheck(), u"ok"_s);
        QCOMPARE(file.countWhere(u"state = 'streaming'"_s), 0);
        QCOMPARE(
            file.countWhere(
                u"role = 'assistant' AND state = 'incomplete' AND content = '%1'"_s.arg(Partial)),
            2);
        QCOMPARE(file.countWhere(u"role = 'user' AND content IN ('Over SSE', 'Over WebSocket')"_s),
                 2);
    }

    void shouldRecoverAfterKill9()
    {
        ServerHarness server;
        QVERIFY(server.start());
        const SignedIn user = server.createUserAndLogin(u"crash"_s);
        const QString done = server.createConversation(user.accessToken);
        const QString live = server.createConversation(user.accessToken);
        QStringList committed;
        for (int i = 0; i < 3; ++i) {
            const QString content = u"Committed %1"_s.arg(i);
            server.upstream().enqueue(FakeResponse::chatStream({u"Answer %1"_s.arg(i)}));
            QCOMPARE(server
                         .post(u"/api/v1/conversations/%1/messages"_s.arg(done),
                               {{u"content"_s, content}}, user.accessToken)
                         .status,
                     200);
            committed.append(content);
        }
        server.upstream().enqueue(stallingAnswer());
        SseClient stream(server, u"/api/v1/conversations/%1/messages"_s.arg(live),
                         {{u"content"_s, u"In flight"_s}}, user.accessToken);
        QVERIFY(stream.waitForEvent("message")); // committed before the upstream call
        committed.append(u"In flight"_s);
        QTRY_COMPARE(stream.deltaText(), Partial);
        {
            // The streaming answer is saved as it grows (at least once a second).
            SqliteFile file(server.databasePath());
            QTRY_COMPARE_WITH_TIMEOUT(
                file.countWhere(u"state = 'streaming' AND content = '%1'"_s.arg(Partial)), 1, 3000);
        }

        server.killHard();
        QVERIFY(!server.isRunning());
        {
            SqliteFile file(server.databasePath());
            QVERIFY(file.isOpen());
            QCOMPARE(file.integrityCheck(), u"ok"_s);
            QStringList stored;
            for (const StoredMessage &message : file.messages()) {
                if (message.role == "user"_L1)
                    stored.append(message.content);
            }
            QCOMPARE(stored, committed);
            // The crash did catch an answer mid-stream.
            QCOMPARE(file.countWhere(u"state = 'streaming'"_s), 1);
        }

        QVERIFY(restartOnSamePort(server));
        {
            SqliteFile file(server.databasePath());
            QCOMPARE(file.countWhere(u"state = 'streaming'"_s), 0);
        }
        const SignedIn again
            = server.login(u"crash"_s, QString::fromLatin1(ServerHarness::UserPassword));
        QVERIFY(!again.accessToken.isEmpty());
        const QJsonObject recovered = lastAssistant(server, again.accessToken, live);
        QCOMPARE(recovered.value("content"_L1).toString(), Partial);
        QCOMPARE(recovered.value("state"_L1).toString(), u"incomplete"_s);
        QCOMPARE(recovered.value("incomplete"_L1).toBool(), true);
        QCOMPARE(listMessages(server, again.accessToken, done).size(), 6);
        // And the conversation goes on.
        server.upstream().enqueue(FakeResponse::chatStream({u"Back"_s}));
        QCOMPARE(server
                     .post(u"/api/v1/conversations/%1/messages"_s.arg(live),
                           {{u"content"_s, u"After the crash"_s}}, again.accessToken)
                     .status,
                 200);
        QCOMPARE(server.stop(), 0);
    }

private:
    void expectStillServing(const SignedIn &user, const QString &conversation)
    {
        QCOMPARE(m_server.get(u"/health"_s).status, 200);
        m_server.upstream().enqueue(FakeResponse::chatStream({u"Still here"_s}));
        const HttpResult next
            = m_server.post(u"/api/v1/conversations/%1/messages"_s.arg(conversation),
                            {{u"content"_s, u"Again"_s}}, user.accessToken);
        QCOMPARE(next.status, 200);
        QCOMPARE(
            next.json().value("assistant_message"_L1).toObject().value("content"_L1).toString(),
            u"Still here"_s);
    }

    ServerHarness m_server;
};

QTEST_GUILESS_MAIN(TestServerLifecycle)
#include "tst_server_lifecycle.moc"
