#include "common/types.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

class TypesTest final : public QObject
{
    Q_OBJECT

private slots:
    void shouldRoundTripChatParams()
    {
        ChatParams params;
        params.model = u"gpt-4o-mini"_s;
        params.temperature = 0.7;
        params.topP = 0.9;
        params.maxTokens = 512;
        params.presencePenalty = -0.5;
        params.frequencyPenalty = 1.5;
        params.stop = {u"END"_s, u"###"_s};

        const QJsonObject json = params.toJson();
        QCOMPARE(json.value("top_p"_L1).toDouble(), 0.9);
        QCOMPARE(json.value("max_tokens"_L1).toInt(), 512);
        const auto parsed = ChatParams::fromJson(json);
        QVERIFY(parsed.ok());
        QCOMPARE(*parsed, params);
    }

    void shouldRejectBadChatParams_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QTest::newRow("unknown key") << QJsonObject{{u"api_base"_s, u"http://x"_s}};
        QTest::newRow("temperature too high") << QJsonObject{{u"temperature"_s, 2.5}};
        QTest::newRow("temperature as text") << QJsonObject{{u"temperature"_s, u"hot"_s}};
        QTest::newRow("top_p negative") << QJsonObject{{u"top_p"_s, -0.1}};
        QTest::newRow("max_tokens fraction") << QJsonObject{{u"max_tokens"_s, 1.5}};
        QTest::newRow("max_tokens zero") << QJsonObject{{u"max_tokens"_s, 0}};
        QTest::newRow("penalty out of range") << QJsonObject{{u"presence_penalty"_s, 3}};
        QTest::newRow("five stops")
            << QJsonObject{{u"stop"_s, QJsonArray{u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s}}};
        QTest::newRow("stop number") << QJsonObject{{u"stop"_s, 5}};
        QTest::newRow("model object") << QJsonObject{{u"model"_s, QJsonObject{}}};
    }

    void shouldRejectBadChatParams()
    {
        QFETCH(QJsonObject, json);
        const auto parsed = ChatParams::fromJson(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, ErrorCode::InvalidInput);
        QVERIFY(!parsed.error().message.isEmpty());
    }

    void shouldAcceptStopAsSingleString()
    {
        const auto parsed = ChatParams::fromJson({{u"stop"_s, u"\n\n"_s}});
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->stop, QStringList{u"\n\n"_s});
    }

    void shouldMergeOnlySetFields()
    {
        ChatParams base;
        base.model = u"base-model"_s;
        base.temperature = 1.0;
        base.maxTokens = 100;
        ChatParams over;
        over.temperature = 0.2;
        const ChatParams merged = over.mergedOnto(base);
        QCOMPARE(merged.model, u"base-model"_s);
        QCOMPARE(merged.temperature, 0.2);
        QCOMPARE(merged.maxTokens, 100);
    }

    void shouldWriteMessageInApiShape()
    {
        Message message;
        message.id = 42;
        message.conversationId = 7;
        message.role = Role::Assistant;
        message.content = u"你好"_s;
        message.createdAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 6), Qt::UTC);
        message.state = MessageState::Incomplete;
        message.finishReason = u"cancelled"_s;
        message.usage = Usage{3, 4, 7};

        const QJsonObject json = message.toJson();
        QCOMPARE(json.value("id"_L1).toString(), u"42"_s);
        QCOMPARE(json.value("conversation_id"_L1).toString(), u"7"_s);
        QCOMPARE(json.value("role"_L1).toString(), u"assistant"_s);
        QCOMPARE(json.value("created_at"_L1).toString(), u"2026-01-02T03:04:05.006Z"_s);
        QCOMPARE(json.value("incomplete"_L1).toBool(), true);
        QCOMPARE(json.value("usage"_L1).toObject().value("total_tokens"_L1).toInt(), 7);

        const auto parsed = Message::fromJson(json);
        QVERIFY(parsed.ok());
        QCOMPARE(*parsed, message);
    }

    void shouldRoundTripConversationAndPreset()
    {
        Conversation conversation;
        conversation.id = 9;
        conversation.title = u"Trip"_s;
        conversation.presetId = u"assistant"_s;
        conversation.params.model = u"m"_s;
        conversation.contextMessages = 15;
        conversation.createdAt = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        conversation.updatedAt = conversation.createdAt;
        conversation.messageCount = 3;
        const auto parsedConversation = Conversation::fromJson(conversation.toJson());
        QVERIFY(parsedConversation.ok());
        QCOMPARE(*parsedConversation, conversation);

        Preset preset{u"writer"_s, u"Writer"_s, u"d"_s, u"pen"_s, u"sys"_s, u"hi"_s, {}, true};
        const auto parsedPreset = Preset::fromJson(preset.toJson());
        QVERIFY(parsedPreset.ok());
        QCOMPARE(*parsedPreset, preset);
        QVERIFY(!Preset::fromJson({{u"name"_s, u"  "_s}}).ok());
    }
};

QTEST_GUILESS_MAIN(TypesTest)
#include "tst_types.moc"
