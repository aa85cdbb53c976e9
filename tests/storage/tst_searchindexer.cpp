#include "storage/conversationstore.h"
#include "storage/importwriter.h"
#include "storage/messagestore.h"
#include "storage/searchindexer.h"
#include "storagetestutil.h"

#include <QSignalSpy>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

// An import leaves its messages to SearchIndexer. Throughout, every search must give exactly
// what a literal substring search of the stored text gives, newest first, whether the
// messages are indexed, waiting, or half way; and the index must hold exactly the messages
// outside the backlog (Database::integrityCheck says so).
class SearchIndexerTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    qint64 m_alice = 0;
    qint64 m_bob = 0;
    // Alice's finished messages by id: what a search must find.
    QMap<qint64, QString> m_model;

    QString path() const { return m_dir->filePath(u"confab.db"_s); }

    static Message message(const QString &content, MessageState state = MessageState::Complete)
    {
        Message m;
        m.content = content;
        m.state = state;
        return m;
    }

    // One import of one conversation per entry of `conversations`; the new messages' ids.
    QList<qint64> import(const QList<QStringList> &conversations, qint64 userId = 0)
    {
        userId = userId ? userId : m_alice;
        ImportWriter writer(*m_db);
        if (!writer.begin())
            return {};
        QList<Conversation> added;
        for (const QStringList &contents : conversations) {
            QList<Message> messages;
            for (const QString &content : contents)
                messages.append(message(content));
            Conversation conversation;
            conversation.title = u"imported"_s;
            auto saved = writer.add(userId, conversation, messages);
            if (!saved)
                return {};
            added.append(*saved);
        }
        if (!writer.commit())
            return {};
        QList<qint64> ids;
        for (const Conversation &conversation : std::as_const(added)) {
            const auto stored = *MessageStore(*m_db).all(userId, conversation.id);
            for (const Message &m : stored) {
                ids.append(m.id);
                if (userId == m_alice)
                    m_model.insert(m.id, m.content);
            }
        }
        return ids;
    }

    QList<qint64> importNumbered(int count, const QString &text = u"imported message"_s)
    {
        QStringList contents;
        for (int i = 0; i < count; ++i)
            contents.append(u"%1 %2"_s.arg(text).arg(i));
        return import({contents});
    }

    qint64 append(qint64 conversationId, const QString &content,
                  MessageState state = MessageState::Complete)
    {
        Message m = message(content, state);
        m.conversationId = conversationId;
        auto appended = MessageStore(*m_db).append(m_alice, m);
        if (!appended)
            return 0;
        if (state != MessageState::Streaming)
            m_model.insert(appended->id, content);
        return appended->id;
    }

    QList<qint64> searchIds(const QString &query, int limit = 200)
    {
        auto hits = MessageStore(*m_db).search(m_alice, query, limit);
        if (!hits) {
            qWarning("search for %s failed: %s", qPrintable(query),
                     qPrintable(hits.error().toString()));
            return {-1};
        }
        QList<qint64> ids;
        for (const SearchHit &hit : *hits)
            ids.append(hit.messageId);
        return ids;
    }

    // Newest first, as a search answers.
    QList<qint64> expectedIds(const QString &query, int limit = 200) const
    {
        QList<qint64> ids;
        for (auto it = m_model.cbegin(); it != m_model.cend(); ++it) {
            if (it.value().contains(query, Qt::CaseInsensitive))
                ids.append(it.key());
        }
        std::reverse(ids.begin(), ids.end());
        return ids.mid(0, limit);
    }

    // Messages the index itself finds for the text (trigrams ANDed, no LIKE).
    qint64 indexed(const QString &trigram)
    {
        auto query = m_db->exec(u"SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?"_s,
                                {u"\"%1\""_s.arg(trigram)}, u"test"_s);
        return query && query->next() ? query->value(0).toLongLong() : -1;
    }

    qint64 backlog() { return SearchIndexer(*m_db).backlogSize().value(); }

    // Whether FTS5 finds segments to merge: a full merge of the index does some work. Rolled
    // back, so that looking changes nothing.
    bool mergeable()
    {
        Transaction transaction(*m_db);
        const qint64 before = scalar(*m_db, u"SELECT total_changes()"_s);
        if (!m_db->exec(
                u"INSERT INTO messages_fts (messages_fts, rank) VALUES ('merge', -100000)"_s, {},
                u"test"_s))
            return false;
        return scalar(*m_db, u"SELECT total_changes()"_s) - before >= 2;
    }

    // Text of the given characters that shares few trigrams with other messages.
    static QStringList scatteredText(int messages, int length, int seed = 0)
    {
        QStringList contents;
        for (int i = 0; i < messages; ++i) {
            QString text;
            for (int c = 0; c < length; ++c)
                text.append(QChar(0x4e00 + ((i + seed) * 211 + c * 7919) % 20000));
            contents.append(text);
        }
        return contents;
    }

    // Every query against the model, and the index against the messages.
    void verifySearches(const QStringList &queries)
    {
        const auto check = m_db->integrityCheck();
        QVERIFY2(check.ok(), qPrintable(check.error().message));
        for (const QString &query : queries) {
            QCOMPARE(searchIds(query), expectedIds(query));
            QCOMPARE(searchIds(query, 3), expectedIds(query, 3));
        }
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = openDatabase(path());
        QVERIFY(m_db);
        m_alice = createUser(*m_db, u"alice"_s);
        m_bob = createUser(*m_db, u"bob"_s);
        m_model.clear();
    }

    void cleanup()
    {
        m_db.reset();
        m_dir.reset();
    }

    void shouldCommitAnImportWithoutIndexingIt()
    {
        const QList<qint64> ids = importNumbered(40, u"kangaroo 袋鼠跳"_s);
        QCOMPARE(ids.size(), 40);
        QCOMPARE(backlog(), 40);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM search_backlog"_s), 1);
        QCOMPARE(indexed(u"kan"_s), 0);
        QVERIFY(m_db->integrityCheck().ok());
        // Stored and listed at once.
        auto listed = ConversationStore(*m_db).list(m_alice);
        QCOMPARE(listed->items.size(), 1);
        QCOMPARE(listed->items.constFirst().messageCount, 40);

        QVERIFY(SearchIndexer(*m_db).indexAll().ok());
        QCOMPARE(backlog(), 0);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM search_backlog"_s), 0);
        QCOMPARE(indexed(u"kan"_s), 40);
        QCOMPARE(indexed(u"袋鼠跳"_s), 40);
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldIndexInStepsBoundedByMessagesAndCharacters_data()
    {
        QTest::addColumn<int>("maxMessages");
        QTest::addColumn<qint64>("maxCharacters");
        QTest::addColumn<int>("messageLength");
        QTest::addColumn<QList<qint64>>("steps"); // messages indexed by each step
        QTest::newRow("by messages") << 7 << qint64(1'000'000) << 10 << QList<qint64>{7, 7, 7, 4};
        // 100 characters each: a step stops before the message that would pass the limit.
        QTest::newRow("by characters")
            << 1000 << qint64(250) << 100 << QList<qint64>{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1};
        QTest::newRow("one message over the limit")
            << 1000 << qint64(50) << 100 << QList<qint64>(5, 1);
    }

    void shouldIndexInStepsBoundedByMessagesAndCharacters()
    {
        QFETCH(int, maxMessages);
        QFETCH(qint64, maxCharacters);
        QFETCH(int, messageLength);
        QFETCH(QList<qint64>, steps);
        qint64 total = 0;
        for (const qint64 step : std::as_const(steps))
            total += step;
        QStringList contents;
        for (int i = 0; i < total; ++i)
            contents.append(
                u"wallaby %1 "_s.arg(i, 3, 10, QChar(u'0')).leftJustified(messageLength, u'.'));
        QCOMPARE(import({contents}).size(), total);

        SearchIndexer indexer(*m_db, {maxMessages, maxCharacters});
        QList<qint64> done;
        qint64 left = total;
        for (int i = 0; i < steps.size(); ++i) {
            auto step = indexer.indexStep();
            QVERIFY(step.ok());
            done.append(step->indexed);
            QCOMPARE(step->covered, step->indexed);
            left -= step->indexed;
            QCOMPARE(step->done, left == 0);
            QCOMPARE(backlog(), left);
            QCOMPARE(indexed(u"wal"_s), total - left);
            // Half way, searches still find everything, once.
            QCOMPARE(searchIds(u"wallaby"_s), expectedIds(u"wallaby"_s));
            QVERIFY(m_db->integrityCheck().ok());
        }
        QCOMPARE(done, steps);
        // Nothing left: a step does nothing and says so.
        auto idle = indexer.indexStep();
        QVERIFY(idle.ok());
        QCOMPARE(idle->covered, 0);
        QVERIFY(idle->done);
    }

    void shouldIndexOnTheEventLoopLettingOtherEventsThrough()
    {
        importNumbered(100, u"platypus"_s);
        SearchIndexer indexer(*m_db, {10, 1'000'000});
        QSignalSpy progress(&indexer, &SearchIndexer::progress);
        QSignalSpy finished(&indexer, &SearchIndexer::finished);
        QSignalSpy failed(&indexer, &SearchIndexer::failed);
        indexer.start();
        QVERIFY(indexer.isRunning());
        QCOMPARE(backlog(), 100); // nothing happens before the event loop runs

        // Other events run between the steps: a GUI stays responsive.
        QList<qint64> seenByOtherEvents;
        QTimer other;
        other.setInterval(0);
        connect(&other, &QTimer::timeout, this, [&] { seenByOtherEvents.append(backlog()); });
        other.start();
        QVERIFY(finished.wait(10000));
        other.stop();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(failed.size(), 0);
        QVERIFY(!indexer.isRunning());
        QCOMPARE(backlog(), 0);
        QCOMPARE(indexed(u"pla"_s), 100);
        QVERIFY(std::any_of(seenByOtherEvents.cbegin(), seenByOtherEvents.cend(),
                            [](qint64 left) { return left > 0 && left < 100; }));

        QCOMPARE(progress.size(), 10);
        qint64 last = 0;
        for (const QList<QVariant> &signal : std::as_const(progress)) {
            QVERIFY(signal.at(0).toLongLong() > last);
            QCOMPARE(signal.at(1).toLongLong(), 100);
            last = signal.at(0).toLongLong();
        }
        QCOMPARE(last, 100);

        // Started with nothing to do, it just finishes.
        indexer.start();
        QVERIFY(finished.wait(5000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(progress.size(), 11);
        QCOMPARE(progress.constLast().at(0).toLongLong(), 0);
    }

    void shouldMergeTheSegmentsItWrote()
    {
        import({scatteredText(100, 200)});
        SearchIndexer indexer(*m_db, {10, 1'000'000, 16});
        // A segment a step: many.
        for (int i = 0; i < 3; ++i)
            QVERIFY(indexer.indexStep().ok());
        QVERIFY(mergeable());

        QSignalSpy finished(&indexer, &SearchIndexer::finished);
        QSignalSpy progress(&indexer, &SearchIndexer::progress);
        indexer.start();
        QVERIFY(finished.wait(10000));
        QCOMPARE(progress.size(), 7);
        QVERIFY(!mergeable());
        QVERIFY(m_db->integrityCheck().ok());
        verifySearches({scatteredText(1, 200, 42).constFirst().left(3)});

        // indexAll() too.
        import({scatteredText(50, 200, 7)});
        QVERIFY(SearchIndexer(*m_db, {10, 1'000'000, 16}).indexAll().ok());
        QVERIFY(!mergeable());
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldBoundTheMergingByWhatItIndexed()
    {
        // A large index, merged; then a small import: merging the whole index again would
        // cost far more than indexing the import did.
        import({scatteredText(400, 200)});
        QVERIFY(SearchIndexer(*m_db).indexAll().ok());
        QVERIFY(!mergeable());
        const qint64 pages = scalar(*m_db, u"SELECT count(*) FROM messages_fts_data"_s);
        QVERIFY2(pages > 50, qPrintable(QString::number(pages)));

        import({scatteredText(5, 20, 1000)});
        SearchIndexer indexer(*m_db, {1, 1'000'000, 1});
        QSignalSpy finished(&indexer, &SearchIndexer::finished);
        indexer.start();
        QVERIFY(finished.wait(10000));
        QCOMPARE(backlog(), 0);
        // Stopped within its budget, the merge unfinished (FTS5 carries it on later).
        QVERIFY(mergeable());
        QVERIFY(m_db->integrityCheck().ok());
        verifySearches({scatteredText(1, 20, 1002).constFirst().left(3)});
    }

    void shouldTakeInAnImportCommittedWhileRunning()
    {
        importNumbered(30, u"echidna"_s);
        SearchIndexer indexer(*m_db, {10, 1'000'000});
        QSignalSpy progress(&indexer, &SearchIndexer::progress);
        QSignalSpy finished(&indexer, &SearchIndexer::finished);
        indexer.start();
        QVERIFY(progress.wait(5000));
        QCOMPARE(finished.size(), 0);
        importNumbered(25, u"echidna"_s);
        indexer.start(); // what LocalChatService does after an import
        QVERIFY(finished.wait(10000));
        QCOMPARE(backlog(), 0);
        QCOMPARE(indexed(u"ech"_s), 55);
        QCOMPARE(progress.constLast().at(0).toLongLong(), 55);
        QCOMPARE(progress.constLast().at(1).toLongLong(), 55);
        verifySearches({u"echidna"_s, u"echidna 2"_s});
    }

    void shouldResumeAfterTheDatabaseIsReopened()
    {
        importNumbered(50, u"numbat 袋食蚁兽"_s);
        {
            SearchIndexer indexer(*m_db, {20, 1'000'000});
            QVERIFY(indexer.indexStep().ok());
        }
        m_db.reset(); // the app quits half way

        m_db = openDatabase(path());
        QVERIFY(m_db);
        QCOMPARE(backlog(), 30);
        QCOMPARE(indexed(u"num"_s), 20);
        verifySearches({u"numbat"_s, u"袋食蚁兽"_s, u"numbat 4"_s});

        SearchIndexer indexer(*m_db, {20, 1'000'000});
        QSignalSpy finished(&indexer, &SearchIndexer::finished);
        indexer.start();
        QVERIFY(finished.wait(5000));
        QCOMPARE(backlog(), 0);
        QCOMPARE(indexed(u"num"_s), 50);
        verifySearches({u"numbat"_s, u"袋食蚁兽"_s, u"numbat 4"_s});
    }

    void shouldKeepTheIndexExactWhileWaitingMessagesChange()
    {
        const qint64 conversation = ConversationStore(*m_db).create(m_alice, Conversation{})->id;
        const qint64 before = append(conversation, u"quokka before the import"_s);
        const QList<qint64> first = importNumbered(20, u"quokka first import"_s);
        const QList<qint64> second
            = import({{u"quokka second import a"_s, u"quokka second import b"_s},
                      {u"quokka third conversation"_s}});
        const qint64 after = append(conversation, u"quokka after the import"_s);
        QCOMPARE(backlog(), 23);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM search_backlog"_s), 2);
        // Written after the import, indexed at once by the triggers.
        QCOMPARE(indexed(u"aft"_s), 1);

        SearchIndexer indexer(*m_db, {8, 1'000'000});
        QVERIFY(indexer.indexStep().ok()); // first[0..7] indexed, first[8..19] waiting
        const QStringList queries{u"quokka"_s, u"marsupial"_s, u"有袋类"_s,
                                  u"qu"_s,     u"import"_s,    u"quokka first import 1"_s};
        verifySearches(queries);

        MessageStore store(*m_db);
        const auto edit = [&](qint64 id, const QString &content) {
            QVERIFY(store.updateContent(m_alice, id, content).ok());
            m_model.insert(id, content);
        };
        const auto remove = [&](qint64 id) {
            QVERIFY(store.remove(m_alice, id).ok());
            m_model.remove(id);
        };
        edit(before, u"marsupial before"_s);               // indexed long ago
        edit(first.at(2), u"marsupial indexed"_s);         // indexed by the step
        edit(first.at(12), u"marsupial 有袋类 waiting"_s); // waiting
        edit(first.at(12), u"有袋类 waiting, edited twice"_s);
        edit(second.at(0), u"marsupial in the second range"_s);
        edit(after, u"marsupial after"_s);
        verifySearches(queries);
        remove(first.at(3));  // indexed
        remove(first.at(15)); // waiting
        remove(second.at(2)); // the last of a range
        verifySearches(queries);

        // A conversation deleted with its messages, some indexed, some waiting.
        const qint64 importedConversation = store.get(m_alice, first.at(0))->conversationId;
        QVERIFY(ConversationStore(*m_db).remove(m_alice, importedConversation).ok());
        for (const qint64 id : first)
            m_model.remove(id);
        verifySearches(queries);

        QVERIFY(indexer.indexAll().ok());
        QCOMPARE(backlog(), 0);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM search_backlog"_s), 0);
        verifySearches(queries);
        // Edits after indexing go through the triggers again.
        edit(second.at(1), u"有袋类 at last"_s);
        remove(second.at(0));
        verifySearches(queries);
        QCOMPARE(indexed(u"quo"_s), 0);
        QCOMPARE(indexed(u"有袋类"_s), 1);
    }

    void shouldIndexAStreamingAnswerWrittenDuringAnImportOnceItFinishes()
    {
        const qint64 conversation = ConversationStore(*m_db).create(m_alice, Conversation{})->id;
        MessageStore store(*m_db);
        ImportWriter writer(*m_db);
        QVERIFY(writer.begin().ok());
        QVERIFY(writer.add(m_alice, Conversation{}, {message(u"wombat imported"_s)}).ok());
        // The app answers meanwhile, on the same connection: inside the import's range.
        const qint64 early = append(conversation, {}, MessageState::Streaming);
        const qint64 late = append(conversation, {}, MessageState::Streaming);
        QVERIFY(store.updateStreaming(m_alice, early, u"wombat streaming"_s, {}).ok());
        // An import still writing is not the indexer's: it indexes nothing of it.
        auto step = SearchIndexer(*m_db).indexStep();
        QVERIFY(step.ok());
        QCOMPARE(step->covered, 0);
        QVERIFY(step->done);
        QVERIFY(writer.commit().ok());
        m_model.insert(early - 1, u"wombat imported"_s);
        QCOMPARE(backlog(), 3);

        // Finished while waiting: the indexer takes the final text.
        QVERIFY(store
                    .finish(m_alice, early, MessageState::Complete, u"stop"_s, {}, {},
                            u"wombat early answer"_s, {})
                    .ok());
        m_model.insert(early, u"wombat early answer"_s);
        verifySearches({u"wombat"_s, u"answer"_s, u"streaming"_s});
        QVERIFY(SearchIndexer(*m_db).indexAll().ok());
        QCOMPARE(backlog(), 0);
        verifySearches({u"wombat"_s, u"answer"_s, u"streaming"_s});

        // Still streaming when the indexer passed: the update trigger indexes it at the end.
        QVERIFY(store.updateStreaming(m_alice, late, u"wombat late stream"_s, {}).ok());
        verifySearches({u"wombat"_s});
        QVERIFY(store
                    .finish(m_alice, late, MessageState::Incomplete, u"cancelled"_s, {}, {},
                            u"wombat late answer"_s, {})
                    .ok());
        m_model.insert(late, u"wombat late answer"_s);
        verifySearches({u"wombat"_s, u"answer"_s, u"late"_s});
        QCOMPARE(indexed(u"wom"_s), 3);
    }

    void shouldSearchTheBacklogWithTheSameOrderAndLimits()
    {
        // Indexed, waiting and indexed again, interleaved in time; and Bob's, never found.
        const qint64 conversation = ConversationStore(*m_db).create(m_alice, Conversation{})->id;
        for (int i = 0; i < 5; ++i)
            append(conversation, u"dingo old %1"_s.arg(i));
        importNumbered(12, u"dingo imported"_s);
        import({{ u"dingo of bob"_s }}, m_bob);
        for (int i = 0; i < 5; ++i)
            append(conversation, u"dingo new %1"_s.arg(i));
        importNumbered(4, u"dingo later import"_s);

        const auto verifyAll = [&] {
            for (const int limit : {1, 3, 6, 10, 50}) {
                for (const QString &query :
                     {u"dingo"_s, u"DINGO "_s, u"di"_s, u"imported 1"_s, u"ng"_s, u"bob"_s}) {
                    const QList<qint64> found = searchIds(query, limit);
                    QCOMPARE(found, expectedIds(query.trimmed(), limit));
                }
            }
            QVERIFY(m_db->integrityCheck().ok());
        };
        verifyAll();
        SearchIndexer indexer(*m_db, {5, 1'000'000});
        for (bool done = false; !done;) {
            auto step = indexer.indexStep();
            QVERIFY(step.ok());
            done = step->done;
            verifyAll();
        }
        QCOMPARE(backlog(), 0);
    }

    void shouldListConversationsByTheBacklogsText()
    {
        ConversationStore conversations(*m_db);
        Conversation indexedOne;
        indexedOne.title = u"indexed"_s;
        const qint64 indexedId = conversations.create(m_alice, indexedOne)->id;
        append(indexedId, u"a bilby in the index"_s);
        importNumbered(3, u"a bilby waiting"_s);
        importNumbered(2, u"nothing here"_s);
        import({{ u"bob's bilby"_s }}, m_bob);

        const auto titles = [&](const QString &text) {
            ConversationQuery query;
            query.search = text;
            QStringList found;
            const auto page = conversations.list(m_alice, query);
            if (!page)
                return QStringList{page.error().toString()};
            for (const Conversation &conversation : page->items)
                found.append(conversation.title);
            return found;
        };
        for (const bool indexedNow : {false, true}) {
            if (indexedNow)
                QVERIFY(SearchIndexer(*m_db).indexAll().ok());
            // The imports are newer: first. Each conversation once.
            QCOMPARE(titles(u"bilby"_s), (QStringList{u"imported"_s, u"indexed"_s}));
            QCOMPARE(titles(u"bilby waiting 2"_s), QStringList{u"imported"_s});
            QCOMPARE(titles(u"bi"_s), (QStringList{u"imported"_s, u"indexed"_s}));
            QCOMPARE(titles(u"here"_s), QStringList{u"imported"_s});
            QCOMPARE(titles(u"bob's"_s), QStringList{});
        }
    }

    void shouldReuseNoIdAfterAnImportWasDeletedWhileWaiting()
    {
        const QList<qint64> first = importNumbered(5, u"bandicoot"_s);
        const qint64 conversation
            = MessageStore(*m_db).get(m_alice, first.constFirst())->conversationId;
        QVERIFY(ConversationStore(*m_db).remove(m_alice, conversation).ok());
        m_model.clear();
        // The first range still waits, over ids no message has any more.
        QCOMPARE(backlog(), 5);
        const QList<qint64> second = importNumbered(5, u"bandicoot"_s);
        QCOMPARE(second.constFirst(), first.constLast() + 1);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM search_backlog"_s), 2);
        verifySearches({u"bandicoot"_s});
        QVERIFY(SearchIndexer(*m_db).indexAll().ok());
        QCOMPARE(backlog(), 0);
        verifySearches({u"bandicoot"_s});
        QCOMPARE(indexed(u"ban"_s), 5);
    }

    void shouldLeaveNoRangeForAnEmptyOrNestedImport()
    {
        {
            ImportWriter writer(*m_db);
            QVERIFY(writer.begin().ok());
            QVERIFY(writer.add(m_alice, Conversation{}, {}).ok());
            QVERIFY(writer.commit().ok());
        }
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM search_backlog"_s), 0);

        // A single conversation imported inside a bigger import joins its range.
        ImportWriter outer(*m_db);
        QVERIFY(outer.begin().ok());
        QVERIFY(outer.add(m_alice, Conversation{}, {message(u"koala outer"_s)}).ok());
        QVERIFY(MessageStore(*m_db)
                    .importConversation(m_alice, Conversation{}, {message(u"koala inner"_s)})
                    .ok());
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM search_backlog"_s), 1);
        QVERIFY(outer.commit().ok());
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM search_backlog"_s), 1);
        QCOMPARE(backlog(), 2);
        QCOMPARE(MessageStore(*m_db).search(m_alice, u"koala"_s)->size(), 2);
        QVERIFY(SearchIndexer(*m_db).indexAll().ok());
        QCOMPARE(indexed(u"koa"_s), 2);
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldCheckTheIndexAgainstTheIndexedPartOnly()
    {
        const QList<qint64> ids = importNumbered(10, u"possum"_s);
        SearchIndexer indexer(*m_db, {4, 1'000'000});
        QVERIFY(indexer.indexStep().ok());
        QVERIFY(m_db->integrityCheck().ok());

        // A waiting message in the index as well: it would be found twice.
        {
            Transaction transaction(*m_db);
            QVERIFY(m_db->exec(u"INSERT INTO messages_fts (rowid, content) "
                               "SELECT id, content FROM messages WHERE id = ?"_s,
                               {ids.at(8)}, u"test"_s)
                        .ok());
            QVERIFY(!m_db->integrityCheck().ok());
        }
        QVERIFY(m_db->integrityCheck().ok());
        // An indexed message indexed twice.
        {
            Transaction transaction(*m_db);
            QVERIFY(m_db->exec(u"INSERT INTO messages_fts (rowid, content) "
                               "SELECT id, content FROM messages WHERE id = ?"_s,
                               {ids.at(1)}, u"test"_s)
                        .ok());
            QVERIFY(!m_db->integrityCheck().ok());
        }
        // An indexed message missing from the index.
        {
            Transaction transaction(*m_db);
            QVERIFY(m_db->exec(u"INSERT INTO messages_fts (messages_fts, rowid, content) "
                               "SELECT 'delete', id, content FROM messages WHERE id = ?"_s,
                               {ids.at(1)}, u"test"_s)
                        .ok());
            QVERIFY(!m_db->integrityCheck().ok());
        }
        // Ranges that overlap.
        {
            Transaction transaction(*m_db);
            QVERIFY(m_db->exec(u"INSERT INTO search_backlog (first_id, last_id) VALUES (?, ?)"_s,
                               {ids.at(9), ids.at(9) + 5}, u"test"_s)
                        .ok());
            auto check = m_db->integrityCheck();
            QVERIFY(!check.ok());
            QVERIFY2(check.error().message.contains(u"backlog"_s),
                     qPrintable(check.error().message));
        }
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldStayConsistentAndRetryableWhenTheDiskFillsDuringAStep()
    {
        // Text that shares few trigrams, so that indexing it needs new pages.
        const QStringList contents = scatteredText(300, 200);
        QCOMPARE(import({contents}).size(), 300);
        QCOMPARE(scalar(*m_db, u"PRAGMA freelist_count"_s), 0);
        const qint64 pages = scalar(*m_db, u"PRAGMA page_count"_s);
        QVERIFY(m_db->exec(u"PRAGMA max_page_count = %1"_s.arg(pages), {}, u"test"_s).ok());

        SearchIndexer indexer(*m_db, {100, 1'000'000});
        auto step = indexer.indexStep();
        QVERIFY(!step.ok());
        QCOMPARE(step.error().code, ErrorCode::DiskFull);
        // Rolled back as a whole: nothing indexed, nothing taken off the backlog.
        QCOMPARE(backlog(), 300);
        QCOMPARE(indexed(contents.at(5).left(3)), 0);
        verifySearches({contents.at(5).left(3), contents.at(7).mid(50, 6)});

        // On the event loop: it stops and says why.
        QSignalSpy failed(&indexer, &SearchIndexer::failed);
        QSignalSpy finished(&indexer, &SearchIndexer::finished);
        indexer.start();
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.constFirst().at(0).value<Error>().code, ErrorCode::DiskFull);
        QVERIFY(!indexer.isRunning());
        QCOMPARE(finished.size(), 0);
        QCOMPARE(backlog(), 300);
        QVERIFY(m_db->integrityCheck().ok());

        // Space again: the same indexer carries on.
        QVERIFY(m_db->exec(u"PRAGMA max_page_count = 1000000"_s, {}, u"test"_s).ok());
        indexer.start();
        QVERIFY(finished.wait(10000));
        QCOMPARE(backlog(), 0);
        const QString trigram = contents.at(5).left(3);
        QCOMPARE(indexed(trigram),
                 std::count_if(contents.cbegin(), contents.cend(),
                               [&](const QString &c) { return c.contains(trigram); }));
        verifySearches({contents.at(5).left(3), contents.at(7).mid(50, 6)});
    }
};

QTEST_GUILESS_MAIN(SearchIndexerTest)
#include "tst_searchindexer.moc"
