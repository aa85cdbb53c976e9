#include "storage/conversationstore.h"
#include "storage/messagestore.h"
#include "storage/usagestore.h"
#include "storagetestutil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

class DatabaseTest final : public QObject
{
    Q_OBJECT

private:
    QString path() const { return m_dir->filePath(u"confab.db"_s); }

    static QByteArray fileBytes(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void shouldCreateTheSchemaInAnEmptyFile()
    {
        auto db = openDatabase(path());
        QVERIFY(db);
        QCOMPARE(scalar(*db, u"PRAGMA user_version"_s), qint64(Database::schemaVersion));
        for (const QString &table :
             {u"users"_s, u"sessions"_s, u"api_tokens"_s, u"conversations"_s, u"messages"_s,
              u"messages_fts"_s, u"search_backlog"_s, u"presets"_s, u"usage"_s, u"settings"_s}) {
            QCOMPARE(
                scalar(*db, u"SELECT count(*) FROM sqlite_master WHERE name = '%1'"_s.arg(table)),
                1);
        }
        QVERIFY(db->integrityCheck().ok());
    }

    void shouldKeepDataWhenReopened()
    {
        qint64 userId = 0;
        {
            auto db = openDatabase(path());
            QVERIFY(db);
            userId = createUser(*db, u"alice"_s);
            QVERIFY(userId > 0);
        }
        auto db = openDatabase(path());
        QVERIFY(db);
        auto user = UserStore(*db).get(userId);
        QVERIFY(user.ok());
        QCOMPARE(user->username, u"alice"_s);
        QCOMPARE(scalar(*db, u"PRAGMA user_version"_s), qint64(Database::schemaVersion));
    }

    void shouldRefuseANewerSchemaAndLeaveTheFileUntouched()
    {
        {
            auto db = openDatabase(path());
            QVERIFY(db);
            QVERIFY(createUser(*db, u"alice"_s) > 0);
            QVERIFY(db->exec(u"PRAGMA user_version = 99"_s, {}, u"test"_s).ok());
        }
        const QByteArray before = fileBytes(path());
        QVERIFY(!before.isEmpty());

        auto opened = Database::open(path());
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, ErrorCode::SchemaTooNew);
        QVERIFY2(
            opened.error().message.contains(
                u"newer Confab (schema 99, this version knows %1)"_s.arg(Database::schemaVersion)),
            qPrintable(opened.error().message));
        QCOMPARE(fileBytes(path()), before);
    }

    void shouldRejectAFileThatIsNotADatabase_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("text") << QByteArray("These are my notes, not a database.\n").repeated(200);
        QTest::newRow("json") << QByteArray(R"({"conversations": []})");
        QTest::newRow("binary") << QByteArray(4096, '\xff');
    }

    void shouldRejectAFileThatIsNotADatabase()
    {
        QFETCH(QByteArray, content);
        {
            QFile file(path());
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        auto opened = Database::open(path());
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, ErrorCode::Database);
        QVERIFY2(opened.error().message.contains(u"not an SQLite database"_s),
                 qPrintable(opened.error().message));
        QVERIFY(opened.error().message.contains(path()));
        QCOMPARE(fileBytes(path()), content);
    }

    void shouldApplyTheConnectionPragmas_data()
    {
        QTest::addColumn<bool>("durable");
        QTest::addColumn<int>("busyTimeout");
        QTest::addColumn<int>("synchronous");
        QTest::newRow("desktop") << false << 5000 << 1; // NORMAL
        QTest::newRow("server") << true << 1234 << 2;   // FULL
    }

    void shouldApplyTheConnectionPragmas()
    {
        QFETCH(bool, durable);
        QFETCH(int, busyTimeout);
        QFETCH(int, synchronous);
        DatabaseOptions options;
        options.durable = durable;
        options.busyTimeout = std::chrono::milliseconds(busyTimeout);
        auto db = openDatabase(path(), options);
        QVERIFY(db);
        auto mode = db->exec(u"PRAGMA journal_mode"_s, {}, u"test"_s);
        QVERIFY(mode.ok() && mode->next());
        QCOMPARE(mode->value(0).toString(), u"wal"_s);
        QCOMPARE(scalar(*db, u"PRAGMA foreign_keys"_s), 1);
        QCOMPARE(scalar(*db, u"PRAGMA busy_timeout"_s), busyTimeout);
        QCOMPARE(scalar(*db, u"PRAGMA synchronous"_s), synchronous);
    }

    // Statements are cached per connection; a pragma still acts each time it runs.
    void shouldRelaxDurabilityEveryTime()
    {
        DatabaseOptions options;
        options.durable = true;
        auto db = openDatabase(path(), options);
        QVERIFY(db);
        for (int round = 0; round < 3; ++round) {
            {
                RelaxedDurability relaxed(*db);
                QCOMPARE(scalar(*db, u"PRAGMA synchronous"_s), 1);
            }
            QCOMPARE(scalar(*db, u"PRAGMA synchronous"_s), 2);
        }
    }

    // A cached SELECT read only in part must not keep its snapshot: later reads on the
    // connection see what another connection committed since.
    void shouldSeeOtherWritesAfterAPartlyReadStatement()
    {
        auto first = openDatabase(path());
        auto second = openDatabase(path());
        QVERIFY(first && second);
        QVERIFY(createUser(*first, u"alice"_s) > 0);
        QVERIFY(createUser(*first, u"bob"_s) > 0);
        const QString sql = u"SELECT count(*) FROM users UNION ALL SELECT 0"_s;
        {
            auto partly = first->exec(sql, {}, u"test"_s);
            QVERIFY(partly.ok() && partly->next());
            QCOMPARE(partly->value(0).toInt(), 2);
        }
        QVERIFY(createUser(*second, u"carol"_s) > 0);
        auto again = first->exec(sql, {}, u"test"_s);
        QVERIFY(again.ok() && again->next());
        QCOMPARE(again->value(0).toInt(), 3);
    }

    void shouldEnforceForeignKeys()
    {
        auto db = openDatabase(path());
        QVERIFY(db);
        auto inserted = db->exec(u"INSERT INTO conversations (user_id, created_at, updated_at) "
                                 "VALUES (424242, 0, 0)"_s,
                                 {}, u"test"_s);
        QVERIFY(!inserted.ok());
        QCOMPARE(inserted.error().code, ErrorCode::Conflict);
    }

    void shouldOpenTheSameFileTwice()
    {
        auto first = openDatabase(path());
        auto second = openDatabase(path());
        QVERIFY(first && second);
        const qint64 userId = createUser(*first, u"alice"_s);
        QVERIFY(userId > 0);
        auto seen = UserStore(*second).get(userId);
        QVERIFY(seen.ok());
        QCOMPARE(seen->username, u"alice"_s);
        second.reset();
        QVERIFY(UserStore(*first).get(userId).ok());
    }

    void shouldWaitForAnotherWriterOnlyUntilTheBusyTimeout()
    {
        DatabaseOptions patient;
        patient.busyTimeout = std::chrono::milliseconds(200);
        auto writer = openDatabase(path());
        auto other = openDatabase(path(), patient);
        QVERIFY(writer && other);
        const qint64 userId = createUser(*writer, u"alice"_s);

        auto transaction = std::make_unique<Transaction>(*writer);
        QVERIFY(transaction->ok());
        QElapsedTimer timer;
        timer.start();
        auto blocked = UsageStore(*other).add(userId, QDate(2026, 1, 1), 1, 0, 0);
        QVERIFY(!blocked.ok());
        QCOMPARE(blocked.error().code, ErrorCode::Database);
        QVERIFY2(blocked.error().message.contains(u"busy"_s), qPrintable(blocked.error().message));
        QVERIFY2(timer.elapsed() >= 150, qPrintable(QString::number(timer.elapsed())));

        transaction.reset();
        QVERIFY(UsageStore(*other).add(userId, QDate(2026, 1, 1), 1, 0, 0).ok());
    }

    void shouldRollBackAnUncommittedTransaction()
    {
        auto db = openDatabase(path());
        QVERIFY(db);
        {
            Transaction transaction(*db);
            QVERIFY(transaction.ok());
            QVERIFY(createUser(*db, u"ghost"_s) > 0);
        }
        QCOMPARE(UserStore(*db).findByName(u"ghost"_s).error().code, ErrorCode::NotFound);
        {
            Transaction transaction(*db);
            QVERIFY(createUser(*db, u"kept"_s) > 0);
            QVERIFY(transaction.commit().ok());
        }
        QVERIFY(UserStore(*db).findByName(u"kept"_s).ok());
    }

    void shouldNestTransactionsAsSavepoints()
    {
        auto db = openDatabase(path());
        QVERIFY(db);
        {
            Transaction outer(*db);
            QVERIFY(outer.ok());
            QVERIFY(createUser(*db, u"outer"_s) > 0);
            {
                Transaction inner(*db);
                QVERIFY(inner.ok());
                QVERIFY(createUser(*db, u"inner-dropped"_s) > 0);
            }
            {
                Transaction inner(*db);
                QVERIFY(createUser(*db, u"inner-kept"_s) > 0);
                QVERIFY(inner.commit().ok());
            }
            QVERIFY(outer.commit().ok());
        }
        UserStore users(*db);
        QVERIFY(users.findByName(u"outer"_s).ok());
        QVERIFY(users.findByName(u"inner-kept"_s).ok());
        QCOMPARE(users.findByName(u"inner-dropped"_s).error().code, ErrorCode::NotFound);
    }

    void shouldReportAFullDiskAndKeepEarlierRows()
    {
        auto db = openDatabase(path());
        QVERIFY(db);
        const qint64 userId = createUser(*db, u"alice"_s);
        auto conversation = ConversationStore(*db).create(userId, Conversation{});
        QVERIFY(conversation.ok());
        MessageStore messages(*db);
        Message message;
        message.conversationId = conversation->id;
        message.content = u"the first words, safely stored"_s;
        QVERIFY(messages.append(userId, message).ok());

        // SQLite answers SQLITE_FULL once the file would grow past max_page_count.
        const qint64 pages = scalar(*db, u"PRAGMA page_count"_s);
        QVERIFY(pages > 0);
        QVERIFY(db->exec(u"PRAGMA max_page_count = %1"_s.arg(pages + 8), {}, u"test"_s).ok());

        int stored = 1;
        Error failure;
        for (int i = 0; i < 100; ++i) {
            message.content = QString(u'x').repeated(16 * 1024) + QString::number(i);
            auto appended = messages.append(userId, message);
            if (!appended) {
                failure = appended.error();
                break;
            }
            ++stored;
        }
        QCOMPARE(failure.code, ErrorCode::DiskFull);
        QVERIFY2(failure.message.contains(u"disk is full"_s), qPrintable(failure.message));

        auto all = messages.all(userId, conversation->id);
        QVERIFY(all.ok());
        QCOMPARE(all->size(), stored);
        QCOMPARE(all->constFirst().content, u"the first words, safely stored"_s);
        QVERIFY(db->integrityCheck().ok());

        // Other writes fail the same way, clearly.
        auto created = ConversationStore(*db).create(userId, Conversation{});
        if (!created.ok())
            QCOMPARE(created.error().code, ErrorCode::DiskFull);
    }

    void shouldMarkInterruptedAnswersIncompleteOnOpen()
    {
        qint64 userId = 0;
        qint64 answerId = 0;
        qint64 doneId = 0;
        {
            auto db = openDatabase(path());
            QVERIFY(db);
            userId = createUser(*db, u"alice"_s);
            auto conversation = ConversationStore(*db).create(userId, Conversation{});
            MessageStore messages(*db);
            Message done;
            done.conversationId = conversation->id;
            done.content = u"finished"_s;
            doneId = messages.append(userId, done)->id;
            Message answer;
            answer.conversationId = conversation->id;
            answer.role = Role::Assistant;
            answer.state = MessageState::Streaming;
            answerId = messages.append(userId, answer)->id;
            QVERIFY(messages.updateStreaming(userId, answerId, u"half an answ"_s, {}).ok());
            // The process dies here: nothing finishes the answer.
        }
        auto db = openDatabase(path());
        QVERIFY(db);
        MessageStore messages(*db);
        auto answer = messages.get(userId, answerId);
        QVERIFY(answer.ok());
        QCOMPARE(answer->state, MessageState::Incomplete);
        QCOMPARE(answer->finishReason, u"interrupted"_s);
        QCOMPARE(answer->content, u"half an answ"_s);
        QVERIFY(!answer->errorMessage.isEmpty());
        QCOMPARE(messages.get(userId, doneId)->state, MessageState::Complete);
        QCOMPARE(messages.get(userId, doneId)->finishReason, QString());
        // Recovered text is searchable like any other.
        auto hits = messages.search(userId, u"answ"_s);
        QVERIFY(hits.ok());
        QCOMPARE(hits->size(), 1);
        QVERIFY(db->integrityCheck().ok());
        QCOMPARE(db->recoverInterruptedMessages().value(), 0);
    }

    void shouldLeaveStreamingAnswersAloneWhenAskedTo()
    {
        auto db = openDatabase(path());
        QVERIFY(db);
        const qint64 userId = createUser(*db, u"alice"_s);
        auto conversation = ConversationStore(*db).create(userId, Conversation{});
        Message answer;
        answer.conversationId = conversation->id;
        answer.state = MessageState::Streaming;
        const qint64 answerId = MessageStore(*db).append(userId, answer)->id;

        // A second connection of the same, running process.
        DatabaseOptions options;
        options.recoverInterrupted = false;
        auto worker = openDatabase(path(), options);
        QVERIFY(worker);
        QCOMPARE(MessageStore(*worker).get(userId, answerId)->state, MessageState::Streaming);
        QVERIFY(MessageStore(*db).updateStreaming(userId, answerId, u"still going"_s, {}).ok());
    }

    void shouldDetectADamagedSearchIndex()
    {
        auto db = openDatabase(path());
        QVERIFY(db);
        QVERIFY(db->integrityCheck().ok());
        QVERIFY(db->exec(u"INSERT INTO messages_fts (rowid, content) VALUES (999, 'stray words')"_s,
                         {}, u"test"_s)
                    .ok());
        auto check = db->integrityCheck();
        QVERIFY(!check.ok());
        QCOMPARE(check.error().code, ErrorCode::Database);
    }

    void shouldFailClearlyWhenTheDirectoryDoesNotExist()
    {
        auto opened = Database::open(m_dir->filePath(u"missing/dir/confab.db"_s));
        QVERIFY(!opened.ok());
        QVERIFY(!opened.error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(DatabaseTest)
#include "tst_database.moc"
