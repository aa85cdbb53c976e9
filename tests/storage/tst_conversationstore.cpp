#include "storage/conversationstore.h"
#include "storage/messagestore.h"
#include "storage/searchindexer.h"
#include "storagetestutil.h"

#include <QSet>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

class ConversationStoreTest final : public StorageTestCase
{
    Q_OBJECT

private:
    Conversation titled(const QString &title)
    {
        Conversation conversation;
        conversation.title = title;
        return conversation;
    }

    qint64 addMessage(qint64 conversationId, const QString &content)
    {
        Message message;
        message.conversationId = conversationId;
        message.content = content;
        auto appended = MessageStore(*m_db).append(m_alice, message);
        return appended ? appended->id : 0;
    }

    // Walks every page of a listing; fails on an error.
    QList<Conversation> allPages(qint64 userId, ConversationQuery query, int *pages = nullptr)
    {
        QList<Conversation> items;
        int count = 0;
        do {
            auto page = ConversationStore(*m_db).list(userId, query);
            if (!page) {
                qWarning("%s", qPrintable(page.error().toString()));
                return {};
            }
            items += page->items;
            query.cursor = page->nextCursor;
            ++count;
        } while (!query.cursor.isEmpty() && count < 1000);
        if (pages)
            *pages = count;
        return items;
    }

private slots:
    void shouldCreateAndReadAConversation()
    {
        Conversation conversation = titled(u"旅行计划 Trip"_s);
        conversation.presetId = u"assistant"_s;
        conversation.params.model = u"gpt-4o-mini"_s;
        conversation.params.temperature = 0.3;
        conversation.params.stop = {u"END"_s};
        conversation.contextMessages = 20;

        auto created = ConversationStore(*m_db).create(m_alice, conversation);
        QVERIFY(created.ok());
        QVERIFY(created->id > 0);
        QCOMPARE(created->userId, m_alice);
        QCOMPARE(created->createdAt, m_clock.now());
        QCOMPARE(created->updatedAt, m_clock.now());
        QCOMPARE(created->createdAt.timeSpec(), Qt::UTC);
        QCOMPARE(created->messageCount, 0);

        auto read = ConversationStore(*m_db).get(m_alice, created->id);
        QVERIFY(read.ok());
        QCOMPARE(*read, *created);
        QCOMPARE(read->title, u"旅行计划 Trip"_s);
        QCOMPARE(read->presetId, u"assistant"_s);
        QCOMPARE(read->params, conversation.params);
        QCOMPARE(read->contextMessages, 20);
        QVERIFY(!read->archived);
    }

    void shouldCountMessages()
    {
        auto created = ConversationStore(*m_db).create(m_alice, titled(u"count"_s));
        for (int i = 0; i < 3; ++i)
            QVERIFY(addMessage(created->id, u"m%1"_s.arg(i)) > 0);
        QCOMPARE(ConversationStore(*m_db).get(m_alice, created->id)->messageCount, 3);
        auto page = ConversationStore(*m_db).list(m_alice);
        QVERIFY(page.ok());
        QCOMPARE(page->items.size(), 1);
        QCOMPARE(page->items.constFirst().messageCount, 3);
    }

    void shouldUpdateWithoutMovingTheConversation()
    {
        ConversationStore store(*m_db);
        auto created = store.create(m_alice, titled(u"old"_s));
        m_clock.advance(5000);
        Conversation changed = *created;
        changed.title = u"new"_s;
        changed.presetId = u"writer"_s;
        changed.params.maxTokens = 99;
        changed.contextMessages = 4;
        changed.archived = true;
        auto updated = store.update(m_alice, changed);
        QVERIFY(updated.ok());
        QCOMPARE(updated->title, u"new"_s);
        QCOMPARE(updated->presetId, u"writer"_s);
        QCOMPARE(updated->params.maxTokens, 99);
        QCOMPARE(updated->contextMessages, 4);
        QVERIFY(updated->archived);
        QCOMPARE(updated->updatedAt, created->updatedAt);

        changed.presetId.clear();
        changed.title.clear();
        QVERIFY(store.update(m_alice, changed).ok());
        QCOMPARE(store.get(m_alice, created->id)->presetId, QString());
        QCOMPARE(store.get(m_alice, created->id)->title, QString());
    }

    void shouldRejectInvalidConversations()
    {
        Conversation negative = titled(u"x"_s);
        negative.contextMessages = -1;
        QCOMPARE(ConversationStore(*m_db).create(m_alice, negative).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(ConversationStore(*m_db).create(4242, titled(u"x"_s)).error().code,
                 ErrorCode::NotFound);
    }

    void shouldMoveATouchedConversationToTheTop()
    {
        ConversationStore store(*m_db);
        const qint64 first = store.create(m_alice, titled(u"first"_s))->id;
        m_clock.advance(1000);
        const qint64 second = store.create(m_alice, titled(u"second"_s))->id;
        QCOMPARE(store.list(m_alice)->items.constFirst().id, second);

        m_clock.advance(1000);
        QVERIFY(store.touch(m_alice, first).ok());
        QCOMPARE(store.list(m_alice)->items.constFirst().id, first);
        QCOMPARE(store.get(m_alice, first)->updatedAt, m_clock.now());

        // A new message moves it too.
        m_clock.advance(1000);
        QVERIFY(addMessage(second, u"hello"_s) > 0);
        QCOMPARE(store.list(m_alice)->items.constFirst().id, second);
    }

    void shouldRemoveAConversationWithItsMessages()
    {
        ConversationStore store(*m_db);
        const qint64 id = store.create(m_alice, titled(u"doomed"_s))->id;
        const qint64 messageId = addMessage(id, u"a message about zebras"_s);
        QCOMPARE(MessageStore(*m_db).search(m_alice, u"zebra"_s)->size(), 1);

        QVERIFY(store.remove(m_alice, id).ok());
        QCOMPARE(store.get(m_alice, id).error().code, ErrorCode::NotFound);
        QCOMPARE(MessageStore(*m_db).get(m_alice, messageId).error().code, ErrorCode::NotFound);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM messages"_s), 0);
        QCOMPARE(MessageStore(*m_db).search(m_alice, u"zebra"_s)->size(), 0);
        QVERIFY(m_db->integrityCheck().ok());
        QCOMPARE(store.remove(m_alice, id).error().code, ErrorCode::NotFound);
    }

    void shouldPageWithoutDuplicatesOrGaps_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("sameTimeEvery"); // that many conversations share each time
        QTest::newRow("one per page") << 7 << 1 << 1;
        QTest::newRow("uneven pages") << 23 << 5 << 1;
        QTest::newRow("exact pages") << 20 << 5 << 1;
        QTest::newRow("all at one time") << 30 << 4 << 30;
        QTest::newRow("ties across page ends") << 41 << 6 << 4;
        QTest::newRow("one page") << 10 << 50 << 3;
    }

    void shouldPageWithoutDuplicatesOrGaps()
    {
        QFETCH(int, count);
        QFETCH(int, limit);
        QFETCH(int, sameTimeEvery);
        ConversationStore store(*m_db);
        QList<qint64> expected;
        for (int i = 0; i < count; ++i) {
            if (i % sameTimeEvery == 0)
                m_clock.advance(1000);
            expected.prepend(store.create(m_alice, titled(u"c%1"_s.arg(i)))->id);
            // Bob's conversations interleave and never show up.
            QVERIFY(store.create(m_bob, titled(u"b%1"_s.arg(i))).ok());
        }
        // Newest first; among equal times the larger id first.
        std::stable_sort(expected.begin(), expected.end(), [&](qint64 a, qint64 b) {
            const auto ta = store.get(m_alice, a)->updatedAt;
            const auto tb = store.get(m_alice, b)->updatedAt;
            return ta != tb ? ta > tb : a > b;
        });

        ConversationQuery query;
        query.limit = limit;
        int pages = 0;
        const QList<Conversation> items = allPages(m_alice, query, &pages);
        QList<qint64> ids;
        for (const Conversation &conversation : items) {
            QCOMPARE(conversation.userId, m_alice);
            ids.append(conversation.id);
        }
        QCOMPARE(ids, expected);
        QCOMPARE(pages, (count + limit - 1) / limit);
    }

    void shouldListArchivedConversationsApart()
    {
        ConversationStore store(*m_db);
        const qint64 kept = store.create(m_alice, titled(u"kept"_s))->id;
        Conversation archived = *store.create(m_alice, titled(u"archived"_s));
        archived.archived = true;
        QVERIFY(store.update(m_alice, archived).ok());

        auto active = store.list(m_alice);
        QCOMPARE(active->items.size(), 1);
        QCOMPARE(active->items.constFirst().id, kept);
        ConversationQuery query;
        query.archived = true;
        auto onlyArchived = store.list(m_alice, query);
        QCOMPARE(onlyArchived->items.size(), 1);
        QCOMPARE(onlyArchived->items.constFirst().id, archived.id);
    }

    void shouldSearchTitlesAndMessageText_data()
    {
        QTest::addColumn<QString>("search");
        QTest::addColumn<QStringList>("titles");
        QTest::newRow("title, English") << u"recipe"_s << QStringList{u"Pasta recipe"_s};
        QTest::newRow("title, any case") << u"PASTA"_s << QStringList{u"Pasta recipe"_s};
        QTest::newRow("title, Chinese") << u"周末"_s << QStringList{u"周末安排"_s};
        QTest::newRow("message, Chinese 3+") << u"新特性"_s << QStringList{u"Frontend"_s};
        QTest::newRow("message, English") << u"garlic"_s << QStringList{u"Pasta recipe"_s};
        QTest::newRow("message, short") << u"Vu"_s << QStringList{u"Frontend"_s};
        QTest::newRow("title and message")
            << u"e"_s << QStringList{u"周末安排"_s, u"Frontend"_s, u"Pasta recipe"_s};
        QTest::newRow("nothing") << u"quantum"_s << QStringList{};
        QTest::newRow("wildcard is literal") << u"%"_s << QStringList{};
        QTest::newRow("quote is literal") << u"\"OR\""_s << QStringList{};
    }

    void shouldSearchTitlesAndMessageText()
    {
        QFETCH(QString, search);
        QFETCH(QStringList, titles);
        ConversationStore store(*m_db);
        const qint64 pasta = store.create(m_alice, titled(u"Pasta recipe"_s))->id;
        addMessage(pasta, u"Fry the garlic first."_s);
        m_clock.advance(1000);
        const qint64 frontend = store.create(m_alice, titled(u"Frontend"_s))->id;
        addMessage(frontend, u"Vue3 的主要新特性包括组合式 API"_s);
        m_clock.advance(1000);
        const qint64 weekend = store.create(m_alice, titled(u"周末安排"_s))->id;
        addMessage(weekend, u"去爬山 (hike)"_s);
        // Bob's matching conversation is never listed for Alice.
        QVERIFY(store.create(m_bob, titled(u"Pasta recipe 周末 新特性 garlic"_s)).ok());

        ConversationQuery query;
        query.search = search;
        query.limit = 2;
        QStringList found;
        for (const Conversation &conversation : allPages(m_alice, query))
            found.append(conversation.title);
        QCOMPARE(found, titles);
    }

    void shouldSearchMessageTextWaitingForTheIndex_data()
    {
        shouldSearchTitlesAndMessageText_data();
    }

    // The same, the messages imported: found while they wait for the indexer, and after.
    void shouldSearchMessageTextWaitingForTheIndex()
    {
        QFETCH(QString, search);
        QFETCH(QStringList, titles);
        MessageStore messages(*m_db);
        const auto importOne = [&](const QString &title, const QString &content) {
            Conversation conversation = titled(title);
            conversation.createdAt = conversation.updatedAt = m_clock.now();
            Message message;
            message.content = content;
            message.createdAt = m_clock.now();
            QVERIFY(messages.importConversation(m_alice, conversation, {message}).ok());
            m_clock.advance(1000);
        };
        importOne(u"Pasta recipe"_s, u"Fry the garlic first."_s);
        // Indexed as usual, between two imports.
        const qint64 frontend = ConversationStore(*m_db).create(m_alice, titled(u"Frontend"_s))->id;
        addMessage(frontend, u"Vue3 的主要新特性包括组合式 API"_s);
        m_clock.advance(1000);
        importOne(u"周末安排"_s, u"去爬山 (hike)"_s);
        Conversation bobs = titled(u"Pasta recipe 周末 新特性 garlic"_s);
        QVERIFY(messages.importConversation(m_bob, bobs, {}).ok());

        ConversationQuery query;
        query.search = search;
        query.limit = 2;
        for (const bool indexed : {false, true}) {
            if (indexed)
                QVERIFY(SearchIndexer(*m_db).indexAll().ok());
            QCOMPARE(SearchIndexer(*m_db).backlogSize().value(), indexed ? 0 : 2);
            QStringList found;
            for (const Conversation &conversation : allPages(m_alice, query))
                found.append(conversation.title);
            QCOMPARE(found, titles);
        }
    }

    void shouldRejectAnInvalidCursor_data()
    {
        QTest::addColumn<QString>("cursor");
        QTest::newRow("garbage") << u"!!!"_s;
        QTest::newRow("not a key") << QString::fromLatin1(QByteArray("hello").toBase64());
        QTest::newRow("sql") << u"1' OR '1'='1"_s;
    }

    void shouldRejectAnInvalidCursor()
    {
        QFETCH(QString, cursor);
        ConversationQuery query;
        query.cursor = cursor;
        auto page = ConversationStore(*m_db).list(m_alice, query);
        QVERIFY(!page.ok());
        QCOMPARE(page.error().code, ErrorCode::InvalidInput);
    }

    void shouldHideAnotherUsersConversations()
    {
        ConversationStore store(*m_db);
        Conversation mine = *store.create(m_alice, titled(u"private"_s));
        addMessage(mine.id, u"secret words"_s);

        QCOMPARE(store.get(m_bob, mine.id).error().code, ErrorCode::NotFound);
        Conversation stolen = mine;
        stolen.title = u"pwned"_s;
        QCOMPARE(store.update(m_bob, stolen).error().code, ErrorCode::NotFound);
        QCOMPARE(store.touch(m_bob, mine.id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.remove(m_bob, mine.id).error().code, ErrorCode::NotFound);
        QVERIFY(store.list(m_bob)->items.isEmpty());
        ConversationQuery search;
        search.search = u"secret"_s;
        QVERIFY(store.list(m_bob, search)->items.isEmpty());
        // The error says nothing more than for an id that does not exist at all.
        QCOMPARE(store.get(m_bob, mine.id).error().message,
                 store.get(m_bob, 987654).error().message);

        auto untouched = store.get(m_alice, mine.id);
        QVERIFY(untouched.ok());
        QCOMPARE(untouched->title, u"private"_s);
        QCOMPARE(untouched->messageCount, 1);
    }
};

QTEST_GUILESS_MAIN(ConversationStoreTest)
#include "tst_conversationstore.moc"
