#include "awaitresult.h"
#include "secrets/filesecretstore.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace confab;

using confab::testing::await;

namespace {

void checkRoundTrip(SecretStore &store)
{
    const QString key = u"provider/openai/"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString secret = u"sk-test-密钥-"_s + QUuid::createUuid().toString();

    auto missing = await<QString>([&](QObject *c, auto h) { store.read(key, c, h); });
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);

    auto written = await<void>([&](QObject *c, auto h) { store.write(key, secret, c, h); });
    QVERIFY2(written.ok(), qPrintable(written.error().toString()));
    auto read = await<QString>([&](QObject *c, auto h) { store.read(key, c, h); });
    QVERIFY2(read.ok(), qPrintable(read.error().toString()));
    QCOMPARE(*read, secret);

    auto removed = await<void>([&](QObject *c, auto h) { store.remove(key, c, h); });
    QVERIFY(removed.ok());
    auto gone = await<QString>([&](QObject *c, auto h) { store.read(key, c, h); });
    QCOMPARE(gone.error().code, ErrorCode::NotFound);
    auto removedAgain = await<void>([&](QObject *c, auto h) { store.remove(key, c, h); });
    QVERIFY(removedAgain.ok());
}

} // namespace

class SecretStoreTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void shouldKeepSecretsForTheSession()
    {
        MemorySecretStore store;
        checkRoundTrip(store);
    }

    void shouldKeepSecretsInAnOwnerOnlyFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"secrets/secrets.json"_s);
        FileSecretStore store(path);
        checkRoundTrip(store);
        auto written = await<void>([&](QObject *c, auto h) { store.write(u"k"_s, u"v"_s, c, h); });
        QVERIFY(written.ok());
        const auto permissions = QFile::permissions(path);
        QVERIFY(permissions.testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
            | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
        QVERIFY(!(permissions & others));
        // A second store on the same file sees it (the app's next start).
        FileSecretStore again(path);
        auto read = await<QString>([&](QObject *c, auto h) { again.read(u"k"_s, c, h); });
        QCOMPARE(read.value(), u"v"_s);
    }

    void shouldReportADamagedFileAndNotOverwriteIt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"secrets.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{not json");
        file.close();
        FileSecretStore store(path);
        auto read = await<QString>([&](QObject *c, auto h) { store.read(u"k"_s, c, h); });
        QCOMPARE(read.error().code, ErrorCode::Internal);
        auto written = await<void>([&](QObject *c, auto h) { store.write(u"k"_s, u"v"_s, c, h); });
        QVERIFY(!written.ok());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("{not json"));
    }

    // Against a real Secret Service: ./dev test runs the suite in a D-Bus session with an
    // unlocked gnome-keyring of its own.
    void shouldKeepSecretsInTheSystemKeychain()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("needs a D-Bus session with a Secret Service (./dev test provides one)");
        bool available = false;
        bool answered = false;
        QObject context;
        KeychainSecretStore::probe(u"confab-test"_s, &context, [&](bool ok) {
            available = ok;
            answered = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
        QVERIFY2(available, "no Secret Service answers in this D-Bus session");

        KeychainSecretStore store(u"confab-test"_s);
        checkRoundTrip(store);
    }
};

QTEST_GUILESS_MAIN(SecretStoreTest)
#include "tst_secretstore.moc"
