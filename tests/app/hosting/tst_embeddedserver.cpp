#include "awaitresult.h"
#include "fakeupstream.h"
#include "hosting/embeddedserver.h"
#include "remote/remotechatservice.h"
#include "remote/serverclient.h"
#include "secrets/memorysecretstore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

// The app hosts the team server in its own process and uses it only over loopback: as its
// admin through a ServerClient here, and as a teammate from a separate process.
class EmbeddedServerTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_upstream = std::make_unique<FakeUpstream>();
        QVERIFY(m_upstream->listen());
        m_secrets = std::make_unique<MemorySecretStore>();
        m_server = std::make_unique<EmbeddedServer>(*m_secrets);
    }

    void cleanup()
    {
        m_server.reset();
        m_secrets.reset();
        m_upstream.reset();
        m_dir.reset();
    }

    void shouldLetATeammateInAnotherProcessChatThroughIt()
    {
        const auto url = start(options());
        QVERIFY2(url, qPrintable(url.error().message));
        ServerClient admin(*url);
        QVERIFY(signIn(admin, m_server->adminCredentials()));
        QVERIFY(admin.user().isAdmin());
        QCOMPARE(admin.user().username, LocalAdmin::username());
        const auto created = testing::await<QJsonValue>([&](QObject *context, auto handler) {
            admin.call("POST", u"/admin/users"_s,
                       QJsonObject{{"username"_L1, u"teammate"_s},
                                   {"password"_L1, TeammatePassword},
                                   {"status"_L1, u"active"_s}},
                       context, handler);
        });
        QVERIFY2(created, qPrintable(created.error().message));

        m_upstream->enqueue(FakeResponse::chatStream({u"Hello, "_s, u"teammate! 你好"_s}));
        QProcess probe;
        probe.start(QStringLiteral(REMOTE_PROBE_EXE),
                    {url->toString(), u"teammate"_s, u"Hi from another process"_s});
        QVERIFY(probe.waitForStarted());
        probe.write(TeammatePassword.toUtf8() + '\n');
        probe.closeWriteChannel();
        QVERIFY(QTest::qWaitFor([&] { return probe.state() == QProcess::NotRunning; }, 30000));
        QVERIFY2(probe.exitCode() == 0, probe.readAllStandardError().constData());

        const QJsonObject answer = QJsonDocument::fromJson(probe.readAllStandardOutput()).object();
        QCOMPARE(answer["answer"_L1].toString(), u"Hello, teammate! 你好"_s);
        QCOMPARE(answer["streamed"_L1].toString(), u"Hello, teammate! 你好"_s);
        QCOMPARE(answer["state"_L1].toString(), u"complete"_s);
        QCOMPARE(rows(u"SELECT role, content, state FROM messages ORDER BY id"_s),
                 (QList<QStringList>{{u"user"_s, u"Hi from another process"_s, u"complete"_s},
                                     {u"assistant"_s, u"Hello, teammate! 你好"_s, u"complete"_s}}));
    }

    void shouldReuseTheDatabaseAndTheKeptAdminPasswordOnTheNextStart()
    {
        QVERIFY(start(options()));
        const AdminCredentials first = m_server->adminCredentials();
        QVERIFY(first.password.size() >= 20);
        stop();

        const auto url = start(options());
        QVERIFY2(url, qPrintable(url.error().message));
        QCOMPARE(m_server->adminCredentials().password, first.password);
        ServerClient admin(*url);
        QVERIFY(signIn(admin, first));
        QCOMPARE(rows(u"SELECT username, role FROM users"_s),
                 (QList<QStringList>{{first.username, u"admin"_s}}));
        stop();

        // A keychain that lost the password: the same admin gets a new one.
        MemorySecretStore forgetful;
        EmbeddedServer again(forgetful);
        const auto restarted = start(options(), again);
        QVERIFY2(restarted, qPrintable(restarted.error().message));
        QVERIFY(again.adminCredentials().password != first.password);
        ServerClient client(*restarted);
        QVERIFY(signIn(client, again.adminCredentials()));
        QCOMPARE(rows(u"SELECT count(*) FROM users"_s), (QList<QStringList>{{u"1"_s}}));
    }

    void shouldSayWhenThePortIsInUse()
    {
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost));
        HostOptions taken = options();
        taken.port = occupant.serverPort();
        const auto refused = start(taken);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(QString::number(taken.port)),
                 qPrintable(refused.error().message));
        QVERIFY2(refused.error().message.contains(u"in use"_s),
                 qPrintable(refused.error().message));
        QCOMPARE(m_server->state(), EmbeddedServer::State::Stopped);
        QVERIFY(start(options())); // nothing was left half open
    }

    void shouldSayWhenTheDatabaseCannotBeWritten()
    {
        QFile blocker(m_dir->filePath(u"not-a-folder"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        HostOptions unwritable = options();
        unwritable.databasePath = blocker.fileName() + u"/team-server.db"_s;
        const auto refused = start(unwritable);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(unwritable.databasePath),
                 qPrintable(refused.error().message));
        QCOMPARE(m_server->state(), EmbeddedServer::State::Stopped);
    }

    void shouldLeaveNothingStreamingWhenStopped()
    {
        m_upstream->enqueue(
            FakeResponse::chatStream({u"partial "_s, u"never sent"_s}).stallAfterEvents(1));
        const auto url = start(options());
        QVERIFY(url);
        ServerClient admin(*url);
        QVERIFY(signIn(admin, m_server->adminCredentials()));
        RemoteChatService chat(admin);
        QTRY_COMPARE(chat.socket().state(), ServerSocket::State::Online);
        const auto conversation = testing::await<Conversation>(
            [&](QObject *context, auto handler) { chat.createConversation({}, context, handler); });
        QVERIFY(conversation);
        QSignalSpy deltas(&chat, &ChatService::messageDelta);
        chat.sendMessage(conversation->id, u"Tell me a long story"_s, this, [](auto) {});
        QVERIFY(deltas.wait());

        QSignalSpy stopped(m_server.get(), &EmbeddedServer::stopped);
        m_server->stop();
        QCOMPARE(m_server->state(), EmbeddedServer::State::Stopping);
        QVERIFY(stopped.wait());
        QCOMPARE(m_server->state(), EmbeddedServer::State::Stopped);
        QVERIFY(m_server->serverUrl().isEmpty());
        QVERIFY(m_upstream->waitForOpenConnections(0));
        QCOMPARE(rows(u"SELECT role, content, state FROM messages ORDER BY id"_s),
                 (QList<QStringList>{{u"user"_s, u"Tell me a long story"_s, u"complete"_s},
                                     {u"assistant"_s, u"partial "_s, u"incomplete"_s}}));
    }

private:
    static inline const QString TeammatePassword = u"Blue-Kettle-4711"_s;

    HostOptions options() const
    {
        HostOptions options;
        options.listenAddress = QHostAddress::LocalHost;
        options.databasePath = m_dir->filePath(u"team-server.db"_s);
        options.upstreamBaseUrl = m_upstream->baseUrl();
        options.upstreamModel = u"fake-model"_s;
        options.upstreamApiKey = u"sk-test"_s;
        return options;
    }

    Result<QUrl> start(const HostOptions &options) { return start(options, *m_server); }

    static Result<QUrl> start(const HostOptions &options, EmbeddedServer &server)
    {
        return testing::await<QUrl>(
            [&](QObject *context, auto handler) { server.start(options, context, handler); },
            20000);
    }

    void stop()
    {
        QSignalSpy stopped(m_server.get(), &EmbeddedServer::stopped);
        m_server->stop();
        QVERIFY(stopped.wait());
    }

    static bool signIn(ServerClient &client, const AdminCredentials &credentials)
    {
        const auto user = testing::await<ServerUser>([&](QObject *context, auto handler) {
            client.login(credentials.username, credentials.password, context, handler);
        });
        if (!user)
            qWarning() << "sign-in failed:" << user.error().message;
        return user.ok();
    }

    // The server's SQLite file as it is on disk, each row as text.
    QList<QStringList> rows(const QString &sql) const
    {
        QList<QStringList> result;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
            db.setDatabaseName(m_dir->filePath(u"team-server.db"_s));
            if (!db.open())
                return result;
            QSqlQuery query(db);
            query.exec(sql);
            while (query.next()) {
                QStringList row;
                for (int i = 0; i < query.record().count(); ++i)
                    row.append(query.value(i).toString());
                result.append(row);
            }
        }
        QSqlDatabase::removeDatabase(u"check"_s);
        return result;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeUpstream> m_upstream;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<EmbeddedServer> m_server;
};

QTEST_GUILESS_MAIN(EmbeddedServerTest)
#include "tst_embeddedserver.moc"
