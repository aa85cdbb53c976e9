#include "dialogs/connectioneditor.h"
#include "dialogs/messagebox.h"
#include "dialogtestutil.h"
#include "fakeupstream.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace confab;
using confab::testing::child;

namespace {

struct Form
{
    explicit Form(ConnectionEditor &editor)
        : provider(child<QComboBox>(&editor, "m_provider"))
        , baseUrl(child<QLineEdit>(&editor, "m_baseUrl"))
        , apiKey(child<QLineEdit>(&editor, "m_apiKey"))
        , showApiKey(child<QToolButton>(&editor, "m_showApiKey"))
        , model(child<QComboBox>(&editor, "m_model"))
        , fetchModels(child<QPushButton>(&editor, "m_fetchModels"))
        , testConnection(child<QPushButton>(&editor, "m_testConnection"))
        , status(child<QLabel>(&editor, "m_status"))
    {}

    void choose(const QString &providerId)
    {
        provider->setCurrentIndex(provider->findData(providerId));
    }

    QComboBox *provider;
    QLineEdit *baseUrl;
    QLineEdit *apiKey;
    QToolButton *showApiKey;
    QComboBox *model;
    QPushButton *fetchModels;
    QPushButton *testConnection;
    QLabel *status;
};

} // namespace

// The connection form asks the provider itself (a FakeUpstream here) and reports inline.
class ConnectionEditorTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        MessageBox::clearForTesting();
    }

    void init()
    {
        m_fake = std::make_unique<FakeUpstream>();
        QVERIFY(m_fake->listen());
        m_fake->setRequiredApiKey(u"sk-good"_s);
        m_fake->setModels({u"alpha"_s, u"beta"_s, u"gamma"_s});
        m_editor = std::make_unique<ConnectionEditor>();
        m_editor->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
    }

    void cleanup()
    {
        m_editor.reset();
        m_fake.reset();
        QVERIFY(MessageBox::askedForTesting().isEmpty());
    }

    void shouldFillUrlAndModelFromTheChosenProvider()
    {
        Form form(*m_editor);
        form.choose(u"deepseek"_s);
        QCOMPARE(form.baseUrl->text(), u"https://api.deepseek.com/v1"_s);
        QCOMPARE(form.model->currentText(), u"deepseek-chat"_s);
        QVERIFY(form.baseUrl->isReadOnly());
        QVERIFY(form.apiKey->isVisible());
        QVERIFY(!m_editor->isComplete()); // no key yet
        form.apiKey->setText(u"sk-x"_s);
        QVERIFY(m_editor->isComplete());
        QCOMPARE(m_editor->connection().providerId, u"deepseek"_s);
        QCOMPARE(m_editor->connection().name, u"DeepSeek"_s);

        form.choose(u"ollama"_s);
        QVERIFY(!form.apiKey->isVisible());
        QVERIFY(!form.baseUrl->isReadOnly());
        QCOMPARE(m_editor->apiKey(), QString());

        form.choose(u"custom"_s);
        QVERIFY(form.apiKey->isVisible());
        QVERIFY(!form.baseUrl->isReadOnly());
        QCOMPARE(form.baseUrl->text(), QString());
        QVERIFY(!m_editor->isComplete());
        form.baseUrl->setText(u"http://localhost:8000/v1"_s);
        form.model->setEditText(u"local"_s);
        QVERIFY(m_editor->isComplete()); // a custom endpoint's key is optional
    }

    void shouldHideAndShowTheKey()
    {
        Form form(*m_editor);
        form.choose(u"openai"_s);
        QCOMPARE(form.apiKey->echoMode(), QLineEdit::Password);
        form.showApiKey->click();
        QCOMPARE(form.apiKey->echoMode(), QLineEdit::Normal);
        form.showApiKey->click();
        QCOMPARE(form.apiKey->echoMode(), QLineEdit::Password);
    }

    void shouldKeepAStoredConnection()
    {
        Connection stored;
        stored.id = u"c-1"_s;
        stored.name = u"Work"_s;
        stored.providerId = u"openai"_s;
        stored.baseUrl = QUrl(u"https://api.openai.com/v1"_s);
        stored.model = u"gpt-4.1"_s;
        m_editor->setConnection(stored);
        m_editor->setApiKey(u"sk-stored"_s);
        QCOMPARE(m_editor->connection(), stored);
        QCOMPARE(m_editor->apiKey(), u"sk-stored"_s);
    }

    void shouldFetchModelsWithTheEnteredUrlAndKey()
    {
        Form form(*m_editor);
        form.choose(u"custom"_s);
        form.baseUrl->setText(m_fake->baseUrl().toString());
        form.apiKey->setText(u"sk-good"_s);
        QSignalSpy fetched(m_editor.get(), &ConnectionEditor::modelsFetched);
        form.fetchModels->click();
        QVERIFY(!form.fetchModels->isEnabled()); // one question at a time
        QVERIFY(fetched.wait(10000));
        QCOMPARE(fetched.first().first().toStringList(),
                 (QStringList{u"alpha"_s, u"beta"_s, u"gamma"_s}));
        QCOMPARE(form.model->count(), 3);
        QCOMPARE(form.model->currentText(), u"alpha"_s);
        QCOMPARE(m_editor->lastCheck(), ConnectionEditor::Check::Succeeded);
        QVERIFY(form.status->text().contains(u"3"_s));
        QVERIFY(form.fetchModels->isEnabled());
        QCOMPARE(m_fake->lastRequest().path(), QByteArray("/v1/models"));
        QCOMPARE(m_fake->lastRequest().header("Authorization"), QByteArray("Bearer sk-good"));
    }

    void shouldKeepATypedModelWhenFetching()
    {
        Form form(*m_editor);
        form.choose(u"custom"_s);
        form.baseUrl->setText(m_fake->baseUrl().toString());
        form.apiKey->setText(u"sk-good"_s);
        form.model->setEditText(u"beta"_s);
        QSignalSpy finished(m_editor.get(), &ConnectionEditor::checkFinished);
        form.fetchModels->click();
        QVERIFY(finished.wait(10000));
        QCOMPARE(form.model->currentText(), u"beta"_s);
    }

    void shouldTestWithASmallNonStreamingRequest()
    {
        Form form(*m_editor);
        form.choose(u"custom"_s);
        form.baseUrl->setText(m_fake->baseUrl().toString());
        form.apiKey->setText(u"sk-good"_s);
        form.model->setEditText(u"beta"_s);
        QSignalSpy finished(m_editor.get(), &ConnectionEditor::checkFinished);
        form.testConnection->click();
        QCOMPARE(m_editor->lastCheck(), ConnectionEditor::Check::Running);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(m_editor->lastCheck(), ConnectionEditor::Check::Succeeded);
        QVERIFY2(form.status->isVisible(), "the result is shown inline");
        QCOMPARE(m_fake->requestCount(), 1);
        const FakeRequest request = m_fake->lastRequest();
        QCOMPARE(request.path(), QByteArray("/v1/chat/completions"));
        QCOMPARE(request.json().value("stream"_L1).toBool(true), false);
        QCOMPARE(request.json().value("model"_L1).toString(), u"beta"_s);
        const int maxTokens = request.json().value("max_tokens"_L1).toInt();
        QVERIFY(maxTokens > 0 && maxTokens <= 16);
    }

    void shouldShowARefusedKeyInlineWithAHint()
    {
        Form form(*m_editor);
        form.choose(u"custom"_s);
        form.baseUrl->setText(m_fake->baseUrl().toString());
        form.apiKey->setText(u"sk-wrong"_s);
        form.model->setEditText(u"alpha"_s);
        QSignalSpy finished(m_editor.get(), &ConnectionEditor::checkFinished);
        form.testConnection->click();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(m_editor->lastCheck(), ConnectionEditor::Check::Failed);
        const QString text = form.status->text();
        QVERIFY2(text.contains(u"401"_s), qPrintable(text));
        QVERIFY2(text.contains(u"Incorrect API key provided."_s), qPrintable(text));
        QVERIFY2(text.contains(u"The API key is wrong"_s), qPrintable(text));
        QVERIFY(form.status->isVisible());
        // No retries against a refused key: the user waits for nothing.
        QCOMPARE(m_fake->requestCount(), 1);
    }

    void shouldHintAtTheAddressWhenNothingAnswers()
    {
        // A port that was free a moment ago: the connection is refused.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();

        Form form(*m_editor);
        form.choose(u"custom"_s);
        form.baseUrl->setText(u"http://127.0.0.1:%1/v1"_s.arg(port));
        form.model->setEditText(u"alpha"_s);
        QSignalSpy finished(m_editor.get(), &ConnectionEditor::checkFinished);
        form.testConnection->click();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(form.status->text().contains(u"check the base URL"_s),
                 qPrintable(form.status->text()));
    }

    void shouldSayWhatIsMissingBeforeAsking()
    {
        Form form(*m_editor);
        form.choose(u"openai"_s);
        QSignalSpy finished(m_editor.get(), &ConnectionEditor::checkFinished);
        form.testConnection->click();
        QCOMPARE(finished.size(), 1);
        QVERIFY2(form.status->text().contains(u"API key"_s), qPrintable(form.status->text()));
        QCOMPARE(m_fake->requestCount(), 0);
    }

    void shouldForgetAStaleResultWhenTheFormChanges()
    {
        Form form(*m_editor);
        form.choose(u"custom"_s);
        form.baseUrl->setText(m_fake->baseUrl().toString());
        form.apiKey->setText(u"sk-wrong"_s);
        form.model->setEditText(u"alpha"_s);
        QSignalSpy finished(m_editor.get(), &ConnectionEditor::checkFinished);
        form.testConnection->click();
        QVERIFY(finished.wait(10000));
        QCOMPARE(m_editor->lastCheck(), ConnectionEditor::Check::Failed);
        form.apiKey->setText(u"sk-good"_s);
        QCOMPARE(m_editor->lastCheck(), ConnectionEditor::Check::Idle);
        QVERIFY(form.status->text().isEmpty());
    }

private:
    std::unique_ptr<FakeUpstream> m_fake;
    std::unique_ptr<ConnectionEditor> m_editor;
};

QTEST_MAIN(ConnectionEditorTest)
#include "tst_connectioneditor.moc"
