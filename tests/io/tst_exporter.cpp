#include "io/conversationexporter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

Conversation sampleConversation()
{
    Conversation conversation;
    conversation.id = 12;
    conversation.userId = 3;
    conversation.title = u"Vue3 新特性"_s;
    conversation.presetId = u"tech-expert"_s;
    conversation.params.model = u"gpt-4o-mini"_s;
    conversation.params.temperature = 0.2;
    conversation.params.stop = {u"###"_s};
    conversation.contextMessages = 10;
    conversation.createdAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 6), Qt::UTC);
    conversation.updatedAt = QDateTime(QDate(2026, 1, 2), QTime(4, 0), Qt::UTC);
    conversation.messageCount = 4;
    return conversation;
}

QList<Message> sampleMessages()
{
    QList<Message> messages;
    Message user;
    user.id = 100;
    user.conversationId = 12;
    user.role = Role::User;
    user.content = u"请介绍一下Vue3的新特性"_s;
    user.createdAt = QDateTime(QDate(2026, 1, 2), QTime(3, 5), Qt::UTC);
    messages.append(user);

    Message answer = user;
    answer.id = 101;
    answer.role = Role::Assistant;
    answer.content
        = u"Vue3 的主要新特性包括 **Composition API**。\n\n```js\nconst a = ref(0)\n```"_s;
    answer.reasoning = u"The user asks in Chinese.\n\nAnswer in Chinese."_s;
    answer.finishReason = u"stop"_s;
    answer.usage = Usage{12, 34, 46};
    answer.createdAt = answer.createdAt.addSecs(3);
    messages.append(answer);

    Message again = user;
    again.id = 102;
    again.content = u"Give me more."_s;
    again.createdAt = again.createdAt.addSecs(60);
    messages.append(again);

    Message cut = answer;
    cut.id = 103;
    cut.content = u"Sure, here is"_s;
    cut.reasoning.clear();
    cut.usage.reset();
    cut.state = MessageState::Incomplete;
    cut.finishReason = u"cancelled"_s;
    cut.errorMessage = u"stopped by the user"_s;
    cut.createdAt = again.createdAt.addSecs(2);
    messages.append(cut);
    return messages;
}

QByteArray withRoot(const std::function<void(QJsonObject &)> &change)
{
    QJsonObject root = QJsonDocument::fromJson(
                           ConversationExporter::toJson(sampleConversation(), sampleMessages()))
                           .object();
    change(root);
    return QJsonDocument(root).toJson();
}

} // namespace

class ExporterTest final : public QObject
{
    Q_OBJECT

private slots:
    void shouldRoundTripThroughJson()
    {
        const Conversation conversation = sampleConversation();
        const QList<Message> messages = sampleMessages();
        const QByteArray json = ConversationExporter::toJson(conversation, messages);

        const QJsonObject root = QJsonDocument::fromJson(json).object();
        QCOMPARE(root.value("format"_L1).toString(), u"confab.conversation"_s);
        QCOMPARE(root.value("version"_L1).toInt(), 1);
        QCOMPARE(root.value("conversation"_L1).toObject().value("title"_L1).toString(),
                 conversation.title);
        QCOMPARE(root.value("messages"_L1).toArray().size(), messages.size());

        const auto parsed = ConversationExporter::fromJson(json);
        QVERIFY2(parsed.ok(), qUtf8Printable(parsed.error().toString()));
        // The owner is not part of the file: an import belongs to whoever imports it.
        Conversation expected = conversation;
        expected.userId = 0;
        QCOMPARE(parsed->first, expected);
        QCOMPARE(parsed->second, messages);
    }

    void shouldRoundTripAnEmptyConversation()
    {
        Conversation conversation;
        conversation.id = 1;
        const auto parsed
            = ConversationExporter::fromJson(ConversationExporter::toJson(conversation, {}));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->first, conversation);
        QVERIFY(parsed->second.isEmpty());
    }

    void shouldWriteReadableMarkdown()
    {
        const QString markdown
            = ConversationExporter::toMarkdown(sampleConversation(), sampleMessages());
        const QStringList lines = markdown.split(u'\n');
        QCOMPARE(lines.first(), u"# Vue3 新特性"_s);
        QVERIFY(lines.at(2).startsWith(u'*'));
        QVERIFY(lines.at(2).contains("Model: gpt-4o-mini"_L1));
        QVERIFY(lines.at(2).contains("Created: 2026-01-02 03:04 UTC"_L1));
        QVERIFY(lines.at(2).contains("4 messages"_L1));
        QVERIFY(lines.at(2).contains(u"UTC \u00b7 Updated"_s));

        QStringList headings;
        for (const QString &line : lines) {
            if (line.startsWith("### "_L1))
                headings.append(line.section(u' ', 1, 1));
        }
        QCOMPARE(headings, (QStringList{u"User"_s, u"Assistant"_s, u"User"_s, u"Assistant"_s}));
        QVERIFY(markdown.contains(u"### User \u00b7 2026-01-02 03:05 UTC"_s));

        // Reasoning is quoted before the answer, line by line.
        const qsizetype reasoning = markdown.indexOf("> **Reasoning**"_L1);
        QVERIFY(reasoning > 0);
        QVERIFY(markdown.contains("> The user asks in Chinese.\n>\n> Answer in Chinese."_L1));
        QVERIFY(reasoning < markdown.indexOf(u"Vue3 的主要新特性"_s));
        QVERIFY(markdown.contains("```js\nconst a = ref(0)\n```"_L1));
        QVERIFY(
            markdown.contains("Sure, here is\n\n*(Incomplete answer: stopped by the user)*"_L1));
        QCOMPARE(markdown.count("Incomplete answer"_L1), 1);
    }

    void shouldTitleUntitledConversations()
    {
        Conversation conversation;
        conversation.title = u"  \n "_s;
        QVERIFY(ConversationExporter::toMarkdown(conversation, {})
                    .startsWith("# Untitled conversation\n"_L1));
        QVERIFY(ConversationExporter::toMarkdown(conversation, {}).contains("0 messages"_L1));
    }

    void shouldSuggestSafeFileNames_data()
    {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("fileName");
        QTest::newRow("plain") << u"Trip plan"_s << u"Trip plan.md"_s;
        QTest::newRow("Chinese") << u"Vue3 新特性"_s << u"Vue3 新特性.md"_s;
        QTest::newRow("separators") << u"a/b\\c: d?"_s << u"a_b_c_ d_.md"_s;
        QTest::newRow("hidden file") << u"..bashrc"_s << u"bashrc.md"_s;
        QTest::newRow("only dots") << u"..."_s << u"conversation.md"_s;
        QTest::newRow("empty") << QString() << u"Untitled conversation.md"_s;
    }

    void shouldSuggestSafeFileNames()
    {
        QFETCH(QString, title);
        QFETCH(QString, fileName);
        Conversation conversation;
        conversation.title = title;
        QCOMPARE(ConversationExporter::suggestedFileName(conversation, u"md"), fileName);
    }

    void shouldRejectForeignOrBrokenJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("malformed") << QByteArray("{\"format\":") << u"not valid JSON"_s;
        QTest::newRow("array") << QByteArray("[]") << u"JSON object"_s;
        QTest::newRow("presets file")
            << QByteArray(R"({"format":"confab.presets","version":1,"presets":[]})")
            << u"not a Confab conversation"_s;
        QTest::newRow("ChatGPT export") << QByteArray(R"([{"mapping":{}}])") << u"JSON object"_s;
        QTest::newRow("newer version")
            << withRoot([](QJsonObject &root) { root.insert(u"version"_s, 2); }) << u"newer"_s;
        QTest::newRow("no version")
            << withRoot([](QJsonObject &root) { root.remove(u"version"_s); }) << u"version"_s;
        QTest::newRow("no conversation")
            << withRoot([](QJsonObject &root) { root.remove(u"conversation"_s); })
            << u"\"conversation\""_s;
        QTest::newRow("conversation without id") << withRoot([](QJsonObject &root) {
            QJsonObject conversation = root.value("conversation"_L1).toObject();
            conversation.remove(u"id"_s);
            root.insert(u"conversation"_s, conversation);
        }) << u"conversation: "_s;
        QTest::newRow("bad params") << withRoot([](QJsonObject &root) {
            QJsonObject conversation = root.value("conversation"_L1).toObject();
            conversation.insert(u"params"_s, QJsonObject{{u"temperature"_s, 9}});
            root.insert(u"conversation"_s, conversation);
        }) << u"temperature"_s;
        QTest::newRow("messages missing")
            << withRoot([](QJsonObject &root) { root.remove(u"messages"_s); }) << u"messages"_s;
        QTest::newRow("message not an object") << withRoot([](QJsonObject &root) {
            QJsonArray messages = root.value("messages"_L1).toArray();
            messages.append(5);
            root.insert(u"messages"_s, messages);
        }) << u"message 5"_s;
        QTest::newRow("message with bad role") << withRoot([](QJsonObject &root) {
            QJsonArray messages = root.value("messages"_L1).toArray();
            QJsonObject first = messages.at(0).toObject();
            first.insert(u"role"_s, u"wizard"_s);
            messages.replace(0, first);
            root.insert(u"messages"_s, messages);
        }) << u"message 1"_s;
        QTest::newRow("message content not text") << withRoot([](QJsonObject &root) {
            QJsonArray messages = root.value("messages"_L1).toArray();
            QJsonObject first = messages.at(1).toObject();
            first.insert(u"content"_s, QJsonObject());
            messages.replace(1, first);
            root.insert(u"messages"_s, messages);
        }) << u"message 2: content"_s;
    }

    void shouldRejectForeignOrBrokenJson()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        const auto parsed = ConversationExporter::fromJson(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, ErrorCode::InvalidInput);
        QVERIFY2(parsed.error().message.contains(mentions), qUtf8Printable(parsed.error().message));
    }
};

QTEST_GUILESS_MAIN(ExporterTest)
#include "tst_exporter.moc"
