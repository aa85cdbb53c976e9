#include "io/chatgptimporter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

QString fixture(const QString &name)
{
    return QStringLiteral(CONFAB_FIXTURES_DIR) + u"/import/"_s + name;
}

QDateTime secs(double seconds)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(seconds * 1000)), Qt::UTC);
}

// Builds a ChatGPT-shaped message tree in a few lines.
class Tree
{
public:
    Tree &root(const QString &id)
    {
        m_mapping.insert(id,
                         QJsonObject{{u"id"_s, id},
                                     {u"message"_s, QJsonValue::Null},
                                     {u"parent"_s, QJsonValue::Null},
                                     {u"children"_s, QJsonArray()}});
        return *this;
    }

    Tree &node(const QString &id, const QString &parent, const QString &role,
               const QJsonValue &text, double time, const QJsonObject &extra = {})
    {
        QJsonObject content{{u"content_type"_s, u"text"_s},
                            {u"parts"_s, text.isArray() ? text : QJsonArray{text}}};
        QJsonObject message{{u"id"_s, id},
                            {u"author"_s, QJsonObject{{u"role"_s, role}}},
                            {u"create_time"_s, time},
                            {u"content"_s, content},
                            {u"status"_s, u"finished_successfully"_s},
                            {u"metadata"_s, QJsonObject()},
                            {u"recipient"_s, u"all"_s}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            message.insert(it.key(), it.value());
        m_mapping.insert(id,
                         QJsonObject{{u"id"_s, id},
                                     {u"message"_s, message},
                                     {u"parent"_s, parent},
                                     {u"children"_s, QJsonArray()}});
        if (m_mapping.contains(parent)) {
            QJsonObject parentNode = m_mapping.value(parent).toObject();
            QJsonArray children = parentNode.value("children"_L1).toArray();
            children.append(id);
            parentNode.insert(u"children"_s, children);
            m_mapping.insert(parent, parentNode);
        }
        return *this;
    }

    Tree &set(const QString &id, const QString &key, const QJsonValue &value)
    {
        QJsonObject node = m_mapping.value(id).toObject();
        node.insert(key, value);
        m_mapping.insert(id, node);
        return *this;
    }

    QJsonObject conversation(const QJsonValue &currentNode, const QString &title = u"T"_s) const
    {
        QJsonObject json{{u"title"_s, title},
                         {u"create_time"_s, 1700000000.0},
                         {u"update_time"_s, 1700000500.0},
                         {u"mapping"_s, m_mapping},
                         {u"id"_s, u"conv-1"_s}};
        if (!currentNode.isUndefined())
            json.insert(u"current_node"_s, currentNode);
        return json;
    }

private:
    QJsonObject m_mapping;
};

QByteArray exportOf(const QJsonArray &conversations)
{
    return QJsonDocument(conversations).toJson(QJsonDocument::Compact);
}

QStringList contents(const ImportedConversation &conversation)
{
    QStringList out;
    for (const Message &message : conversation.messages)
        out.append(roleName(message.role) + u':' + message.content);
    return out;
}

ImportedConversation importOne(const QJsonObject &conversation, ChatGptImport *details = nullptr)
{
    auto result = ChatGptImporter::parse(exportOf({conversation}));
    if (!result || result->conversations.size() != 1) {
        if (details && result)
            *details = *result;
        return {};
    }
    if (details)
        *details = *result;
    return result->conversations.first();
}

} // namespace

class ChatGptImporterTest final : public QObject
{
    Q_OBJECT

private slots:
    void shouldImportTheFixtureExactly()
    {
        QFile expectedFile(fixture(u"chatgpt_conversations.expected.json"_s));
        QVERIFY(expectedFile.open(QIODevice::ReadOnly));
        const QJsonArray expected = QJsonDocument::fromJson(expectedFile.readAll())
                                        .object()
                                        .value("conversations"_L1)
                                        .toArray();
        QVERIFY(!expected.isEmpty());

        const auto result = ChatGptImporter::parseFile(fixture(u"chatgpt_conversations.json"_s));
        QVERIFY2(result.ok(), qUtf8Printable(result.error().toString()));
        QCOMPARE(result->skipped, 0);
        QCOMPARE(result->conversations.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const QJsonObject want = expected.at(i).toObject();
            const ImportedConversation &got = result->conversations.at(i);
            QCOMPARE(got.title, want.value("title"_L1).toString());
            QCOMPARE(got.createdAt, secs(want.value("created"_L1).toDouble()));
            const QJsonArray wantMessages = want.value("messages"_L1).toArray();
            QCOMPARE(got.messages.size(), wantMessages.size());
            for (qsizetype m = 0; m < wantMessages.size(); ++m) {
                const QJsonArray triple = wantMessages.at(m).toArray();
                const Message &message = got.messages.at(m);
                QCOMPARE(roleName(message.role), triple.at(0).toString());
                QCOMPARE(message.content, triple.at(1).toString());
                QCOMPARE(message.createdAt, secs(triple.at(2).toDouble()));
                QCOMPARE(message.state, MessageState::Complete);
                QCOMPARE(message.id, 0);
            }
        }
        QCOMPARE(result->conversations.at(0).sourceId, u"c-0001"_s);
        QCOMPARE(result->conversations.at(0).updatedAt, secs(1700000100.25));
    }

    void shouldReportProgressAndAllowCancel()
    {
        QFile file(fixture(u"chatgpt_conversations.json"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray data = file.readAll();

        QList<std::pair<qsizetype, qsizetype>> calls;
        const auto result = ChatGptImporter::parse(data, [&](qsizetype done, qsizetype total) {
            calls.append({done, total});
            return true;
        });
        QVERIFY(result.ok());
        QCOMPARE(calls.first(), (std::pair<qsizetype, qsizetype>(0, 2)));
        QCOMPARE(calls.last(), (std::pair<qsizetype, qsizetype>(2, 2)));

        int seen = 0;
        const auto cancelled
            = ChatGptImporter::parse(data, [&](qsizetype, qsizetype) { return ++seen < 2; });
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
    }

    void shouldFollowTheCurrentBranch()
    {
        Tree tree;
        tree.root(u"r"_s)
            .node(u"q1"_s, u"r"_s, u"user"_s, u"first try"_s, 1700000001)
            .node(u"a1"_s, u"q1"_s, u"assistant"_s, u"answer one"_s, 1700000002)
            .node(u"q2"_s, u"r"_s, u"user"_s, u"edited question"_s, 1700000010)
            .node(u"a2"_s, u"q2"_s, u"assistant"_s, u"regenerated A"_s, 1700000011)
            .node(u"a3"_s, u"q2"_s, u"assistant"_s, u"regenerated B"_s, 1700000020);
        QCOMPARE(contents(importOne(tree.conversation(u"a2"_s))),
                 (QStringList{u"user:edited question"_s, u"assistant:regenerated A"_s}));
        QCOMPARE(contents(importOne(tree.conversation(u"a1"_s))),
                 (QStringList{u"user:first try"_s, u"assistant:answer one"_s}));
    }

    void shouldFallBackToTheNewestLeaf_data()
    {
        QTest::addColumn<QJsonValue>("currentNode");
        QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("null") << QJsonValue(QJsonValue::Null);
        QTest::newRow("unknown id") << QJsonValue(u"gone"_s);
        QTest::newRow("number") << QJsonValue(7);
    }

    void shouldFallBackToTheNewestLeaf()
    {
        QFETCH(QJsonValue, currentNode);
        Tree tree;
        tree.root(u"r"_s)
            .node(u"q1"_s, u"r"_s, u"user"_s, u"old"_s, 1700000001)
            .node(u"a1"_s, u"q1"_s, u"assistant"_s, u"old answer"_s, 1700000002)
            .node(u"q2"_s, u"r"_s, u"user"_s, u"new"_s, 1700000010)
            .node(u"a2"_s, u"q2"_s, u"assistant"_s, u"new answer"_s, 1700000011);
        ChatGptImport details;
        QCOMPARE(contents(importOne(tree.conversation(currentNode), &details)),
                 (QStringList{u"user:new"_s, u"assistant:new answer"_s}));
        QCOMPARE(details.warnings.size(), 1);
        QVERIFY(details.warnings.first().contains("current node"_L1));
    }

    void shouldCutParentCycles()
    {
        Tree tree;
        tree.node(u"a"_s, u"c"_s, u"user"_s, u"A"_s, 1700000001)
            .node(u"b"_s, u"a"_s, u"assistant"_s, u"B"_s, 1700000002)
            .node(u"c"_s, u"b"_s, u"user"_s, u"C"_s, 1700000003);
        ChatGptImport details;
        QElapsedTimer timer;
        timer.start();
        const ImportedConversation conversation = importOne(tree.conversation(u"c"_s), &details);
        QVERIFY(timer.elapsed() < 1000);
        QCOMPARE(contents(conversation), (QStringList{u"user:A"_s, u"assistant:B"_s, u"user:C"_s}));
        QVERIFY(details.warnings.join(u' ').contains("cycle"_L1));

        // A node that is its own parent, without a current node: no leaf exists at all.
        Tree self;
        self.node(u"x"_s, u"x"_s, u"user"_s, u"loop"_s, 1700000001);
        QCOMPARE(contents(importOne(self.conversation(QJsonValue::Undefined))),
                 QStringList{u"user:loop"_s});
    }

    void shouldStopAtMissingParents()
    {
        Tree tree;
        tree.node(u"q"_s, u"vanished"_s, u"user"_s, u"orphan question"_s, 1700000001)
            .node(u"a"_s, u"q"_s, u"assistant"_s, u"answer"_s, 1700000002);
        ChatGptImport details;
        QCOMPARE(contents(importOne(tree.conversation(u"a"_s), &details)),
                 (QStringList{u"user:orphan question"_s, u"assistant:answer"_s}));
        QVERIFY(details.warnings.join(u' ').contains("missing"_L1));
    }

    void shouldKeepOnlyVisibleText()
    {
        Tree tree;
        const QJsonObject hidden{
            {u"metadata"_s, QJsonObject{{u"is_visually_hidden_from_conversation"_s, true}}}};
        const QJsonObject imagePart{{u"content_type"_s, u"image_asset_pointer"_s},
                                    {u"asset_pointer"_s, u"file-service://x"_s}};
        const QJsonObject multimodal{
            {u"content"_s,
             QJsonObject{{u"content_type"_s, u"multimodal_text"_s},
                         {u"parts"_s, QJsonArray{imagePart, u"What is in this picture?"_s}}}}};
        const QJsonObject code{{u"recipient"_s, u"python"_s},
                               {u"content"_s,
                                QJsonObject{{u"content_type"_s, u"code"_s},
                                            {u"language"_s, u"unknown"_s},
                                            {u"text"_s, u"print(1 + 1)"_s}}}};
        const QJsonObject toolCall{{u"recipient"_s, u"browser"_s}};
        const QJsonObject thoughts{
            {u"content"_s,
             QJsonObject{{u"content_type"_s, u"thoughts"_s},
                         {u"thoughts"_s,
                          QJsonArray{QJsonObject{{u"summary"_s, u"Plan"_s},
                                                 {u"content"_s, u"Count the cats."_s}}}}}}};
        const QJsonObject partial{{u"status"_s, u"finished_partial_completion"_s}};
        tree.root(u"r"_s)
            .node(u"sys"_s, u"r"_s, u"system"_s, QString(), 1700000000, hidden)
            .node(u"ctx"_s, u"sys"_s, u"user"_s, u"custom instructions"_s, 1700000000, hidden)
            .node(u"u1"_s, u"ctx"_s, u"user"_s, QJsonValue(), 1700000001, multimodal)
            .node(u"t1"_s, u"u1"_s, u"assistant"_s, QString(), 1700000002, thoughts)
            .node(u"c1"_s, u"t1"_s, u"assistant"_s, QString(), 1700000003, code)
            .node(u"o1"_s, u"c1"_s, u"tool"_s, u"2"_s, 1700000004)
            .node(u"b1"_s, u"o1"_s, u"assistant"_s, u"search(\"cats\")"_s, 1700000005, toolCall)
            .node(u"e1"_s, u"b1"_s, u"assistant"_s, u"   "_s, 1700000006)
            .node(u"a1"_s, u"e1"_s, u"assistant"_s, QJsonArray{u"Two "_s, 3, u"cats."_s},
                  1700000007)
            .node(u"a2"_s, u"a1"_s, u"assistant"_s, u"And a dog"_s, 1700000008, partial)
            .node(u"s2"_s, u"a2"_s, u"system"_s, u"Visible note"_s, 1700000009);
        const ImportedConversation conversation = importOne(tree.conversation(u"s2"_s));
        QCOMPARE(contents(conversation),
                 (QStringList{u"user:What is in this picture?"_s,
                              u"assistant:```\nprint(1 + 1)\n```"_s, u"assistant:Two \n\ncats."_s,
                              u"assistant:And a dog"_s, u"system:Visible note"_s}));
        QCOMPARE(conversation.messages.at(1).reasoning, u"**Plan**\n\nCount the cats."_s);
        QCOMPARE(conversation.messages.at(3).state, MessageState::Incomplete);
    }

    void shouldRepairTimesAndTitles()
    {
        Tree tree;
        tree.root(u"r"_s)
            .node(u"q"_s, u"r"_s, u"user"_s, u"How do I center a div?\nI tried everything."_s,
                  1700000001.123)
            .node(u"a"_s, u"q"_s, u"assistant"_s, u"Use flexbox."_s, 1700000002)
            .set(u"a"_s, u"message"_s,
                 QJsonObject{{u"author"_s, QJsonObject{{u"role"_s, u"assistant"_s}}},
                             {u"create_time"_s, u"yesterday"_s},
                             {u"content"_s,
                              QJsonObject{{u"content_type"_s, u"text"_s},
                                          {u"parts"_s, QJsonArray{u"Use flexbox."_s}}}}});
        QJsonObject json = tree.conversation(u"a"_s, QString());
        json.insert(u"create_time"_s, QJsonValue::Null);
        json.remove(u"update_time"_s);
        const ImportedConversation conversation = importOne(json);
        QCOMPARE(conversation.title, u"How do I center a div?"_s);
        QCOMPARE(conversation.messages.at(0).createdAt.toMSecsSinceEpoch(), 1700000001123);
        // An unreadable time takes the previous message's.
        QCOMPARE(conversation.messages.at(1).createdAt, conversation.messages.at(0).createdAt);
        QCOMPARE(conversation.createdAt, conversation.messages.at(0).createdAt);
        QVERIFY(conversation.updatedAt.isValid());
    }

    void shouldSkipBrokenConversationsAndKeepTheRest()
    {
        Tree good;
        good.root(u"r"_s).node(u"q"_s, u"r"_s, u"user"_s, u"hello"_s, 1700000001);
        const QJsonArray items{good.conversation(u"q"_s, u"good"_s),
                               42,
                               QJsonObject{{u"title"_s, u"no mapping"_s}},
                               QJsonObject{{u"title"_s, u"bad mapping"_s}, {u"mapping"_s, u"x"_s}},
                               QJsonObject{{u"title"_s, u"empty"_s}, {u"mapping"_s, QJsonObject()}},
                               QJsonObject{{u"mapping"_s, QJsonObject{{u"n"_s, 5}}}},
                               good.conversation(u"q"_s, u"good too"_s)};
        const auto result = ChatGptImporter::parse(exportOf(items));
        QVERIFY(result.ok());
        QCOMPARE(result->conversations.size(), 2);
        QCOMPARE(result->conversations.at(1).title, u"good too"_s);
        QCOMPARE(result->skipped, 5);
        QCOMPARE(result->warnings.size(), 5);
        QVERIFY(result->warnings.at(0).startsWith("conversation 2 "_L1));
    }

    void shouldRejectWhatIsNotAnExport_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("malformed") << QByteArray("[{\"title\": \"x\",");
        QTest::newRow("object top level") << QByteArray("{\"mapping\": {}}");
        QTest::newRow("string top level") << QByteArray("\"conversations\"");
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe[", 4);
        QTest::newRow("deep nesting") << QByteArray(200'000, '[');
        QTest::newRow("deep nesting closed") << QByteArray(100'000, '[') + QByteArray(100'000, ']');
    }

    void shouldRejectWhatIsNotAnExport()
    {
        QFETCH(QByteArray, data);
        const auto result = ChatGptImporter::parse(data);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
        QVERIFY(result.error().message.contains("ChatGPT export"_L1));
    }

    void shouldAcceptAnEmptyExport()
    {
        const auto result = ChatGptImporter::parse("[]");
        QVERIFY(result.ok());
        QVERIFY(result->conversations.isEmpty());
        QCOMPARE(result->skipped, 0);
    }

    void shouldReportUnreadableFiles()
    {
        const auto result = ChatGptImporter::parseFile(u"/nonexistent/conversations.json"_s);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::NotFound);
    }

    void shouldHandleLongConversationsInLinearTime()
    {
        // Written as text: building it through QJsonObject would itself be quadratic.
        const int count = 20'000;
        QByteArray data
            = R"([{"title":"long","current_node":"n20000","mapping":{"n0":{"id":"n0","parent":null,"children":["n1"]})";
        for (int i = 1; i <= count; ++i) {
            data
                += QStringLiteral(
                       R"(,"n%1":{"id":"n%1","parent":"n%2","children":["n%3"],"message":{"author":{"role":"%4"},"create_time":%5,"content":{"content_type":"text","parts":["message %1"]}}})")
                       .arg(i)
                       .arg(i - 1)
                       .arg(i + 1)
                       .arg(i % 2 ? u"user"_s : u"assistant"_s)
                       .arg(1700000000 + i)
                       .toUtf8();
        }
        data += "}}]";
        QElapsedTimer timer;
        timer.start();
        const auto result = ChatGptImporter::parse(data);
        qInfo("%d messages (%lld bytes) imported in %lld ms", count, qint64(data.size()),
              timer.elapsed());
        QVERIFY(result.ok());
        QCOMPARE(result->conversations.first().messages.size(), count);
        QCOMPARE(result->conversations.first().messages.last().content, u"message %1"_s.arg(count));
        QVERIFY(timer.elapsed() < 5000);
    }
};

QTEST_GUILESS_MAIN(ChatGptImporterTest)
#include "tst_chatgptimporter.moc"
