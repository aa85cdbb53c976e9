#include "storage/conversationstore.h"
#include "storage/importwriter.h"
#include "storage/messagestore.h"
#include "storage/searchindexer.h"
#include "storagetestutil.h"

#include <QSet>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

class MessageSearchTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    ManualClock m_clock;
    qint64 m_alice = 0;
    qint64 m_bob = 0;
    qint64 m_conversation = 0;
    QHash<qint64, QString> m_contents; // Alice's messages by id

    qint64 add(const QString &content, qint64 userId = 0,
               MessageState state = MessageState::Complete)
    {
        if (userId == 0)
            userId = m_alice;
        qint64 conversationId = m_conversation;
        if (userId != m_alice) {
            Conversation conversation;
            conversation.title = u"bob's"_s;
            conversationId = ConversationStore(*m_db).create(userId, conversation)->id;
        }
        Message message;
        message.conversationId = conversationId;
        message.content = content;
        message.state = state;
        m_clock.advance(1000);
        auto appended = MessageStore(*m_db).append(userId, message);
        if (!appended)
            return 0;
        if (userId == m_alice)
            m_contents.insert(appended->id, content);
        return appended->id;
    }

    QSet<qint64> hitIds(const QString &query, qint64 userId = 0)
    {
        auto hits = MessageStore(*m_db).search(userId ? userId : m_alice, query, 200);
        if (!hits) {
            qWarning("search for %s failed: %s", qPrintable(query),
                     qPrintable(hits.error().toString()));
            return {-1};
        }
        QSet<qint64> ids;
        for (const SearchHit &hit : *hits)
            ids.insert(hit.messageId);
        return ids;
    }

    // What a literal, case-insensitive substring search must find.
    QSet<qint64> expectedIds(const QString &query) const
    {
        QSet<qint64> ids;
        for (auto it = m_contents.begin(); it != m_contents.end(); ++it) {
            if (it.value().contains(query.trimmed(), Qt::CaseInsensitive))
                ids.insert(it.key());
        }
        return ids;
    }

    // Newest first, as the search answers.
    QList<qint64> hitList(const QString &query, int limit)
    {
        auto hits = MessageStore(*m_db).search(m_alice, query, limit);
        if (!hits)
            return {-1};
        QList<qint64> ids;
        for (const SearchHit &hit : *hits)
            ids.append(hit.messageId);
        return ids;
    }

    QList<qint64> expectedList(const QString &query, int limit) const
    {
        QList<qint64> ids = expectedIds(query).values();
        std::sort(ids.begin(), ids.end(), std::greater<>());
        return ids.mid(0, limit);
    }

    static QStringList corpus()
    {
        return {u"Vue3 的主要新特性包括组合式 API 和更好的 TypeScript 支持"_s,
                u"React 的新特性：并发渲染"_s,
                u"数据库索引可以加快查询"_s,
                u"The new version of the compiler is faster."_s,
                u"Conversion between versions is automatic."_s,
                u"He said \"hello\" to me"_s,
                u"Use * as a wildcard"_s,
                u"this OR that"_s,
                u"cats and dogs, not or"_s,
                u"'; DROP TABLE messages; --"_s,
                u"I am 100% sure"_s,
                u"a snake_case name"_s,
                u"C:\\path\\to\\file"_s,
                u"NEAR(x y) and col:value"_s,
                u"-minus ^caret +plus"_s,
                u"emoji 😀👍 in text"_s,
                u"plain text, nothing special"_s,
                u"trigrams apart: abc xyz bcd"_s};
    }

    void addCorpus()
    {
        for (const QString &content : corpus()) {
            QVERIFY(add(content) > 0);
        }
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
        conversation.title = u"Frontend notes"_s;
        m_conversation = ConversationStore(*m_db).create(m_alice, conversation)->id;
        m_contents.clear();
        addCorpus();
    }

    void cleanup()
    {
        m_db.reset();
        m_dir.reset();
    }

    void shouldFindSubstrings_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("count");
        QTest::newRow("Chinese, 3 characters") << u"新特性"_s << 2;
        QTest::newRow("Chinese, 6 characters") << u"的主要新特性"_s << 1;
        QTest::newRow("Chinese, 2 characters") << u"索引"_s << 1;
        QTest::newRow("Chinese, 1 character") << u"库"_s << 1;
        QTest::newRow("mixed") << u"Vue3 的"_s << 1;
        QTest::newRow("inside an English word") << u"ersio"_s << 2;
        QTest::newRow("any case") << u"VERSION"_s << 2;
        QTest::newRow("English, 2 characters") << u"ue"_s << 2;
        QTest::newRow("English, 1 character") << u"Z"_s << 1;
        QTest::newRow("phrase across words") << u"new version of"_s << 1;
        QTest::newRow("surrounding spaces ignored") << u"  compiler  "_s << 1;
        QTest::newRow("emoji") << u"😀👍"_s << 1;
        QTest::newRow("absent") << u"量子计算"_s << 0;
        QTest::newRow("words out of order") << u"version new"_s << 0;
        QTest::newRow("its trigrams apart") << u"abcd"_s << 0;
        QTest::newRow("long, Chinese and English")
            << u"Vue3 的主要新特性包括组合式 API 和更好的 TypeScript"_s << 1;
        QTest::newRow("long, one letter off")
            << u"Vue3 的主要新特性包括组合式 API 和更好的 TypeScripts"_s << 0;
    }

    void shouldFindSubstrings()
    {
        QFETCH(QString, query);
        QFETCH(int, count);
        const QSet<qint64> found = hitIds(query);
        QCOMPARE(found, expectedIds(query));
        QCOMPARE(found.size(), count);
    }

    void shouldMatchSyntaxCharactersLiterally_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<bool>("present");
        QTest::newRow("double quote") << u"\""_s << true;
        QTest::newRow("quoted word") << u"\"hello\""_s << true;
        QTest::newRow("unbalanced quote") << u"\"hello"_s << true;
        QTest::newRow("two quotes") << u"\"\""_s << false;
        QTest::newRow("star") << u"*"_s << true;
        QTest::newRow("star word") << u"Use *"_s << true;
        QTest::newRow("prefix star") << u"wild*"_s << false;
        QTest::newRow("OR") << u"OR"_s << true;
        QTest::newRow("a OR b") << u"this OR that"_s << true;
        QTest::newRow("x OR y absent") << u"cats OR dogs"_s << false;
        QTest::newRow("AND") << u"AND"_s << true;
        QTest::newRow("NOT") << u"NOT"_s << true;
        QTest::newRow("sql injection") << u"'; DROP TABLE messages; --"_s << true;
        QTest::newRow("sql injection, short") << u"';"_s << true;
        QTest::newRow("single quote") << u"'"_s << true;
        QTest::newRow("percent") << u"%"_s << true;
        QTest::newRow("percent, long") << u"100%"_s << true;
        QTest::newRow("underscore") << u"_"_s << true;
        QTest::newRow("underscore, long") << u"snake_case"_s << true;
        QTest::newRow("underscore is no wildcard") << u"e_c"_s << true;
        QTest::newRow("underscore wildcard absent") << u"snake_ca_e"_s << false;
        QTest::newRow("percent wildcard absent") << u"s%e"_s << false;
        QTest::newRow("backslash") << u"\\"_s << true;
        QTest::newRow("backslashes") << u"C:\\path"_s << true;
        QTest::newRow("NEAR group") << u"NEAR(x"_s << true;
        QTest::newRow("column filter") << u"col:"_s << true;
        QTest::newRow("column filter, long") << u"col:value"_s << true;
        QTest::newRow("minus") << u"-minus"_s << true;
        QTest::newRow("caret") << u"^caret"_s << true;
        QTest::newRow("plus") << u"+plus"_s << true;
        QTest::newRow("parentheses") << u"(x y)"_s << true;
        QTest::newRow("braces") << u"{col}"_s << false;
    }

    void shouldMatchSyntaxCharactersLiterally()
    {
        QFETCH(QString, query);
        QFETCH(bool, present);
        const QSet<qint64> expected = expectedIds(query);
        QCOMPARE(!expected.isEmpty(), present); // the corpus is what the row says
        QCOMPARE(hitIds(query), expected);

        // The same text as a conversation search never errors either.
        ConversationQuery conversations;
        conversations.search = query;
        auto listed = ConversationStore(*m_db).list(m_alice, conversations);
        QVERIFY(listed.ok());
        QCOMPARE(listed->items.size(), present ? 1 : 0);
        // And nothing was dropped.
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM messages"_s), m_contents.size());
    }

    void shouldFindTheSameWhileImportedMessagesWaitForTheIndex()
    {
        // The corpus again, imported: in the search backlog, between indexed messages.
        ImportWriter writer(*m_db);
        QVERIFY(writer.begin().ok());
        QList<Message> messages;
        for (const QString &content : corpus()) {
            Message message;
            message.content = content;
            messages.append(message);
        }
        auto imported = writer.add(m_alice, Conversation{}, messages);
        QVERIFY(imported.ok());
        QVERIFY(writer.commit().ok());
        const auto stored = MessageStore(*m_db).all(m_alice, imported->id);
        QVERIFY(stored.ok());
        for (const Message &message : *stored)
            m_contents.insert(message.id, message.content);
        QVERIFY(add(u"Vue3 新特性, indexed after the import"_s) > 0);
        QVERIFY(add(u"a \"hello\" 100% after"_s) > 0);
        QVERIFY(SearchIndexer(*m_db).backlogSize().value() > 0);

        const QStringList queries{
            u"新特性"_s,   u"的主要新特性"_s, u"索引"_s,  u"库"_s,         u"Vue3 的"_s,
            u"ersio"_s,    u"VERSION"_s,      u"ue"_s,    u"Z"_s,          u"new version of"_s,
            u"😀👍"_s,       u"量子计算"_s,     u"abcd"_s,  u"\""_s,         u"\"hello\""_s,
            u"*"_s,        u"OR"_s,           u"'"_s,     u"%"_s,          u"100%"_s,
            u"_"_s,        u"snake_case"_s,   u"e_c"_s,   u"s%e"_s,        u"\\"_s,
            u"C:\\path"_s, u"col:"_s,         u"(x y)"_s, u"version new"_s};
        QHash<QString, QList<qint64>> waiting;
        for (const QString &query : queries) {
            const QList<qint64> found = hitList(query, 200);
            QCOMPARE(found, expectedList(query, 200));
            QCOMPARE(hitList(query, 2), expectedList(query, 2));
            waiting.insert(query, found);
        }
        QVERIFY(m_db->integrityCheck().ok());

        QVERIFY(SearchIndexer(*m_db).indexAll().ok());
        QCOMPARE(SearchIndexer(*m_db).backlogSize().value(), 0);
        for (const QString &query : queries) {
            QCOMPARE(hitList(query, 200), waiting.value(query));
            QCOMPARE(hitList(query, 2), expectedList(query, 2));
        }
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldIgnoreAnEmptyQuery()
    {
        QVERIFY(MessageStore(*m_db).search(m_alice, QString())->isEmpty());
        QVERIFY(MessageStore(*m_db).search(m_alice, u"   "_s)->isEmpty());
    }

    void shouldForgetDeletedAndEditedText()
    {
        MessageStore store(*m_db);
        const qint64 edited = add(u"the platypus is a mammal"_s);
        const qint64 removed = add(u"another platypus fact"_s);
        QCOMPARE(hitIds(u"platypus"_s), (QSet<qint64>{edited, removed}));

        QVERIFY(hitIds(u"yp"_s).contains(edited));
        QVERIFY(store.updateContent(m_alice, edited, u"鸭嘴兽是哺乳动物"_s).ok());
        QVERIFY(store.remove(m_alice, removed).ok());
        m_contents.insert(edited, u"鸭嘴兽是哺乳动物"_s);
        m_contents.remove(removed);
        QVERIFY(hitIds(u"platypus"_s).isEmpty());
        QCOMPARE(hitIds(u"yp"_s), expectedIds(u"yp"_s)); // TypeScript still has it
        QVERIFY(!hitIds(u"yp"_s).contains(edited));
        QCOMPARE(hitIds(u"鸭嘴兽"_s), QSet<qint64>{edited});
        QVERIFY(m_db->integrityCheck().ok());

        QVERIFY(store.removeFrom(m_alice, m_conversation, edited).ok());
        QVERIFY(hitIds(u"鸭嘴兽"_s).isEmpty());
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldFindAStreamingAnswerOnceItIsFinished()
    {
        MessageStore store(*m_db);
        const qint64 id = add(QString(), m_alice, MessageState::Streaming);
        QVERIFY(store.updateStreaming(m_alice, id, u"a quokka is smiling"_s, {}).ok());
        QVERIFY(hitIds(u"quokka"_s).isEmpty());
        QVERIFY(hitIds(u"qu"_s).isEmpty());
        QVERIFY(m_db->integrityCheck().ok());

        QVERIFY(store
                    .finish(m_alice, id, MessageState::Incomplete, u"cancelled"_s, {}, {},
                            u"a quokka is smil"_s, {})
                    .ok());
        QCOMPARE(hitIds(u"quokka"_s), QSet<qint64>{id});
        QCOMPARE(hitIds(u"qu"_s), QSet<qint64>{id});
        QVERIFY(m_db->integrityCheck().ok());
    }

    void shouldSearchOnlyTheUsersOwnMessages()
    {
        const qint64 bobs = add(u"bob's secret 新特性 version"_s, m_bob);
        QVERIFY(bobs > 0);
        QVERIFY(!hitIds(u"新特性"_s).contains(bobs));
        QVERIFY(!hitIds(u"version"_s).contains(bobs));
        QVERIFY(!hitIds(u"ve"_s).contains(bobs));
        QCOMPARE(hitIds(u"secret"_s, m_bob), QSet<qint64>{bobs});
        QCOMPARE(hitIds(u"Vue3"_s, m_bob), QSet<qint64>{});
    }

    void shouldGiveTitleSnippetAndTime()
    {
        const QString longText = QString(u'a').repeated(300) + u" the needle in\nthe haystack "_s
            + QString(u'b').repeated(300);
        const qint64 id = add(longText);
        auto hits = MessageStore(*m_db).search(m_alice, u"NEEDLE"_s);
        QVERIFY(hits.ok());
        QCOMPARE(hits->size(), 1);
        const SearchHit hit = hits->constFirst();
        QCOMPARE(hit.messageId, id);
        QCOMPARE(hit.conversationId, m_conversation);
        QCOMPARE(hit.conversationTitle, u"Frontend notes"_s);
        QCOMPARE(hit.createdAt, m_clock.now());
        QVERIFY2(hit.snippet.contains(u"the needle in the haystack"_s), qPrintable(hit.snippet));
        QVERIFY(hit.snippet.startsWith(u"…"_s));
        QVERIFY(hit.snippet.endsWith(u"…"_s));
        QVERIFY(hit.snippet.size() < 250);
        QCOMPARE(hit.toJson().value("message_id"_L1).toString(), QString::number(id));

        auto chinese = MessageStore(*m_db).search(m_alice, u"新特性"_s);
        for (const SearchHit &h : *chinese)
            QVERIFY2(h.snippet.contains(u"新特性"_s), qPrintable(h.snippet));
    }

    void shouldReturnTheNewestFirstUpToTheLimit_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("indexed") << u"wombat"_s;
        QTest::newRow("scanned") << u"wo"_s;
    }

    void shouldReturnTheNewestFirstUpToTheLimit()
    {
        QFETCH(QString, query);
        QList<qint64> ids;
        for (int i = 0; i < 30; ++i)
            ids.prepend(add(u"wombat number %1"_s.arg(i)));
        auto hits = MessageStore(*m_db).search(m_alice, query, 10);
        QVERIFY(hits.ok());
        QList<qint64> found;
        for (const SearchHit &hit : *hits)
            found.append(hit.messageId);
        QCOMPARE(found, ids.mid(0, 10));
    }
};

QTEST_GUILESS_MAIN(MessageSearchTest)
#include "tst_messagesearch.moc"
