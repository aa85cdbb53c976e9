#include "storage/conversationstore.h"
#include "storage/importwriter.h"
#include "storage/messagestore.h"
#include "storage/searchindexer.h"
#include "storagetestutil.h"

#include <QSet>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

class MessageStoreTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    ManualClock m_clock;
    qint64 m_alice = 0;
    qint64 m_bob = 0;
    qint64 m_conversation = 0;

    Message message(const QString &content, Role role = Role::User,
                    MessageState state = MessageState::Complete)
    {
        Message m;
        m.conversationId = m_conversation;
        m.role = role;
        m.content = content;
        m.state = state;
        return m;
    }

    QList<qint64> appendMany(int count)
    {
        QList<qint64> ids;
        for (int i = 0; i < count; ++i) {
            auto appended = MessageStore(*m_db).append(
                m_alice, message(u"message %1"_s.arg(i), i % 2 ? Role::Assistant : Role::User));
            if (!appended)
                return {};
            ids.append(appended->id);
        }
        return ids;
    }

    static QList<qint64> idsOf(const QList<Message> &messages)
    {
        QList<qint64> ids;
        for (const Message &m : messages)
            ids.append(m.id);
        return ids;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = openDatabase(m_dir->filePath(u"confab.db"_s));
        QVERIFY(m_db);
        m_db->setClock(m_clock.function());
        m_alice = createUser(*m_db, u"alice"_s);
        m_bob = createUser(*m_db, u"bob"_s);
        Conversation conversation;
        conversation.title = u"chat"_s;
        m_conversation = ConversationStore(*m_db).create(m_alice, conversation)->id;
        QVERIFY(m_conversation > 0);
    }

    void cleanup()
    {
        m_db.reset();
        m_dir.reset();
    }

    void shouldAppendAndReadBackEveryField()
    {
        m_clock.advance(1234);
        Message answer = message(u"答案 answer"_s, Role::Assistant, MessageState::Incomplete);
        answer.reasoning = u"thinking…"_s;
        answer.finishReason = u"length"_s;
        answer.errorMessage = u"cut short"_s;
        answer.usage = Usage{10, 20, 30};
        auto saved = MessageStore(*m_db).append(m_alice, answer);
        QVERIFY(saved.ok());
        QVERIFY(saved->id > 0);
        QCOMPARE(saved->createdAt, m_clock.now());

        auto read = MessageStore(*m_db).get(m_alice, saved->id);
        QVERIFY(read.ok());
        QCOMPARE(*read, *saved);
        QCOMPARE(read->usage, std::optional(Usage{10, 20, 30}));
        QCOMPARE(read->conversationId, m_conversation);

        auto plain = MessageStore(*m_db).append(m_alice, message(QString()));
        QVERIFY(plain.ok());
        QCOMPARE(MessageStore(*m_db).get(m_alice, plain->id)->usage, std::nullopt);
        QCOMPARE(MessageStore(*m_db).get(m_alice, plain->id)->content, QString());
    }

    void shouldMoveTheConversationUpOnAppend()
    {
        m_clock.advance(60'000);
        QVERIFY(MessageStore(*m_db).append(m_alice, message(u"hi"_s)).ok());
        QCOMPARE(ConversationStore(*m_db).get(m_alice, m_conversation)->updatedAt, m_clock.now());
    }

    void shouldPageNewestFirstInChronologicalOrder_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("limit");
        QTest::newRow("uneven") << 23 << 5;
        QTest::newRow("exact") << 20 << 10;
        QTest::newRow("one at a time") << 4 << 1;
        QTest::newRow("single page") << 3 << 50;
        QTest::newRow("empty") << 0 << 50;
    }

    void shouldPageNewestFirstInChronologicalOrder()
    {
        QFETCH(int, count);
        QFETCH(int, limit);
        const QList<qint64> ids = appendMany(count);
        QCOMPARE(ids.size(), count);

        QList<qint64> seen;
        MessageQuery query;
        query.limit = limit;
        int pages = 0;
        do {
            auto page = MessageStore(*m_db).list(m_alice, m_conversation, query);
            QVERIFY(page.ok());
            const QList<qint64> pageIds = idsOf(page->items);
            QVERIFY(std::is_sorted(pageIds.begin(), pageIds.end()));
            QVERIFY(page->items.size() <= limit);
            seen = pageIds + seen;
            query.before = page->nextCursor;
            ++pages;
        } while (!query.before.isEmpty() && pages < 100);
        QCOMPARE(seen, ids);
        QCOMPARE(pages, qMax(1, (count + limit - 1) / limit));
    }

    void shouldRejectAnInvalidCursor()
    {
        MessageQuery query;
        query.before = u"1 OR 1=1"_s;
        QCOMPARE(MessageStore(*m_db).list(m_alice, m_conversation, query).error().code,
                 ErrorCode::InvalidInput);
    }

    void shouldGiveAllAndTheLastMessages()
    {
        const QList<qint64> ids = appendMany(10);
        MessageStore store(*m_db);
        QCOMPARE(idsOf(*store.all(m_alice, m_conversation)), ids);
        QCOMPARE(idsOf(*store.lastMessages(m_alice, m_conversation, 3)), ids.mid(7));
        QCOMPARE(idsOf(*store.lastMessages(m_alice, m_conversation, 50)), ids);
        QVERIFY(store.lastMessages(m_alice, m_conversation, 0)->isEmpty());
        // A session's context starts at a message: nothing before it is sent again.
        QCOMPARE(idsOf(*store.lastMessages(m_alice, m_conversation, 50, ids.at(6))), ids.mid(6));
        QCOMPARE(idsOf(*store.lastMessages(m_alice, m_conversation, 2, ids.at(6))), ids.mid(8));
        QVERIFY(store.lastMessages(m_alice, m_conversation, 5, ids.last() + 1)->isEmpty());
    }

    void shouldStreamThenFinishAnAnswer()
    {
        MessageStore store(*m_db);
        auto answer = store.append(m_alice, message({}, Role::Assistant, MessageState::Streaming));
        QVERIFY(answer.ok());
        QVERIFY(store.updateStreaming(m_alice, answer->id, u"Hel"_s, u"r"_s).ok());
        QVERIFY(store.updateStreaming(m_alice, answer->id, u"Hello"_s, u"re"_s).ok());
        auto partial = store.get(m_alice, answer->id);
        QCOMPARE(partial->content, u"Hello"_s);
        QCOMPARE(partial->reasoning, u"re"_s);
        QCOMPARE(partial->state, MessageState::Streaming);

        m_clock.advance(3000);
        auto finished = store.finish(m_alice, answer->id, MessageState::Complete, u"stop"_s, {},
                                     Usage{5, 7, 12}, u"Hello there"_s, u"reasoned"_s);
        QVERIFY(finished.ok());
        QCOMPARE(finished->state, MessageState::Complete);
        QCOMPARE(finished->finishReason, u"stop"_s);
        QCOMPARE(finished->content, u"Hello there"_s);
        QCOMPARE(finished->reasoning, u"reasoned"_s);
        QCOMPARE(finished->usage, std::optional(Usage{5, 7, 12}));
        QCOMPARE(*store.get(m_alice, answer->id), *finished);
        QCOMPARE(ConversationStore(*m_db).get(m_alice, m_conversation)->updatedAt, m_clock.now());

        // Late writes cannot overwrite a finished answer.
        auto late = store.updateStreaming(m_alice, answer->id, u"Hel"_s, {});
        QCOMPARE(late.error().code, ErrorCode::Conflict);
        auto again = store.finish(m_alice, answer->id, MessageState::Incomplete, u"cancelled"_s, {},
                                  std::nullopt, u"x"_s, {});
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        QCOMPARE(store.get(m_alice, answer->id)->content, u"Hello there"_s);
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldKeepAnIncompleteAnswerWithItsReason()
    {
        MessageStore store(*m_db);
        auto answer = store.append(m_alice, message({}, Role::Assistant, MessageState::Streaming));
        auto finished
            = store.finish(m_alice, answer->id, MessageState::Incomplete, u"idle_timeout"_s,
                           u"the provider stopped answering"_s, std::nullopt, u"partial"_s, {});
        QVERIFY(finished.ok());
        QVERIFY(finished->incomplete());
        QCOMPARE(finished->errorMessage, u"the provider stopped answering"_s);
        QCOMPARE(finished->usage, std::nullopt);
        QCOMPARE(store.finish(m_alice, answer->id, MessageState::Streaming, {}, {}, {}, {}, {})
                     .error()
                     .code,
                 ErrorCode::InvalidInput);
    }

    void shouldEditAndRemoveAMessage()
    {
        const QList<qint64> ids = appendMany(3);
        MessageStore store(*m_db);
        QVERIFY(store.updateContent(m_alice, ids[1], u"edited"_s).ok());
        QCOMPARE(store.get(m_alice, ids[1])->content, u"edited"_s);
        QVERIFY(store.remove(m_alice, ids[1]).ok());
        QCOMPARE(store.get(m_alice, ids[1]).error().code, ErrorCode::NotFound);
        QCOMPARE(idsOf(*store.all(m_alice, m_conversation)), (QList<qint64>{ids[0], ids[2]}));
        QCOMPARE(store.remove(m_alice, ids[1]).error().code, ErrorCode::NotFound);
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldRemoveAMessageAndEveryLaterOne()
    {
        const QList<qint64> ids = appendMany(6);
        Conversation other;
        const qint64 otherId = ConversationStore(*m_db).create(m_alice, other)->id;
        Message elsewhere = message(u"elsewhere"_s);
        elsewhere.conversationId = otherId;
        const qint64 elsewhereId = MessageStore(*m_db).append(m_alice, elsewhere)->id;

        MessageStore store(*m_db);
        auto removed = store.removeFrom(m_alice, m_conversation, ids[3]);
        QVERIFY(removed.ok());
        QCOMPARE(*removed, 3);
        QCOMPARE(idsOf(*store.all(m_alice, m_conversation)), ids.mid(0, 3));
        // A later message of another conversation stays.
        QVERIFY(store.get(m_alice, elsewhereId).ok());
        // The message must belong to that conversation.
        QCOMPARE(store.removeFrom(m_alice, m_conversation, elsewhereId).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store.removeFrom(m_alice, m_conversation, ids[4]).error().code,
                 ErrorCode::NotFound);

        // Ids are not reused: a client's caches keyed by id stay right.
        auto regenerated = store.append(m_alice, message(u"again"_s));
        QVERIFY(regenerated->id > elsewhereId);
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldHideAnotherUsersMessages()
    {
        MessageStore store(*m_db);
        const qint64 id = store.append(m_alice, message(u"private words"_s))->id;
        const qint64 streaming
            = store.append(m_alice, message({}, Role::Assistant, MessageState::Streaming))->id;

        QCOMPARE(store.get(m_bob, id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.list(m_bob, m_conversation).error().code, ErrorCode::NotFound);
        QCOMPARE(store.all(m_bob, m_conversation).error().code, ErrorCode::NotFound);
        QCOMPARE(store.lastMessages(m_bob, m_conversation, 5).error().code, ErrorCode::NotFound);
        QCOMPARE(store.lastMessages(m_bob, m_conversation, 0).error().code, ErrorCode::NotFound);
        Message intruder = message(u"injected"_s);
        QCOMPARE(store.append(m_bob, intruder).error().code, ErrorCode::NotFound);
        QCOMPARE(store.updateStreaming(m_bob, streaming, u"x"_s, {}).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store.finish(m_bob, streaming, MessageState::Complete, {}, {}, {}, u"x"_s, {})
                     .error()
                     .code,
                 ErrorCode::NotFound);
        QCOMPARE(store.updateContent(m_bob, id, u"x"_s).error().code, ErrorCode::NotFound);
        QCOMPARE(store.remove(m_bob, id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.removeFrom(m_bob, m_conversation, id).error().code, ErrorCode::NotFound);
        QVERIFY(store.search(m_bob, u"private"_s)->isEmpty());
        QVERIFY(store.search(m_bob, u"pr"_s)->isEmpty());
        // Same answer as for ids that do not exist.
        QCOMPARE(store.get(m_bob, id).error().message, store.get(m_bob, 999999).error().message);

        auto all = store.all(m_alice, m_conversation);
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->constFirst().content, u"private words"_s);
        QCOMPARE(all->constLast().content, QString());
        QCOMPARE(all->constLast().state, MessageState::Streaming);
    }

    void shouldImportAConversationKeepingItsTimes()
    {
        const QDateTime start(QDate(2023, 5, 1), QTime(8, 30), Qt::UTC);
        Conversation conversation;
        conversation.title = u"Imported"_s;
        conversation.params.model = u"gpt-4"_s;
        QList<Message> messages;
        for (int i = 0; i < 5; ++i) {
            Message m;
            m.role = i % 2 ? Role::Assistant : Role::User;
            m.content = u"imported %1 特别的词"_s.arg(i);
            m.createdAt = start.addSecs(i * 60);
            messages.append(m);
        }
        messages.last().state = MessageState::Streaming; // cannot stay so

        auto imported = MessageStore(*m_db).importConversation(m_alice, conversation, messages);
        QVERIFY(imported.ok());
        QCOMPARE(imported->createdAt, start);
        QCOMPARE(imported->updatedAt, start.addSecs(240));
        QCOMPARE(imported->messageCount, 5);
        QCOMPARE(*ConversationStore(*m_db).get(m_alice, imported->id), *imported);

        auto stored = MessageStore(*m_db).all(m_alice, imported->id);
        QCOMPARE(stored->size(), 5);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(stored->at(i).content, messages.at(i).content);
            QCOMPARE(stored->at(i).createdAt, messages.at(i).createdAt);
            QCOMPARE(stored->at(i).role, messages.at(i).role);
        }
        QCOMPARE(stored->constLast().state, MessageState::Incomplete);
        QCOMPARE(MessageStore(*m_db).search(m_alice, u"特别的"_s)->size(), 5);
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldImportManyConversationsAllOrNothing()
    {
        {
            ImportWriter writer(*m_db);
            QVERIFY(writer.begin().ok());
            for (int c = 0; c < 3; ++c) {
                Conversation conversation;
                conversation.title = u"batch %1"_s.arg(c);
                QVERIFY(
                    writer.add(m_alice, conversation, {message(u"kiwifruit %1"_s.arg(c))}).ok());
            }
            QCOMPARE(writer.conversationCount(), 3);
            // Destroyed without commit: nothing stays.
        }
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM conversations"_s), 1);
        QVERIFY(MessageStore(*m_db).search(m_alice, u"kiwifruit"_s)->isEmpty());
        QVERIFY(m_db->integrityCheck().ok());

        ImportWriter writer(*m_db);
        QVERIFY(writer.begin().ok());
        QVERIFY(writer.add(m_alice, Conversation{}, {message(u"kiwifruit"_s)}).ok());
        // An unknown owner fails the import as a whole.
        QCOMPARE(writer.add(424242, Conversation{}, {message(u"kiwifruit"_s)}).error().code,
                 ErrorCode::NotFound);
        QVERIFY(!writer.commit().ok());
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM conversations"_s), 1);
        // The failed import left nothing waiting for the search index either.
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM search_backlog"_s), 0);
    }

    void shouldKeepTheIndexRightWhenWritesInterleaveWithAnImport()
    {
        MessageStore store(*m_db);
        const qint64 before = store.append(m_alice, message(u"original aardvark"_s))->id;
        const qint64 streaming
            = store.append(m_alice, message({}, Role::Assistant, MessageState::Streaming))->id;

        ImportWriter writer(*m_db);
        QVERIFY(writer.begin().ok());
        auto imported = writer.add(m_alice, Conversation{}, {message(u"imported aardvark"_s)});
        QVERIFY(imported.ok());
        // The app keeps working while an import runs on the same connection.
        QVERIFY(store.updateContent(m_alice, before, u"edited armadillo"_s).ok());
        const qint64 during = store.append(m_alice, message(u"during aardvark"_s))->id;
        QVERIFY(store.updateContent(m_alice, during, u"during armadillo"_s).ok());
        QVERIFY(store
                    .finish(m_alice, streaming, MessageState::Complete, u"stop"_s, {}, {},
                            u"finished aardvark"_s, {})
                    .ok());
        QVERIFY(writer.commit().ok());

        // Searched while the import's messages wait for the indexer, and again once indexed.
        for (const bool indexed : {false, true}) {
            if (indexed)
                QVERIFY(SearchIndexer(*m_db).indexAll().ok());
            QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM search_backlog"_s), indexed ? 0 : 1);
            QVERIFY(m_db->integrityCheck().ok());
            auto hits = store.search(m_alice, u"aardvark"_s);
            QStringList snippets;
            for (const SearchHit &hit : *hits)
                snippets.append(hit.snippet);
            QCOMPARE(snippets, (QStringList{u"imported aardvark"_s, u"finished aardvark"_s}));
            QStringList armadillos;
            const auto armadilloHits = store.search(m_alice, u"armadillo"_s);
            for (const SearchHit &hit : *armadilloHits)
                armadillos.append(hit.snippet);
            QCOMPARE(armadillos, (QStringList{u"during armadillo"_s, u"edited armadillo"_s}));
        }
    }
};

QTEST_GUILESS_MAIN(MessageStoreTest)
#include "tst_messagestore.moc"
