#include "dialogs/connectiondialog.h"
#include "dialogs/connectioneditor.h"
#include "dialogs/messagebox.h"
#include "dialogs/settingsdialog.h"
#include "dialogtestutil.h"
#include "secrets/memorysecretstore.h"
#include "settings/settings.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace confab;
using confab::testing::child;
using confab::testing::readSecret;
using confab::testing::writeSecret;

namespace {

Connection makeConnection(const QString &name, const QString &providerId, const QString &model)
{
    Connection connection;
    connection.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    connection.name = name;
    connection.providerId = providerId;
    connection.baseUrl = QUrl(u"https://api.%1.example/v1"_s.arg(providerId));
    connection.model = model;
    return connection;
}

} // namespace

// Every page writes through Settings' setters, so the app's windows follow at once.
class SettingsDialogTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        MessageBox::clearForTesting();
        m_settings = std::make_unique<Settings>(
            m_dir.filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) + u".ini"_s));
        m_secrets = std::make_unique<MemorySecretStore>();
    }

    void cleanup()
    {
        m_secrets.reset();
        m_settings.reset();
    }

    void shouldShowTheCurrentSettings()
    {
        m_settings->setLanguage(u"zh_CN"_s);
        m_settings->setTheme(Settings::Theme::Dark);
        m_settings->setFontSize(15);
        m_settings->setSendKey(Settings::SendKey::CtrlEnter);
        m_settings->setProxy(Settings::ProxyMode::Manual, u"proxy.lan"_s, 3128);
        SettingsDialog dialog(*m_settings, *m_secrets);
        QCOMPARE(child<QComboBox>(&dialog, "m_language")->currentData().toString(), u"zh_CN"_s);
        QCOMPARE(child<QComboBox>(&dialog, "m_theme")->currentIndex(), 2);
        QCOMPARE(child<QSpinBox>(&dialog, "m_fontSize")->value(), 15);
        QVERIFY(child<QRadioButton>(&dialog, "m_sendWithCtrlEnter")->isChecked());
        QVERIFY(child<QRadioButton>(&dialog, "m_proxyManual")->isChecked());
        QCOMPARE(child<QLineEdit>(&dialog, "m_proxyHost")->text(), u"proxy.lan"_s);
        QCOMPARE(child<QSpinBox>(&dialog, "m_proxyPort")->value(), 3128);
    }

    void shouldNameEachLanguageInItself()
    {
        SettingsDialog dialog(*m_settings, *m_secrets);
        auto *language = child<QComboBox>(&dialog, "m_language");
        QCOMPARE(language->count(), 3);
        QCOMPARE(language->itemData(0).toString(), QString());
        QCOMPARE(language->itemText(language->findData(u"en"_s)), u"English"_s);
        QCOMPARE(language->itemText(language->findData(u"zh_CN"_s)), u"简体中文"_s);
    }

    void shouldApplyAppearanceAtOnce()
    {
        SettingsDialog dialog(*m_settings, *m_secrets);
        dialog.showPage(SettingsDialog::Page::Appearance);
        QCOMPARE(dialog.currentPage(), SettingsDialog::Page::Appearance);
        QSignalSpy language(m_settings.get(), &Settings::languageChanged);
        QSignalSpy theme(m_settings.get(), &Settings::themeChanged);
        QSignalSpy fontSize(m_settings.get(), &Settings::fontSizeChanged);

        auto *languageBox = child<QComboBox>(&dialog, "m_language");
        languageBox->setCurrentIndex(languageBox->findData(u"zh_CN"_s));
        QCOMPARE(m_settings->language(), u"zh_CN"_s);
        QCOMPARE(language.size(), 1);
        QCOMPARE(language.first().first().toString(), u"zh_CN"_s);
        languageBox->setCurrentIndex(0);
        QCOMPARE(m_settings->language(), QString());

        auto *themeBox = child<QComboBox>(&dialog, "m_theme");
        themeBox->setCurrentIndex(2);
        QCOMPARE(m_settings->theme(), Settings::Theme::Dark);
        themeBox->setCurrentIndex(1);
        QCOMPARE(m_settings->theme(), Settings::Theme::Light);
        QCOMPARE(theme.size(), 2);

        auto *size = child<QSpinBox>(&dialog, "m_fontSize");
        size->setValue(16);
        QCOMPARE(m_settings->fontSize(), 16);
        QCOMPARE(fontSize.size(), 1);
        size->setValue(0);
        QCOMPARE(m_settings->fontSize(), 0);
        QCOMPARE(size->text(), u"System default"_s);
    }

    void shouldApplyTheSendKeyAtOnce()
    {
        SettingsDialog dialog(*m_settings, *m_secrets);
        QSignalSpy sendKey(m_settings.get(), &Settings::sendKeyChanged);
        child<QRadioButton>(&dialog, "m_sendWithCtrlEnter")->click();
        QCOMPARE(m_settings->sendKey(), Settings::SendKey::CtrlEnter);
        child<QRadioButton>(&dialog, "m_sendWithEnter")->click();
        QCOMPARE(m_settings->sendKey(), Settings::SendKey::Enter);
        QCOMPARE(sendKey.size(), 2);
    }

    void shouldApplyAManualProxyOnlyOnceItHasAHost()
    {
        SettingsDialog dialog(*m_settings, *m_secrets);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.showPage(SettingsDialog::Page::Network);
        QSignalSpy proxy(m_settings.get(), &Settings::proxyChanged);
        auto *host = child<QLineEdit>(&dialog, "m_proxyHost");
        auto *port = child<QSpinBox>(&dialog, "m_proxyPort");
        QVERIFY(!host->isEnabled());

        child<QRadioButton>(&dialog, "m_proxyManual")->click();
        QVERIFY(host->isEnabled());
        QCOMPARE(proxy.size(), 0);
        QCOMPARE(m_settings->proxyMode(), Settings::ProxyMode::System);
        QVERIFY(child<QLabel>(&dialog, "m_proxyStatus")->isVisible());

        host->setFocus();
        QTest::keyClicks(host, u"proxy.example.org"_s);
        QTest::keyClick(host, Qt::Key_Tab);
        QCOMPARE(proxy.size(), 1);
        QCOMPARE(m_settings->proxyMode(), Settings::ProxyMode::Manual);
        QCOMPARE(m_settings->proxyHost(), u"proxy.example.org"_s);
        QVERIFY(!child<QLabel>(&dialog, "m_proxyStatus")->isVisible());

        port->setValue(3128);
        QCOMPARE(m_settings->proxyPort(), 3128);
        QCOMPARE(proxy.size(), 2);

        child<QRadioButton>(&dialog, "m_proxyNone")->click();
        QCOMPARE(m_settings->proxyMode(), Settings::ProxyMode::None);
        QCOMPARE(proxy.size(), 3);
        // Nothing changed: nothing announced.
        dialog.reject();
        QCOMPARE(proxy.size(), 3);
    }

    void shouldApplyAHostTypedButNotConfirmedOnClose()
    {
        SettingsDialog dialog(*m_settings, *m_secrets);
        child<QRadioButton>(&dialog, "m_proxyManual")->click();
        child<QLineEdit>(&dialog, "m_proxyHost")->setText(u"late.example"_s);
        child<QDialogButtonBox>(&dialog, "m_buttons")->button(QDialogButtonBox::Close)->click();
        QCOMPARE(m_settings->proxyMode(), Settings::ProxyMode::Manual);
        QCOMPARE(m_settings->proxyHost(), u"late.example"_s);
    }

    void shouldAddAConnectionWithItsKeyInTheStore()
    {
        SettingsDialog dialog(*m_settings, *m_secrets);
        dialog.show();
        child<QPushButton>(&dialog, "m_addConnection")->click();
        ConnectionDialog *added = dialog.connectionDialog();
        QVERIFY(added);
        QVERIFY(!child<QPushButton>(&dialog, "m_addConnection")->isEnabled());
        auto *provider = child<QComboBox>(added, "m_provider");
        provider->setCurrentIndex(provider->findData(u"dashscope"_s));
        child<QLineEdit>(added, "m_name")->setText(u"Qwen at work"_s);
        child<QLineEdit>(added, "m_apiKey")->setText(u"sk-qwen"_s);
        QSignalSpy changed(m_settings.get(), &Settings::connectionsChanged);
        child<QDialogButtonBox>(added, "m_buttons")->button(QDialogButtonBox::Ok)->click();

        QTRY_COMPARE(m_settings->connections().size(), 1);
        const Connection connection = m_settings->connections().first();
        QCOMPARE(connection.name, u"Qwen at work"_s);
        QCOMPARE(connection.providerId, u"dashscope"_s);
        QCOMPARE(connection.model, u"qwen-plus"_s);
        QVERIFY(!connection.id.isEmpty());
        QCOMPARE(m_settings->activeConnectionId(), connection.id);
        QVERIFY(changed.size() >= 1);
        QCOMPARE(readSecret(*m_secrets, connection.secretKey()).value(), u"sk-qwen"_s);
        auto *list = child<QListWidget>(&dialog, "m_connectionList");
        QCOMPARE(list->count(), 1);
        QVERIFY(list->item(0)->text().contains(u"Qwen at work"_s));
        QTRY_VERIFY(child<QPushButton>(&dialog, "m_addConnection")->isEnabled());
    }

    void shouldEditAConnectionAndItsKey()
    {
        const Connection first = makeConnection(u"One"_s, u"openai"_s, u"gpt-4o-mini"_s);
        const Connection second = makeConnection(u"Two"_s, u"deepseek"_s, u"deepseek-chat"_s);
        m_settings->setConnections({first, second});
        QVERIFY(writeSecret(*m_secrets, second.secretKey(), u"sk-old"_s).ok());
        SettingsDialog dialog(*m_settings, *m_secrets);
        dialog.show();
        auto *list = child<QListWidget>(&dialog, "m_connectionList");
        QCOMPARE(list->count(), 2);
        list->setCurrentRow(1);
        child<QPushButton>(&dialog, "m_editConnection")->click();
        QTRY_VERIFY(dialog.connectionDialog());
        ConnectionDialog *edited = dialog.connectionDialog();
        QCOMPARE(edited->editor()->connection().id, second.id);
        QCOMPARE(child<QLineEdit>(edited, "m_apiKey")->text(), u"sk-old"_s);
        child<QComboBox>(edited, "m_model")->setEditText(u"deepseek-reasoner"_s);
        child<QLineEdit>(edited, "m_apiKey")->setText(u"sk-new"_s);
        child<QDialogButtonBox>(edited, "m_buttons")->button(QDialogButtonBox::Ok)->click();

        QTRY_COMPARE(m_settings->connections().value(1).model, u"deepseek-reasoner"_s);
        QCOMPARE(m_settings->connections().size(), 2);
        QCOMPARE(m_settings->connections().value(1).id, second.id);
        QCOMPARE(m_settings->connections().value(0), first);
        QCOMPARE(readSecret(*m_secrets, second.secretKey()).value(), u"sk-new"_s);
    }

    void shouldLeaveEverythingAsItWasWhenEditingIsCancelled()
    {
        const Connection only = makeConnection(u"Only"_s, u"openai"_s, u"gpt-4o-mini"_s);
        m_settings->setConnections({only});
        QVERIFY(writeSecret(*m_secrets, only.secretKey(), u"sk-keep"_s).ok());
        SettingsDialog dialog(*m_settings, *m_secrets);
        dialog.show();
        child<QPushButton>(&dialog, "m_editConnection")->click();
        QTRY_VERIFY(dialog.connectionDialog());
        child<QLineEdit>(dialog.connectionDialog(), "m_apiKey")->clear();
        dialog.connectionDialog()->reject();
        QTRY_VERIFY(!dialog.connectionDialog());
        QCOMPARE(m_settings->connections(), QList<Connection>{only});
        QCOMPARE(readSecret(*m_secrets, only.secretKey()).value(), u"sk-keep"_s);
    }

    void shouldRemoveAConnectionAfterAskingAndDeleteItsKey()
    {
        const Connection first = makeConnection(u"First"_s, u"openai"_s, u"gpt-4o-mini"_s);
        const Connection second = makeConnection(u"Second"_s, u"openrouter"_s, u"x/y"_s);
        m_settings->setConnections({first, second});
        m_settings->setActiveConnectionId(first.id);
        QVERIFY(writeSecret(*m_secrets, first.secretKey(), u"sk-first"_s).ok());
        SettingsDialog dialog(*m_settings, *m_secrets);
        auto *list = child<QListWidget>(&dialog, "m_connectionList");
        list->setCurrentRow(0);

        MessageBox::setNextAnswerForTesting(QMessageBox::Cancel);
        child<QPushButton>(&dialog, "m_removeConnection")->click();
        QCOMPARE(m_settings->connections().size(), 2);
        QCOMPARE(MessageBox::askedForTesting().size(), 1);
        QVERIFY(MessageBox::askedForTesting().first().contains(u"First"_s));

        MessageBox::setNextAnswerForTesting(QMessageBox::Yes);
        child<QPushButton>(&dialog, "m_removeConnection")->click();
        QCOMPARE(m_settings->connections(), QList<Connection>{second});
        QCOMPARE(m_settings->activeConnectionId(), second.id);
        QTRY_COMPARE(readSecret(*m_secrets, first.secretKey()).error().code, ErrorCode::NotFound);
        QCOMPARE(list->count(), 1);
    }

    void shouldCloseWithAConnectionDialogStillOpen()
    {
        auto dialog = std::make_unique<SettingsDialog>(*m_settings, *m_secrets);
        dialog->show();
        dialog->addConnection();
        QPointer<ConnectionDialog> added = dialog->connectionDialog();
        QVERIFY(added);
        dialog.reset();
        QVERIFY(!added);
        added = nullptr;

        // Rejected but not yet deleted (deleteLater), then the settings close.
        dialog = std::make_unique<SettingsDialog>(*m_settings, *m_secrets);
        dialog->addConnection();
        dialog->connectionDialog()->reject();
        dialog.reset();
        QTest::qWait(10);
        QVERIFY(m_settings->connections().isEmpty());
    }

    void shouldMakeAConnectionActive()
    {
        const Connection first = makeConnection(u"First"_s, u"openai"_s, u"gpt-4o-mini"_s);
        const Connection second = makeConnection(u"Second"_s, u"deepseek"_s, u"deepseek-chat"_s);
        m_settings->setConnections({first, second});
        m_settings->setActiveConnectionId(first.id);
        SettingsDialog dialog(*m_settings, *m_secrets);
        auto *list = child<QListWidget>(&dialog, "m_connectionList");
        auto *makeActive = child<QPushButton>(&dialog, "m_makeActive");
        list->setCurrentRow(0);
        QVERIFY(!makeActive->isEnabled());
        QVERIFY(list->item(0)->font().bold());
        list->setCurrentRow(1);
        QVERIFY(makeActive->isEnabled());
        QSignalSpy changed(m_settings.get(), &Settings::connectionsChanged);
        makeActive->click();
        QCOMPARE(m_settings->activeConnectionId(), second.id);
        QCOMPARE(changed.size(), 1);
        QVERIFY(list->item(1)->font().bold());
        QVERIFY(!list->item(0)->font().bold());
        QCOMPARE(list->currentRow(), 1);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MemorySecretStore> m_secrets;
};

QTEST_MAIN(SettingsDialogTest)
#include "tst_settingsdialog.moc"
