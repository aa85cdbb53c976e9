#include "../screenshotlooks.h"
#include "awaitresult.h"
#include "dialogs/statuslabel.h"
#include "fakeupstream.h"
#include "hosting/embeddedserver.h"
#include "hosting/hostserverdialog.h"
#include "mainwindow/languageswitcher.h"
#include "secrets/memorysecretstore.h"
#include "settings/settings.h"
#include "settings/theme.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

// The hosting dialog driven as a user would: it starts a real EmbeddedServer on a temporary
// database with the fake upstream behind it.
class HostServerDialogTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_upstream = std::make_unique<FakeUpstream>();
        QVERIFY(m_upstream->listen());
        m_upstream->setRequiredApiKey(u"sk-hosted"_s);
        m_settings = std::make_unique<Settings>(m_dir->filePath(u"confab.ini"_s));
        Connection provider;
        provider.id = u"p1"_s;
        provider.name = u"Fake AI"_s;
        provider.providerId = u"custom"_s;
        provider.baseUrl = m_upstream->baseUrl();
        provider.model = u"fake-model"_s;
        Connection team;
        team.id = u"s1"_s;
        team.kind = Connection::Kind::Server;
        team.name = u"Office"_s;
        team.baseUrl = QUrl(u"http://office:8080"_s);
        m_settings->setConnections({team, provider});
        m_secrets = std::make_unique<MemorySecretStore>();
        QVERIFY(testing::await<void>([&](QObject *context, auto handler) {
            m_secrets->write(provider.secretKey(), u"sk-hosted"_s, context, handler);
        }));
        m_server = std::make_unique<EmbeddedServer>(*m_secrets);
        m_dialog = std::make_unique<HostServerDialog>(*m_settings, *m_secrets, *m_server);
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
    }

    void cleanup()
    {
        m_dialog.reset();
        m_server.reset();
        m_secrets.reset();
        m_settings.reset();
        m_upstream.reset();
        m_dir.reset();
        m_language.apply(u"en"_s);
        Theme::apply(*qApp, Settings::Theme::Light);
    }

    void shouldOfferOnlyProviderConnectionsAndTheDataDirectory()
    {
        auto *connections = child<QComboBox>(u"m_connectionCombo"_s);
        QCOMPARE(connections->count(), 1);
        QCOMPARE(connections->currentText(), u"Fake AI (fake-model)"_s);
        QCOMPARE(child<QLineEdit>(u"m_databaseEdit"_s)->text(),
                 QDir(m_settings->dataDirectory()).filePath(u"team-server.db"_s));
        QVERIFY(child<QRadioButton>(u"m_networkRadio"_s)->isChecked());
        QVERIFY(!child<QGroupBox>(u"m_addressGroup"_s)->isVisible());
        QVERIFY(!child<QPushButton>(u"m_stopButton"_s)->isVisible());
    }

    void shouldStartShowTheAddressCopyItAndStop()
    {
        fillForLocalUse();
        QTest::mouseClick(child<QPushButton>(u"m_startButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->isRunning(), 20000);
        QTRY_VERIFY(child<QGroupBox>(u"m_addressGroup"_s)->isVisible());
        QCOMPARE(child<QLabel>(u"m_addressLabel"_s)->text(), m_server->serverUrl().toString());
        QVERIFY(!child<QGroupBox>(u"m_settingsGroup"_s)->isEnabled());
        QVERIFY(child<QLabel>(u"m_adminLabel"_s)->text().contains(LocalAdmin::username()));

        QTest::mouseClick(child<QPushButton>(u"m_copyButton"_s), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), m_server->serverUrl().toString());

        QSignalSpy stopped(m_server.get(), &EmbeddedServer::stopped);
        QTest::mouseClick(child<QPushButton>(u"m_stopButton"_s), Qt::LeftButton);
        QVERIFY(stopped.wait());
        QVERIFY(child<QGroupBox>(u"m_settingsGroup"_s)->isEnabled());
        QVERIFY(child<QPushButton>(u"m_startButton"_s)->isVisible());
        QVERIFY(!child<QGroupBox>(u"m_addressGroup"_s)->isVisible());
        QCOMPARE(child<StatusLabel>(u"m_status"_s)->text(), u"The server has stopped."_s);
    }

    void shouldShowTheRunningServersOptionsWhenOpenedAgain()
    {
        fillForLocalUse();
        auto *registration = child<QComboBox>(u"m_registrationCombo"_s);
        registration->setCurrentIndex(registration->findData(u"closed"_s));
        QTest::mouseClick(child<QPushButton>(u"m_startButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->isRunning(), 20000);

        m_dialog = std::make_unique<HostServerDialog>(*m_settings, *m_secrets, *m_server);
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
        QVERIFY(!child<QGroupBox>(u"m_settingsGroup"_s)->isEnabled());
        QVERIFY(child<QRadioButton>(u"m_localRadio"_s)->isChecked());
        QCOMPARE(child<QSpinBox>(u"m_portSpin"_s)->value(), 0);
        QCOMPARE(child<QLineEdit>(u"m_databaseEdit"_s)->text(),
                 m_dir->filePath(u"team-server.db"_s));
        QCOMPARE(child<QComboBox>(u"m_registrationCombo"_s)->currentData().toString(), u"closed"_s);
        QCOMPARE(child<QComboBox>(u"m_connectionCombo"_s)->currentData().toString(), u"p1"_s);
        QVERIFY(
            child<QLabel>(u"m_addressLabel"_s)->text().contains(m_server->serverUrl().toString()));
        QVERIFY(m_server->options().upstreamApiKey.isEmpty());
    }

    void shouldSayWhyItDidNotStart()
    {
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost));
        fillForLocalUse();
        child<QSpinBox>(u"m_portSpin"_s)->setValue(occupant.serverPort());
        QTest::mouseClick(child<QPushButton>(u"m_startButton"_s), Qt::LeftButton);
        auto *status = child<StatusLabel>(u"m_status"_s);
        QTRY_COMPARE_WITH_TIMEOUT(status->kind(), StatusLabel::Kind::Error, 20000);
        QVERIFY2(status->text().contains(QString::number(occupant.serverPort())),
                 qPrintable(status->text()));
        QVERIFY(child<QGroupBox>(u"m_settingsGroup"_s)->isEnabled());
        QVERIFY(child<QPushButton>(u"m_startButton"_s)->isEnabled());
    }

    // Not a check: pictures of the dialog before and after start (CONFAB_SCREENSHOT_DIR).
    void shouldRenderForScreenshots_data() { testing::addScreenshotLooks(); }

    void shouldRenderForScreenshots()
    {
        const QString directory = qEnvironmentVariable("CONFAB_SCREENSHOT_DIR");
        if (directory.isEmpty())
            QSKIP("set CONFAB_SCREENSHOT_DIR to write screenshots");
        QFETCH(QString, language);
        QFETCH(Settings::Theme, theme);
        m_language.apply(language);
        Theme::apply(*qApp, theme);
        // Texts are set when the dialog is made: make it again in this language.
        m_dialog = std::make_unique<HostServerDialog>(*m_settings, *m_secrets, *m_server);
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
        child<QSpinBox>(u"m_portSpin"_s)->setValue(0);
        child<QLineEdit>(u"m_databaseEdit"_s)->setText(m_dir->filePath(u"team-server.db"_s));
        QDir().mkpath(directory);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        QTest::qWait(100);
        QVERIFY(m_dialog->grab().save(
            QDir(directory).filePath(u"hostserver-%1-before.png"_s.arg(tag))));

        QTest::mouseClick(child<QPushButton>(u"m_startButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(child<QGroupBox>(u"m_addressGroup"_s)->isVisible(), 20000);
        QTest::qWait(100);
        QVERIFY(
            m_dialog->grab().save(QDir(directory).filePath(u"hostserver-%1-after.png"_s.arg(tag))));
        QSignalSpy stopped(m_server.get(), &EmbeddedServer::stopped);
        m_server->stop();
        QVERIFY(stopped.wait());
    }

private:
    template<typename T>
    T *child(const QString &name) const
    {
        auto *found = m_dialog->findChild<T *>(name);
        if (!found)
            qFatal("no child %s", qPrintable(name));
        return found;
    }

    void fillForLocalUse()
    {
        child<QSpinBox>(u"m_portSpin"_s)->setValue(0);
        child<QLineEdit>(u"m_databaseEdit"_s)->setText(m_dir->filePath(u"team-server.db"_s));
        child<QRadioButton>(u"m_localRadio"_s)->setChecked(true);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeUpstream> m_upstream;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<EmbeddedServer> m_server;
    std::unique_ptr<HostServerDialog> m_dialog;
    LanguageSwitcher m_language;
};

QTEST_MAIN(HostServerDialogTest)
#include "tst_hostserverdialog.moc"
