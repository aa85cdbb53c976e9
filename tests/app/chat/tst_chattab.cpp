#include "chat/chattab.h"
#include "chat/composer.h"
#include "chat/messagedelegate.h"
#include "chat/messagelistmodel.h"
#include "chat/messageview.h"
#include "chat/paramspanel.h"
#include "chattestenv.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;
using namespace confab::testing;

namespace {

// Counts the paints of a widget.
class PaintCounter final : public QObject
{
public:
    using QObject::QObject;
    int count = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++count;
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

// ChatTab driven as a user drives it, against LocalChatService, SQLite and a fake provider.
class ChatTabTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ChatTestEnv> m_env;
    std::unique_ptr<ChatTab> m_tab;
    qint64 m_id = 0;

    bool open(qint64 conversationId)
    {
        m_id = conversationId;
        m_tab = std::make_unique<ChatTab>(m_env->service(), m_env->settings(), conversationId);
        m_tab->resize(800, 600);
        m_tab->show();
        if (!QTest::qWaitForWindowExposed(m_tab.get()))
            return false;
        return QTest::qWaitFor([&] { return m_tab->model()->isLoaded(); }, 5000);
    }

    QPlainTextEdit *edit() const { return m_tab->findChild<QPlainTextEdit *>(u"m_edit"_s); }
    QPushButton *sendButton() const { return m_tab->findChild<QPushButton *>(u"m_sendButton"_s); }
    QLabel *banner() const { return m_tab->findChild<QLabel *>(u"m_bannerLabel"_s); }

    void type(const QString &text)
    {
        edit()->setFocus();
        QTest::keyClicks(edit(), text);
    }

    QList<Message> history(int count)
    {
        QList<Message> messages;
        for (int i = 0; i < count; ++i)
            messages.append(
                makeMessage(i % 2 ? Role::Assistant : Role::User, u"message %1"_s.arg(i)));
        return messages;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_env = std::make_unique<ChatTestEnv>();
        QString error;
        QVERIFY2(m_env->setUp(&error), qPrintable(error));
    }

    void cleanup()
    {
        m_tab.reset();
        m_env.reset();
    }

    void shouldShowTheAnswerWhileItStreams()
    {
        QVERIFY(open(m_env->conversationWith(history(6))));
        m_env->upstream().enqueue(
            FakeResponse::chatStream({u"The "_s, u"answer "_s, u"comes "_s, u"piece "_s, u"by "_s,
                                      u"piece, "_s, u"完毕。"_s})
                .withEventInterval(120ms));
        PaintCounter paints;
        m_tab->view()->viewport()->installEventFilter(&paints);
        const QString sendText = sendButton()->text();

        type(u"Tell me"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        QTRY_COMPARE(m_tab->model()->rowCount(), 8);
        QVERIFY(m_tab->isStreaming());
        QVERIFY(sendButton()->text() != sendText);          // Stop
        QTRY_COMPARE(m_tab->composer()->text(), QString()); // sent: the composer is empty again

        // The answer grows in the model and on screen while it streams.
        QTRY_VERIFY(
            !m_tab->model()->index(7).data(MessageListModel::ContentRole).toString().isEmpty());
        const QString early
            = m_tab->model()->index(7).data(MessageListModel::ContentRole).toString();
        const int paintsEarly = paints.count;
        QCOMPARE(MessageState(m_tab->model()->index(7).data(MessageListModel::StateRole).toInt()),
                 MessageState::Streaming);
        QTRY_VERIFY(m_tab->model()->index(7).data(MessageListModel::ContentRole).toString().size()
                    > early.size());
        QVERIFY(m_tab->isStreaming());
        QTRY_VERIFY(paints.count > paintsEarly);

        QVERIFY(m_env->waitIdle(m_id));
        QTRY_VERIFY(!m_tab->isStreaming());
        QCOMPARE(m_tab->model()->index(7).data(MessageListModel::ContentRole).toString(),
                 u"The answer comes piece by piece, 完毕。"_s);
        QCOMPARE(sendButton()->text(), sendText);
        QVERIFY(m_tab->errorText().isEmpty());
        QVERIFY(m_tab->view()->isFollowingBottom());
    }

    void shouldKeepThePartialAnswerOnStop()
    {
        QVERIFY(open(m_env->newConversation()));
        m_env->upstream().enqueue(FakeResponse::tokens(400, 20ms));
        type(u"Write a long story"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        QTRY_VERIFY(
            m_tab->model()->rowCount() == 2
            && m_tab->model()->index(1).data(MessageListModel::ContentRole).toString().size() > 10);
        QTest::mouseClick(sendButton(), Qt::LeftButton); // Stop
        QVERIFY(m_env->waitIdle(m_id));
        QTRY_VERIFY(!m_tab->isStreaming());

        const QModelIndex answer = m_tab->model()->index(1);
        QCOMPARE(MessageState(answer.data(MessageListModel::StateRole).toInt()),
                 MessageState::Incomplete);
        QCOMPARE(answer.data(MessageListModel::FinishReasonRole).toString(), u"cancelled"_s);
        const QString shown = answer.data(MessageListModel::ContentRole).toString();
        QVERIFY(!shown.isEmpty());
        const QList<Message> saved = m_env->rows(m_id);
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.at(1).state, MessageState::Incomplete);
        QCOMPARE(saved.at(1).content, shown);
        QVERIFY(m_tab->view()->messageDelegate()->statusText(answer).contains(u"Stopped"_s));
        // Stopping is not an error.
        QVERIFY(m_tab->errorText().isEmpty());
    }

    void shouldKeepTheTextAndShowTheErrorWhenSendingFails()
    {
        QVERIFY(open(m_env->newConversation()));
        // The conversation goes away behind the tab's back (another device, say).
        QVERIFY(ConversationStore(m_env->database()).remove(m_env->userId(), m_id).ok());
        type(u"Are you there?"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        QTRY_VERIFY(!m_tab->errorText().isEmpty());
        QVERIFY(banner()->isVisible());
        QCOMPARE(m_tab->composer()->text(), u"Are you there?"_s);
        QVERIFY(sendButton()->isEnabled()); // the user can try again
    }

    void shouldShowTheProvidersErrorWithAHint()
    {
        QVERIFY(open(m_env->newConversation()));
        m_env->upstream().enqueue(
            FakeResponse::error(401, u"Incorrect API key provided: sk-te***"_s));
        type(u"Hello"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        QVERIFY(m_env->waitIdle(m_id));
        QTRY_VERIFY(!m_tab->errorText().isEmpty());
        QVERIFY2(m_tab->errorText().contains(u"Incorrect API key provided"_s),
                 qPrintable(m_tab->errorText()));
        QVERIFY2(m_tab->errorText().contains(u"API key"_s)
                     && m_tab->errorText().contains(u"Settings"_s),
                 qPrintable(m_tab->errorText()));
        // In the conversation too, where it happened, and nothing typed is lost.
        QTRY_COMPARE(m_tab->model()->rowCount(), 2);
        QCOMPARE(m_tab->model()->index(0).data(MessageListModel::ContentRole).toString(),
                 u"Hello"_s);
        const QString status
            = m_tab->view()->messageDelegate()->statusText(m_tab->model()->index(1));
        QVERIFY2(status.contains(u"Incorrect API key provided"_s), qPrintable(status));

        // The next successful send clears the banner.
        type(u"Again"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        QVERIFY(m_env->waitIdle(m_id));
        QTRY_VERIFY(m_tab->errorText().isEmpty());
    }

    void shouldEditAndResend()
    {
        QVERIFY(open(m_env->conversationWith(history(4))));
        m_tab->setDraft(u"half-written thought"_s);
        const qint64 question
            = m_tab->model()->index(2).data(MessageListModel::IdRole).toLongLong();
        m_tab->view()->triggerAction(MessageDelegate::Action::Edit, question);
        QCOMPARE(m_tab->editingMessageId(), question);
        QCOMPARE(m_tab->composer()->text(), u"message 2"_s);
        QCOMPARE(m_tab->draft(), u"half-written thought"_s);

        edit()->selectAll();
        type(u"message 2, edited"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        QVERIFY(m_env->waitIdle(m_id));
        QTRY_COMPARE(m_tab->editingMessageId(), 0);
        const QList<Message> saved = m_env->rows(m_id);
        QCOMPARE(saved.size(), 4);
        QCOMPARE(saved.at(2).id, question);
        QCOMPARE(saved.at(2).content, u"message 2, edited"_s);
        QCOMPARE(saved.at(3).role, Role::Assistant);
        QVERIFY(saved.at(3).content != u"message 3"_s);
        QTRY_COMPARE(m_tab->model()->rowCount(), 4);
        QCOMPARE(m_tab->model()->index(2).data(MessageListModel::ContentRole).toString(),
                 u"message 2, edited"_s);
        // The draft comes back.
        QCOMPARE(m_tab->composer()->text(), u"half-written thought"_s);
    }

    void shouldCancelAnEditWithEscape()
    {
        QVERIFY(open(m_env->conversationWith(history(2))));
        m_tab->setDraft(u"draft"_s);
        m_tab->beginEdit(m_tab->model()->index(0).data(MessageListModel::IdRole).toLongLong(),
                         u"message 0"_s);
        QTest::keyClick(edit(), Qt::Key_Escape);
        QCOMPARE(m_tab->editingMessageId(), 0);
        QCOMPARE(m_tab->composer()->text(), u"draft"_s);
        QCOMPARE(m_env->rows(m_id).at(0).content, u"message 0"_s);
    }

    void shouldRegenerateTheLastAnswer()
    {
        QVERIFY(open(m_env->conversationWith(history(4))));
        const qint64 oldAnswer
            = m_tab->model()->index(3).data(MessageListModel::IdRole).toLongLong();
        m_env->upstream().enqueue(FakeResponse::chatStream({u"A fresh answer."_s}));
        m_tab->view()->triggerAction(MessageDelegate::Action::Regenerate, oldAnswer);
        QTRY_VERIFY(m_tab->isStreaming() || m_env->rows(m_id).value(3).id != oldAnswer);
        QVERIFY(m_env->waitIdle(m_id));
        const QList<Message> saved = m_env->rows(m_id);
        QCOMPARE(saved.size(), 4);
        QVERIFY(saved.at(3).id != oldAnswer);
        QCOMPARE(saved.at(3).content, u"A fresh answer."_s);
        QTRY_COMPARE(m_tab->model()->index(3).data(MessageListModel::ContentRole).toString(),
                     u"A fresh answer."_s);
        QCOMPARE(m_tab->model()->rowCount(), 4);
    }

    void shouldRetryAnIncompleteAnswer()
    {
        QList<Message> messages = history(2);
        messages[1].state = MessageState::Incomplete;
        messages[1].finishReason = u"idle_timeout"_s;
        messages[1].errorMessage = u"The provider went quiet."_s;
        QVERIFY(open(m_env->conversationWith(messages)));
        const qint64 cut = m_tab->model()->index(1).data(MessageListModel::IdRole).toLongLong();
        m_env->upstream().enqueue(FakeResponse::chatStream({u"Complete now."_s}));
        m_tab->view()->triggerAction(MessageDelegate::Action::Retry, cut);
        QVERIFY(QTest::qWaitFor([&] { return m_env->rows(m_id).value(1).id != cut; }, 5000));
        QVERIFY(m_env->waitIdle(m_id));
        QCOMPARE(m_env->rows(m_id).at(1).content, u"Complete now."_s);
        QCOMPARE(m_env->rows(m_id).at(1).state, MessageState::Complete);
    }

    void shouldDeleteAMessage()
    {
        QVERIFY(open(m_env->conversationWith(history(4))));
        const qint64 target = m_tab->model()->index(1).data(MessageListModel::IdRole).toLongLong();
        m_tab->view()->triggerAction(MessageDelegate::Action::Delete, target);
        QTRY_COMPARE(m_tab->model()->rowCount(), 3);
        QCOMPARE(m_tab->model()->rowOf(target), -1);
        const QList<Message> saved = m_env->rows(m_id);
        QCOMPARE(saved.size(), 3);
        for (const Message &message : saved)
            QVERIFY(message.id != target);
    }

    void shouldWriteTheParametersToTheConversation()
    {
        QVERIFY(open(m_env->newConversation()));
        m_tab->setParamsPanelVisible(true);
        ParamsPanel *panel = m_tab->paramsPanel();
        QVERIFY(panel->isVisible());
        panel->setSaveDelayMs(50);
        QTRY_VERIFY(panel->isLoaded());
        panel->findChild<QComboBox *>(u"m_modelCombo"_s)->setCurrentText(u"gpt-test"_s);
        panel->findChild<QDoubleSpinBox *>(u"m_temperatureSpin"_s)->setValue(0.7);
        panel->findChild<QSpinBox *>(u"m_maxTokensSpin"_s)->setValue(512);
        panel->findChild<QDoubleSpinBox *>(u"m_frequencyPenaltySpin"_s)->setValue(0.5);
        panel->findChild<QPlainTextEdit *>(u"m_stopEdit"_s)->setPlainText(u"END\nSTOP"_s);
        panel->findChild<QSpinBox *>(u"m_contextSpin"_s)->setValue(8);
        QTRY_VERIFY(m_env->conversation(m_id).contextMessages == 8);

        const Conversation conversation = m_env->conversation(m_id);
        QCOMPARE(conversation.params.model, u"gpt-test"_s);
        QVERIFY(conversation.params.temperature
                && qFuzzyCompare(*conversation.params.temperature, 0.7));
        QCOMPARE(conversation.params.maxTokens, std::optional<int>(512));
        QVERIFY(!conversation.params.topP); // left at Default
        QVERIFY(!conversation.params.presencePenalty);
        QVERIFY(conversation.params.frequencyPenalty
                && qFuzzyCompare(*conversation.params.frequencyPenalty, 0.5));
        QCOMPARE(conversation.params.stop, QStringList({u"END"_s, u"STOP"_s}));

        // And they go to the provider.
        type(u"Hi"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        QVERIFY(m_env->upstream().waitForRequests(1));
        QVERIFY(m_env->waitIdle(m_id));
        const QJsonObject body = m_env->upstream().lastRequest().json();
        QCOMPARE(body.value(u"model"_s).toString(), u"gpt-test"_s);
        QCOMPARE(body.value(u"max_tokens"_s).toInt(), 512);
        QCOMPARE(body.value(u"stop"_s).toArray().size(), 2);
        QVERIFY(!body.contains(u"top_p"_s));

        // Back to Default.
        panel->findChild<QDoubleSpinBox *>(u"m_temperatureSpin"_s)->setValue(-1);
        panel->saveNow();
        QTRY_VERIFY(!m_env->conversation(m_id).params.temperature);
    }

    void shouldShowParametersChangedElsewhere()
    {
        QVERIFY(open(m_env->newConversation()));
        Conversation conversation = m_env->conversation(m_id);
        conversation.params.model = u"other-model"_s;
        conversation.params.topP = 0.5;
        auto updated = await<Conversation>([&](QObject *context, auto handler) {
            m_env->service().updateConversation(conversation, context, handler);
        });
        QVERIFY(updated.ok());
        ParamsPanel *panel = m_tab->paramsPanel();
        QCOMPARE(panel->params().model, u"other-model"_s);
        QVERIFY(panel->params().topP && qFuzzyCompare(*panel->params().topP, 0.5));
        QVERIFY(!panel->hasPendingChanges());
    }

    void shouldFollowTheTitle()
    {
        QVERIFY(open(m_env->newConversation(QString())));
        QSignalSpy titles(m_tab.get(), &ChatTab::titleChanged);
        m_tab->send(u"What is the capital of France?"_s);
        QTRY_VERIFY(!titles.isEmpty());
        QCOMPARE(titles.last().at(0).toString(), u"What is the capital of France?"_s);
        QCOMPARE(m_tab->title(), u"What is the capital of France?"_s);
        QVERIFY(m_env->waitIdle(m_id));
    }

    void shouldSendWithTheChosenKey()
    {
        QVERIFY(open(m_env->newConversation()));
        m_env->settings().setSendKey(Settings::SendKey::CtrlEnter);
        type(u"line one"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        type(u"line two"_s);
        QCOMPARE(m_tab->composer()->text(), u"line one\nline two"_s);
        QTest::keyClick(edit(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(m_env->rows(m_id).value(0).content, u"line one\nline two"_s);
        QVERIFY(m_env->waitIdle(m_id));
    }

    void shouldOpenAllowedLinksThroughTheOpener()
    {
        QVERIFY(open(m_env->conversationWith(
            {makeMessage(Role::Assistant, u"[x](https://example.com)"_s)})));
        QList<QUrl> opened;
        m_tab->setLinkOpener([&opened](const QUrl &url) { opened.append(url); });
        const qint64 id = m_tab->model()->index(0).data(MessageListModel::IdRole).toLongLong();
        QVERIFY(!m_tab->view()->activateLink(u"file:///etc/passwd"_s, id));
        QVERIFY(m_tab->view()->activateLink(u"https://example.com"_s, id));
        QCOMPARE(opened, QList<QUrl>({QUrl(u"https://example.com"_s)}));
    }

    void shouldKeepDraftsAndFocusTheComposer()
    {
        QVERIFY(open(m_env->newConversation()));
        m_tab->setDraft(u"unsent"_s);
        QCOMPARE(m_tab->draft(), u"unsent"_s);
        QCOMPARE(m_tab->focusProxy(), m_tab->composer());
        m_tab->activateWindow();
        m_tab->setFocus();
        QTRY_VERIFY(edit()->hasFocus());
    }
};

QTEST_MAIN(ChatTabTest)
#include "tst_chattab.moc"
