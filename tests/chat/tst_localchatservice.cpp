#include "api/provider.h"
#include "awaitresult.h"
#include "chat/conversationtitle.h"
#include "chat/localchatservice.h"
#include "fakeupstream.h"
#include "io/chatgptimporter.h"
#include "presets/presetcatalog.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/messagestore.h"
#include "storage/usagestore.h"
#include "storage/userstore.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;

using confab::testing::await;

// LocalChatService against a real SQLite file and a real HTTP upstream on loopback: every
// fault must end with the right error and the right rows in the database.
class LocalChatServiceTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        auto database = Database::open(m_dir->filePath(u"confab.db"_s));
        QVERIFY2(database.ok(), qPrintable(database.error().toString()));
        m_database = std::move(database).value();
        auto user = UserStore(*m_database).ensureLocalUser();
        QVERIFY(user.ok());
        m_userId = user->id;

        m_upstream = std::make_unique<FakeUpstream>();
        QVERIFY(m_upstream->listen());
        ProviderConfig config;
        config.baseUrl = m_upstream->baseUrl();
        config.apiKey = u"sk-test"_s;
        config.defaultModel = u"fake-model"_s;
        config.connectTimeout = 2s;
        config.firstByteTimeout = 2s;
        config.idleTimeout = 700ms;
        config.retryBaseDelay = 50ms;
        config.maxRetryDelay = 200ms;
        m_provider = std::make_unique<Provider>(config);

        LocalChatService::Options options;
        options.saveInterval = 200ms;
        options.defaultContextMessages = 4;
        options.builtInPresets = PresetCatalog::builtIns(QLocale(QLocale::English));
        options.generateTitles = QByteArray(QTest::currentTestFunction()).contains("Title");
        m_service = std::make_unique<LocalChatService>(*m_database, *m_provider, m_userId, options);
    }

    void cleanup()
    {
        m_service.reset();
        m_provider.reset();
        m_upstream.reset();
        m_database.reset();
        m_dir.reset();
    }

    void shouldCommitTheUserMessageBeforeTheRequestGoesOut()
    {
        const qint64 id = newConversation();
        QList<Message> savedWhenRequested;
        connect(m_upstream.get(), &FakeUpstream::requestReceived, this,
                [&] { savedWhenRequested = rows(id); });
        send(id, u"Hello there"_s);
        QVERIFY(waitIdle(id));
        QCOMPARE(savedWhenRequested.size(), 2); // the question and the answer's placeholder
        QCOMPARE(savedWhenRequested.first().content, u"Hello there"_s);
        QCOMPARE(savedWhenRequested.last().state, MessageState::Streaming);
    }

    void shouldStreamTheAnswerAndSaveItComplete()
    {
        const qint64 id = newConversation();
        m_upstream->enqueue(FakeResponse::chatStream({u"你好"_s, u", "_s, u"world"_s}, u"stop"_s,
                                                     Usage{10, 3, 13}));
        QSignalSpy deltas(m_service.get(), &ChatService::messageDelta);
        QSignalSpy updated(m_service.get(), &ChatService::messageUpdated);
        send(id, u"Say hello"_s);
        QVERIFY(waitIdle(id));

        QCOMPARE(deltas.size(), 3);
        QCOMPARE(updated.size(), 1);
        const QList<Message> saved = rows(id);
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.at(1).role, Role::Assistant);
        QCOMPARE(saved.at(1).content, u"你好, world"_s);
        QCOMPARE(saved.at(1).state, MessageState::Complete);
        QCOMPARE(saved.at(1).finishReason, u"stop"_s);
        QCOMPARE(saved.at(1).usage, Usage({10, 3, 13}));

        const auto usage
            = UsageStore(*m_database).totals(m_userId, QDate(2000, 1, 1), QDate(2100, 1, 1));
        QVERIFY(usage.ok());
        QCOMPARE(usage->requests, 1);
        QCOMPARE(usage->promptTokens, 10);

        // The conversation took its title from the first message.
        const auto conversation = ConversationStore(*m_database).get(m_userId, id);
        QCOMPARE(conversation->title, u"Say hello"_s);
    }

    void shouldTitleTheConversationAfterItsFirstAnswer()
    {
        const qint64 id = newConversation();
        m_upstream->enqueue(FakeResponse::chatStream({u"Mostly the Moon."_s}));
        m_upstream->enqueue(FakeResponse::completion(u"**“Why Tides Happen”.**\nExtra line"_s));
        QSignalSpy changed(m_service.get(), &ChatService::conversationChanged);
        send(id, u"How do tides work?"_s);
        QCOMPARE(ConversationStore(*m_database).get(m_userId, id)->title, u"How do tides work?"_s);
        QVERIFY(waitIdle(id));
        QTRY_COMPARE(ConversationStore(*m_database).get(m_userId, id)->title,
                     u"Why Tides Happen"_s);
        QCOMPARE(changed.last().first().value<Conversation>().title, u"Why Tides Happen"_s);

        const FakeRequest titleRequest = m_upstream->lastRequest();
        QCOMPARE(titleRequest.json().value("stream"_L1).toBool(), false);
        QVERIFY(titleRequest.json()
                    .value("messages"_L1)
                    .toArray()
                    .last()["content"_L1]
                    .toString()
                    .contains(u"Mostly the Moon."_s));

        // Later answers leave the title alone.
        send(id, u"And the Sun?"_s);
        QVERIFY(waitIdle(id));
        QTest::qWait(200);
        QCOMPARE(m_upstream->requestCount(), 3);
    }

    void shouldKeepATitleTheUserChose()
    {
        const qint64 id = newConversation();
        m_upstream->enqueue(FakeResponse::chatStream({u"answer"_s}).withEventInterval(100ms));
        send(id, u"question"_s);
        Conversation renamed = ConversationStore(*m_database).get(m_userId, id).value();
        renamed.title = u"My own title"_s;
        QVERIFY(await<Conversation>([&](QObject *c, auto h) {
                    m_service->updateConversation(renamed, c, h);
                }).ok());
        QVERIFY(waitIdle(id));
        QTest::qWait(200);
        QCOMPARE(m_upstream->requestCount(), 1);
        QCOMPARE(ConversationStore(*m_database).get(m_userId, id)->title, u"My own title"_s);
    }

    void shouldKeepTheProvisionalTitleWhenTitlingFails()
    {
        const qint64 id = newConversation();
        m_upstream->enqueue(FakeResponse::chatStream({u"answer"_s}));
        m_upstream->setDefaultResponse(FakeResponse::error(400, u"no titles today"_s));
        send(id, u"question about titles"_s);
        QVERIFY(waitIdle(id));
        QVERIFY(m_upstream->waitForRequests(2));
        QTest::qWait(200);
        QCOMPARE(ConversationStore(*m_database).get(m_userId, id)->title,
                 u"question about titles"_s);
    }

    void shouldCleanUpModelTitles_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("title");
        QTest::newRow("plain") << u"Tides"_s << u"Tides"_s;
        QTest::newRow("quoted") << u"\"Tides explained\""_s << u"Tides explained"_s;
        QTest::newRow("label and markup") << u"Title: **Tides**."_s << u"Tides"_s;
        QTest::newRow("chinese") << u"《潮汐的成因》。"_s << u"潮汐的成因"_s;
        QTest::newRow("two lines") << u"Tides\nbecause the moon"_s << u"Tides"_s;
        QTest::newRow("nothing") << u"\"\" ."_s << QString();
        QTest::newRow("long") << QString(80, u'x') << QString(49, u'x') + u'…';
    }

    void shouldCleanUpModelTitles()
    {
        QFETCH(QString, reply);
        QFETCH(QString, title);
        QCOMPARE(ConversationTitle::cleaned(reply), title);
    }

    void shouldSaveTheStreamingAnswerWhileItArrives()
    {
        const qint64 id = newConversation();
        m_upstream->enqueue(FakeResponse::tokens(40, 40ms));
        send(id, u"Tell me a long story"_s);
        // Well before the end, the text so far is already in the database.
        QTRY_VERIFY_WITH_TIMEOUT(rows(id).value(1).content.size() > 0
                                     && rows(id).value(1).state == MessageState::Streaming,
                                 5000);
        QVERIFY(waitIdle(id));
        QCOMPARE(rows(id).at(1).state, MessageState::Complete);
    }

    void shouldKeepThePartialAnswerOnCancel()
    {
        const qint64 id = newConversation();
        m_upstream->enqueue(FakeResponse::chatStream({u"Partial "_s, u"answer"_s, u" never"_s})
                                .stallAfterEvents(2));
        QSignalSpy deltas(m_service.get(), &ChatService::messageDelta);
        send(id, u"Question"_s);
        QTRY_COMPARE_WITH_TIMEOUT(deltas.size(), 2, 5000);
        m_service->cancel(id);
        QVERIFY(waitIdle(id));

        const Message answer = rows(id).at(1);
        QCOMPARE(answer.content, u"Partial answer"_s);
        QCOMPARE(answer.state, MessageState::Incomplete);
        QCOMPARE(answer.finishReason, u"cancelled"_s);
        QVERIFY(m_upstream->waitForOpenConnections(0));
    }

    void shouldEndEachFaultWithTheRightRows_data()
    {
        QTest::addColumn<FakeResponse>("response");
        QTest::addColumn<QString>("finishReason");
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("messageFragment");

        const FakeResponse serverError = FakeResponse::error(500, u"The engine is overloaded"_s);
        QTest::newRow("500 every time")
            << serverError << u"upstream_error"_s << QString() << u"overloaded"_s;
        QTest::newRow("401") << FakeResponse::error(401, u"Incorrect API key provided"_s)
                             << u"unauthorized"_s << QString() << u"Incorrect API key"_s;
        QTest::newRow("stall mid-stream")
            << FakeResponse::chatStream({u"Half "_s, u"done"_s, u"!"_s}).stallAfterEvents(2)
            << u"idle_timeout"_s << u"Half done"_s << QString();
        QTest::newRow("drop mid-stream")
            << FakeResponse::chatStream({u"Cut "_s, u"off"_s, u"!"_s}).dropAfterEvents(2)
            << u"network"_s << u"Cut off"_s << QString();
        QTest::newRow("keep-alive only")
            << FakeResponse::keepAliveOnly(100ms) << u"idle_timeout"_s << QString() << QString();
        QTest::newRow("error inside the stream")
            << FakeResponse::sseFixture(u"error_inside_stream.sse"_s) << u"upstream_error"_s
            << u"Partial ans"_s << u"server had an error"_s;
    }

    void shouldEndEachFaultWithTheRightRows()
    {
        QFETCH(FakeResponse, response);
        QFETCH(QString, finishReason);
        QFETCH(QString, content);
        QFETCH(QString, messageFragment);

        const qint64 id = newConversation();
        m_upstream->setDefaultResponse(response);
        send(id, u"Question"_s);
        QVERIFY(waitIdle(id));

        const QList<Message> saved = rows(id);
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.at(0).content, u"Question"_s);
        QCOMPARE(saved.at(0).state, MessageState::Complete);
        QCOMPARE(saved.at(1).state, MessageState::Incomplete);
        QCOMPARE(saved.at(1).finishReason, finishReason);
        QCOMPARE(saved.at(1).content, content);
        QVERIFY2(saved.at(1).errorMessage.contains(messageFragment),
                 qPrintable(saved.at(1).errorMessage));
        QVERIFY(!saved.at(1).errorMessage.isEmpty());
    }

    void shouldRetryA429AndThenAnswer()
    {
        const qint64 id = newConversation();
        m_upstream->enqueue(FakeResponse::error(429, u"Slow down"_s, "0"));
        m_upstream->enqueue(FakeResponse::chatStream({u"ok"_s}));
        send(id, u"Question"_s);
        QVERIFY(waitIdle(id));
        QCOMPARE(m_upstream->requestCount(), 2);
        QCOMPARE(rows(id).at(1).content, u"ok"_s);
        QCOMPARE(rows(id).at(1).state, MessageState::Complete);
    }

    void shouldSendThePresetPromptAndTheLastMessagesOnly()
    {
        const auto writer = PresetCatalog::builtIn(u"creative-writer"_s, QLocale(QLocale::English));
        QVERIFY(writer.has_value());
        NewConversation spec;
        spec.presetId = writer->id;
        spec.title = writer->name;
        const qint64 id = newConversation(spec);
        for (int i = 1; i <= 4; ++i) {
            m_upstream->enqueue(FakeResponse::chatStream({u"answer %1"_s.arg(i)}));
            send(id, u"question %1"_s.arg(i));
            QVERIFY(waitIdle(id));
        }
        // Window of 4: the system prompt, then answer 2 .. question 4.
        const QJsonArray sent = m_upstream->lastRequest().json().value("messages"_L1).toArray();
        QCOMPARE(sent.size(), 5);
        QCOMPARE(sent.at(0)["role"_L1].toString(), u"system"_s);
        QCOMPARE(sent.at(0)["content"_L1].toString(), writer->systemPrompt);
        QCOMPARE(sent.at(1)["content"_L1].toString(), u"answer 2"_s);
        QCOMPARE(sent.at(4)["content"_L1].toString(), u"question 4"_s);
        QCOMPARE(ConversationStore(*m_database).get(m_userId, id)->title, writer->name);
    }

    void shouldRefuseASecondSendWhileAnswering()
    {
        const qint64 id = newConversation();
        m_upstream->enqueue(FakeResponse::tokens(20, 50ms));
        send(id, u"first"_s);
        const auto second = await<Message>(
            [&](QObject *c, auto h) { m_service->sendMessage(id, u"second"_s, c, h); });
        QCOMPARE(second.error().code, ErrorCode::Conflict);
        QVERIFY(waitIdle(id));
        QCOMPARE(rows(id).size(), 2);
    }

    void shouldRegenerateTheLastAnswer()
    {
        const qint64 id = newConversation();
        m_upstream->enqueue(FakeResponse::chatStream({u"first try"_s}));
        send(id, u"Question"_s);
        QVERIFY(waitIdle(id));
        const qint64 oldAnswer = rows(id).at(1).id;

        m_upstream->enqueue(FakeResponse::chatStream({u"second try"_s}));
        QSignalSpy removed(m_service.get(), &ChatService::messagesRemoved);
        const auto regenerated
            = await<void>([&](QObject *c, auto h) { m_service->regenerate(id, c, h); });
        QVERIFY(regenerated.ok());
        QVERIFY(waitIdle(id));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).value<QList<qint64>>(), QList<qint64>{oldAnswer});
        const QList<Message> saved = rows(id);
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.at(1).content, u"second try"_s);
        // The resent history ends with the question, not the replaced answer.
        const QJsonArray sent = m_upstream->lastRequest().json().value("messages"_L1).toArray();
        QCOMPARE(sent.last()["content"_L1].toString(), u"Question"_s);
    }

    void shouldEditAndResendDroppingLaterMessages()
    {
        const qint64 id = newConversation();
        send(id, u"first question"_s);
        QVERIFY(waitIdle(id));
        send(id, u"second question"_s);
        QVERIFY(waitIdle(id));
        const qint64 firstQuestion = rows(id).at(0).id;

        m_upstream->enqueue(FakeResponse::chatStream({u"new answer"_s}));
        const auto edited = await<Message>([&](QObject *c, auto h) {
            m_service->editAndResend(firstQuestion, u"better question"_s, c, h);
        });
        QVERIFY2(edited.ok(), qPrintable(edited.error().toString()));
        QVERIFY(waitIdle(id));
        const QList<Message> saved = rows(id);
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.at(0).id, firstQuestion);
        QCOMPARE(saved.at(0).content, u"better question"_s);
        QCOMPARE(saved.at(1).content, u"new answer"_s);
    }

    void shouldDeleteAMessage()
    {
        const qint64 id = newConversation();
        send(id, u"Question"_s);
        QVERIFY(waitIdle(id));
        const qint64 answer = rows(id).at(1).id;
        const auto deleted
            = await<void>([&](QObject *c, auto h) { m_service->deleteMessage(answer, c, h); });
        QVERIFY(deleted.ok());
        QCOMPARE(rows(id).size(), 1);
    }

    void shouldKeepThePartialAnswerWhenClosedMidStream()
    {
        const qint64 id = newConversation();
        m_upstream->enqueue(
            FakeResponse::chatStream({u"Before "_s, u"closing"_s, u"!"_s}).stallAfterEvents(2));
        QSignalSpy deltas(m_service.get(), &ChatService::messageDelta);
        send(id, u"Question"_s);
        QTRY_COMPARE_WITH_TIMEOUT(deltas.size(), 2, 5000);
        m_service.reset();

        const Message answer = rows(id).at(1);
        QCOMPARE(answer.content, u"Before closing"_s);
        QCOMPARE(answer.state, MessageState::Incomplete);
    }

    void shouldImportAChatGptExportAllOrNothing()
    {
        const auto parsed = ChatGptImporter::parseFile(
            QStringLiteral(CONFAB_FIXTURES_DIR "/import/chatgpt_conversations.json"));
        QVERIFY(parsed.ok());
        QSignalSpy reset(m_service.get(), &ChatService::conversationsReset);
        qsizetype lastProgress = -1;
        const auto imported = await<int>([&](QObject *c, auto h) {
            m_service->importConversations(
                parsed->conversations, [&](qsizetype done, qsizetype) { lastProgress = done; }, c,
                h);
        });
        QVERIFY2(imported.ok(), qPrintable(imported.error().toString()));
        QCOMPARE(*imported, 2);
        QCOMPARE(lastProgress, 2);
        QCOMPARE(reset.size(), 1);

        const auto hits = await<QList<SearchHit>>(
            [&](QObject *c, auto h) { m_service->search(u"新特性"_s, c, h); });
        QVERIFY(hits.ok());
        QVERIFY(!hits->isEmpty());
        QCOMPARE(hits->first().conversationTitle, u"Vue3 新特性"_s);
    }

    void shouldManageTheUsersOwnPresetsButNotBuiltIns()
    {
        Preset mine;
        mine.name = u"Translator"_s;
        mine.systemPrompt = u"Translate into French."_s;
        const auto saved
            = await<Preset>([&](QObject *c, auto h) { m_service->savePreset(mine, c, h); });
        QVERIFY(saved.ok());
        QVERIFY(!saved->id.isEmpty());
        const auto all
            = await<QList<Preset>>([&](QObject *c, auto h) { m_service->presets(c, h); });
        QCOMPARE(all->size(), 5);
        QCOMPARE(all->last().name, u"Translator"_s);

        Preset builtIn = all->first();
        builtIn.name = u"Hijacked"_s;
        const auto refused
            = await<Preset>([&](QObject *c, auto h) { m_service->savePreset(builtIn, c, h); });
        QCOMPARE(refused.error().code, ErrorCode::Forbidden);
        const auto deleted
            = await<void>([&](QObject *c, auto h) { m_service->deletePreset(saved->id, c, h); });
        QVERIFY(deleted.ok());
    }

private:
    qint64 newConversation(const NewConversation &spec = {})
    {
        const auto created = await<Conversation>(
            [&](QObject *c, auto h) { m_service->createConversation(spec, c, h); });
        return created.ok() ? created->id : 0;
    }

    void send(qint64 conversationId, const QString &text)
    {
        const auto sent = await<Message>(
            [&](QObject *c, auto h) { m_service->sendMessage(conversationId, text, c, h); });
        QVERIFY2(sent.ok(), qPrintable(sent.error().toString()));
    }

    bool waitIdle(qint64 conversationId)
    {
        return QTest::qWaitFor(
            [&] { return !m_service || !m_service->isStreaming(conversationId); }, 10000);
    }

    QList<Message> rows(qint64 conversationId)
    {
        return MessageStore(*m_database).all(m_userId, conversationId).value();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<FakeUpstream> m_upstream;
    std::unique_ptr<Provider> m_provider;
    std::unique_ptr<LocalChatService> m_service;
    qint64 m_userId = 0;
};

QTEST_GUILESS_MAIN(LocalChatServiceTest)
#include "tst_localchatservice.moc"
