#include "dialogs/connectioneditor.h"
#include "dialogs/messagebox.h"
#include "dialogs/secretstorefactory.h"
#include "dialogs/welcomedialog.h"
#include "dialogtestutil.h"
#include "fakeupstream.h"
#include "settings/settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace confab;
using confab::testing::child;
using confab::testing::readSecret;

// The first run: a provider connection set up against a FakeUpstream, and the question of
// where its key lives when no keychain answers.
class WelcomeDialogTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationName(u"confab-tst-welcomedialog"_s);
        MessageBox::clearForTesting();
    }

    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = std::make_unique<Settings>(
            m_dir.filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) + u".ini"_s));
        m_fake = std::make_unique<FakeUpstream>();
        QVERIFY(m_fake->listen());
        m_fake->setRequiredApiKey(u"sk-good"_s);
        m_fake->setModels({u"alpha"_s, u"beta"_s});
        QFile::remove(SecretStoreFactory::plainFilePath(*m_settings));
        SecretStoreFactory::setProbeResultForTesting(false);
    }

    void cleanup()
    {
        m_fake.reset();
        QFile::remove(SecretStoreFactory::plainFilePath(*m_settings));
        m_settings.reset();
        SecretStoreFactory::setProbeResultForTesting(std::nullopt);
        SecretStoreFactory::setKeychainServiceForTesting(QString());
        QVERIFY(MessageBox::askedForTesting().isEmpty());
    }

    void shouldSetUpTheFirstConnectionAgainstTheProvider()
    {
        WelcomeDialog dialog(*m_settings);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.keychainAvailable().has_value());
        QPushButton *start = startButton(dialog);
        QVERIFY(!start->isEnabled());

        ConnectionEditor *editor = dialog.editor();
        auto *provider = child<QComboBox>(&dialog, "m_provider");
        provider->setCurrentIndex(provider->findData(u"custom"_s));
        child<QLineEdit>(&dialog, "m_baseUrl")->setText(m_fake->baseUrl().toString());
        child<QLineEdit>(&dialog, "m_apiKey")->setText(u"sk-wrong"_s);

        // A wrong key: said inline, the dialog stays as it is.
        QSignalSpy checked(editor, &ConnectionEditor::checkFinished);
        child<QPushButton>(&dialog, "m_fetchModels")->click();
        QVERIFY(checked.wait(10000));
        QCOMPARE(checked.takeFirst().first().toBool(), false);
        QVERIFY(child<QLabel>(&dialog, "m_status")->text().contains(u"API key is wrong"_s));
        QVERIFY(dialog.isVisible());

        auto *key = child<QLineEdit>(&dialog, "m_apiKey");
        key->clear();
        QTest::keyClicks(key, u"sk-good"_s);
        child<QPushButton>(&dialog, "m_fetchModels")->click();
        QVERIFY(checked.wait(10000));
        QCOMPARE(checked.takeFirst().first().toBool(), true);
        auto *model = child<QComboBox>(&dialog, "m_model");
        QCOMPARE(model->count(), 2);
        model->setCurrentIndex(1);
        child<QPushButton>(&dialog, "m_testConnection")->click();
        QVERIFY(checked.wait(10000));
        QCOMPARE(checked.takeFirst().first().toBool(), true);
        QCOMPARE(m_fake->lastRequest().json().value("model"_L1).toString(), u"beta"_s);

        QVERIFY(start->isEnabled());
        QSignalSpy connectionsChanged(m_settings.get(), &Settings::connectionsChanged);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        start->click();
        QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 1, 10000);
        QVERIFY(connectionsChanged.size() >= 1);

        const QList<Connection> connections = m_settings->connections();
        QCOMPARE(connections.size(), 1);
        const Connection connection = connections.first();
        QVERIFY(!QUuid::fromString(connection.id).isNull());
        QCOMPARE(connection.providerId, u"custom"_s);
        QCOMPARE(connection.baseUrl, m_fake->baseUrl());
        QCOMPARE(connection.model, u"beta"_s);
        QCOMPARE(connection.kind, Connection::Kind::Provider);
        QCOMPARE(m_settings->activeConnectionId(), connection.id);
        QVERIFY(!m_settings->plainFileSecretsAllowed());

        std::unique_ptr<SecretStore> store = dialog.takeSecretStore();
        QVERIFY(store);
        QCOMPARE(store->kind(), SecretStore::Kind::SessionOnly);
        auto secret = readSecret(*store, connection.secretKey());
        QVERIFY2(secret.ok(), qPrintable(secret.error().toString()));
        QCOMPARE(*secret, u"sk-good"_s);
        QVERIFY(!QFile::exists(SecretStoreFactory::plainFilePath(*m_settings)));
    }

    void shouldSaySoPlainlyWhenNoKeychainAnswers()
    {
        WelcomeDialog dialog(*m_settings);
        dialog.show();
        QSignalSpy probed(&dialog, &WelcomeDialog::keychainProbed);
        QVERIFY(probed.wait(10000));
        QCOMPARE(dialog.keychainAvailable(), std::optional(false));
        QVERIFY(child<QLabel>(&dialog, "m_storageText")->text().contains(u"No system keychain"_s));
        auto *sessionOnly = child<QRadioButton>(&dialog, "m_sessionOnly");
        auto *plainFile = child<QRadioButton>(&dialog, "m_plainFile");
        auto *acknowledged = child<QCheckBox>(&dialog, "m_plainFileAcknowledged");
        QVERIFY(sessionOnly->isVisible());
        QVERIFY(plainFile->isVisible());
        QVERIFY(sessionOnly->isChecked());
        QVERIFY(!acknowledged->isEnabled());
        QCOMPARE(dialog.chosenStorage(), SecretStore::Kind::SessionOnly);
    }

    void shouldStoreInAPlainFileOnlyWithTheAcknowledgement()
    {
        WelcomeDialog dialog(*m_settings);
        dialog.show();
        QTRY_VERIFY(dialog.keychainAvailable().has_value());
        fillOpenAi(dialog, u"sk-plain"_s);
        QPushButton *start = startButton(dialog);
        QVERIFY(start->isEnabled());

        auto *plainFile = child<QRadioButton>(&dialog, "m_plainFile");
        auto *acknowledged = child<QCheckBox>(&dialog, "m_plainFileAcknowledged");
        plainFile->click();
        QVERIFY(acknowledged->isEnabled());
        QVERIFY(!acknowledged->isChecked());
        QVERIFY2(!start->isEnabled(), "a plain file needs the user's explicit agreement");
        QCOMPARE(dialog.chosenStorage(), SecretStore::Kind::SessionOnly);
        dialog.accept();
        QVERIFY(dialog.isVisible());

        acknowledged->click();
        QVERIFY(start->isEnabled());
        QCOMPARE(dialog.chosenStorage(), SecretStore::Kind::PlainFile);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        start->click();
        QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 1, 10000);

        QVERIFY(m_settings->plainFileSecretsAllowed());
        const Connection connection = m_settings->activeConnection().value();
        QCOMPARE(connection.providerId, u"openai"_s);
        std::unique_ptr<SecretStore> store = dialog.takeSecretStore();
        QCOMPARE(store->kind(), SecretStore::Kind::PlainFile);
        QFile file(SecretStoreFactory::plainFilePath(*m_settings));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("sk-plain"));
        // The next start finds the key there.
        auto reopened = SecretStoreFactory::make(SecretStore::Kind::PlainFile, *m_settings);
        QCOMPARE(readSecret(*reopened, connection.secretKey()).value(), u"sk-plain"_s);
    }

    void shouldForgetTheAcknowledgementWhenTheChoiceChanges()
    {
        WelcomeDialog dialog(*m_settings);
        dialog.show();
        QTRY_VERIFY(dialog.keychainAvailable().has_value());
        child<QRadioButton>(&dialog, "m_plainFile")->click();
        child<QCheckBox>(&dialog, "m_plainFileAcknowledged")->click();
        child<QRadioButton>(&dialog, "m_sessionOnly")->click();
        QVERIFY(!child<QCheckBox>(&dialog, "m_plainFileAcknowledged")->isChecked());
        QCOMPARE(dialog.chosenStorage(), SecretStore::Kind::SessionOnly);
    }

    void shouldNotAskWhenAKeychainAnswers()
    {
        SecretStoreFactory::setProbeResultForTesting(true);
        WelcomeDialog dialog(*m_settings);
        dialog.show();
        QTRY_VERIFY(dialog.keychainAvailable().has_value());
        QCOMPARE(dialog.keychainAvailable(), std::optional(true));
        QVERIFY(!child<QRadioButton>(&dialog, "m_sessionOnly")->isVisible());
        QVERIFY(!child<QRadioButton>(&dialog, "m_plainFile")->isVisible());
        QVERIFY(child<QLabel>(&dialog, "m_storageText")->text().contains(u"keychain"_s));
        QCOMPARE(dialog.chosenStorage(), SecretStore::Kind::Keychain);
    }

    void shouldNotAskAboutKeysForAProviderWithoutThem()
    {
        WelcomeDialog dialog(*m_settings);
        dialog.show();
        QTRY_VERIFY(dialog.keychainAvailable().has_value());
        auto *provider = child<QComboBox>(&dialog, "m_provider");
        provider->setCurrentIndex(provider->findData(u"ollama"_s));
        QVERIFY(!child<QGroupBox>(&dialog, "m_storage")->isVisible());
        child<QComboBox>(&dialog, "m_model")->setEditText(u"llama3"_s);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        startButton(dialog)->click();
        QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 1, 10000);
        QCOMPARE(m_settings->activeConnection()->providerId, u"ollama"_s);
        QCOMPARE(m_settings->activeConnection()->baseUrl, QUrl(u"http://localhost:11434/v1"_s));
    }

    void shouldNotStartWithoutTheKeyAProviderNeeds()
    {
        WelcomeDialog dialog(*m_settings);
        dialog.show();
        QTRY_VERIFY(dialog.keychainAvailable().has_value());
        auto *provider = child<QComboBox>(&dialog, "m_provider");
        provider->setCurrentIndex(provider->findData(u"openai"_s));
        QVERIFY(!startButton(dialog)->isEnabled());
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY(m_settings->connections().isEmpty());
    }

    // Against a real Secret Service: ./dev test runs the suite in a D-Bus session with an
    // unlocked gnome-keyring of its own.
    void shouldKeepTheKeyInTheSystemKeychain()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("needs a D-Bus session with a Secret Service (./dev test provides one)");
        SecretStoreFactory::setProbeResultForTesting(std::nullopt);
        SecretStoreFactory::setKeychainServiceForTesting(u"confab-tst-welcomedialog"_s);
        WelcomeDialog dialog(*m_settings);
        dialog.show();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.keychainAvailable().has_value(), 10000);
        QCOMPARE(dialog.keychainAvailable(), std::optional(true));
        fillOpenAi(dialog, u"sk-in-keychain"_s);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        startButton(dialog)->click();
        QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 1, 10000);
        std::unique_ptr<SecretStore> store = dialog.takeSecretStore();
        QCOMPARE(store->kind(), SecretStore::Kind::Keychain);
        const QString key = m_settings->activeConnection()->secretKey();
        QCOMPARE(readSecret(*store, key).value(), u"sk-in-keychain"_s);
        QVERIFY(!QFile::exists(SecretStoreFactory::plainFilePath(*m_settings)));
        std::optional<Result<void>> removed;
        store->remove(key, this, [&removed](Result<void> result) { removed = result; });
        QTRY_VERIFY(removed.has_value());
    }

private:
    static QPushButton *startButton(WelcomeDialog &dialog)
    {
        return child<QDialogButtonBox>(&dialog, "m_buttons")->button(QDialogButtonBox::Ok);
    }

    static void fillOpenAi(WelcomeDialog &dialog, const QString &key)
    {
        auto *provider = child<QComboBox>(&dialog, "m_provider");
        provider->setCurrentIndex(provider->findData(u"openai"_s));
        child<QLineEdit>(&dialog, "m_apiKey")->setText(key);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<FakeUpstream> m_fake;
};

QTEST_MAIN(WelcomeDialogTest)
#include "tst_welcomedialog.moc"
