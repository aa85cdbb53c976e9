#include "dialogs/secretstorefactory.h"
#include "dialogtestutil.h"
#include "settings/settings.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

// Where keys live on a later start: keychain, else the plain file the user agreed to, else
// this session only.
class SecretStoreFactoryTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationName(u"confab-tst-secretstorefactory"_s);
        QVERIFY(m_dir.isValid());
    }

    void cleanup() { SecretStoreFactory::setProbeResultForTesting(std::nullopt); }

    void shouldChooseByKeychainAndConsent_data()
    {
        QTest::addColumn<bool>("keychain");
        QTest::addColumn<bool>("plainFileAllowed");
        QTest::addColumn<SecretStore::Kind>("expected");
        QTest::newRow("keychain") << true << false << SecretStore::Kind::Keychain;
        QTest::newRow("keychain wins over a plain file")
            << true << true << SecretStore::Kind::Keychain;
        QTest::newRow("plain file by consent") << false << true << SecretStore::Kind::PlainFile;
        QTest::newRow("session only") << false << false << SecretStore::Kind::SessionOnly;
    }

    void shouldChooseByKeychainAndConsent()
    {
        QFETCH(bool, keychain);
        QFETCH(bool, plainFileAllowed);
        QFETCH(SecretStore::Kind, expected);
        Settings settings(m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + u".ini"_s));
        settings.setPlainFileSecretsAllowed(plainFileAllowed);
        SecretStoreFactory::setProbeResultForTesting(keychain);

        std::unique_ptr<SecretStore> store;
        bool answered = false;
        QObject context;
        SecretStoreFactory::create(settings, &context, [&](std::unique_ptr<SecretStore> created) {
            store = std::move(created);
            answered = true;
        });
        QVERIFY2(!answered, "the answer comes from the event loop");
        QTRY_VERIFY(answered);
        QVERIFY(store);
        QCOMPARE(store->kind(), expected);
    }

    void shouldNotAnswerAGoneContext()
    {
        SecretStoreFactory::setProbeResultForTesting(false);
        bool answered = false;
        auto context = std::make_unique<QObject>();
        SecretStoreFactory::probe(context.get(), [&](bool) { answered = true; });
        context.reset();
        QTest::qWait(50);
        QVERIFY(!answered);
    }

    void shouldKeepThePlainFileInTheAppDataFolder()
    {
        Settings settings;
        const QString path = SecretStoreFactory::plainFilePath(settings);
        QCOMPARE(path,
                 QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                     .filePath(u"secrets.json"_s));
    }

    // confab --data-dir DIR keeps its settings in DIR/confab.ini, and its key file beside them.
    void shouldKeepThePlainFileInAPortableDataFolder()
    {
        const QString folder = m_dir.filePath(u"portable"_s);
        Settings settings(QDir(folder).filePath(u"confab.ini"_s));
        settings.setPlainFileSecretsAllowed(true);
        QCOMPARE(SecretStoreFactory::plainFilePath(settings),
                 QDir(folder).filePath(u"secrets.json"_s));

        SecretStoreFactory::setProbeResultForTesting(false);
        std::unique_ptr<SecretStore> store;
        QObject context;
        SecretStoreFactory::create(settings, &context, [&](std::unique_ptr<SecretStore> created) {
            store = std::move(created);
        });
        QTRY_VERIFY(store);
        QVERIFY(testing::writeSecret(*store, u"connection/1"_s, u"sk-portable"_s).ok());
        QVERIFY(QFile::exists(QDir(folder).filePath(u"secrets.json"_s)));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(SecretStoreFactoryTest)
#include "tst_secretstorefactory.moc"
