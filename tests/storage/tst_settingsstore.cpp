#include "storage/settingsstore.h"
#include "storagetestutil.h"

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

class SettingsStoreTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = openDatabase(m_dir->filePath(u"confab.db"_s));
        QVERIFY(m_db);
    }

    void cleanup()
    {
        m_db.reset();
        m_dir.reset();
    }

    void shouldSetReplaceAndRemoveValues()
    {
        SettingsStore store(*m_db);
        QCOMPARE(*store.get(u"registration"_s), std::nullopt);
        QVERIFY(store.set(u"registration"_s, u"approval"_s).ok());
        QVERIFY(store.set(u"context_messages"_s, u"15"_s).ok());
        QCOMPARE(*store.get(u"registration"_s), std::optional(u"approval"_s));
        QVERIFY(store.set(u"registration"_s, u"closed"_s).ok());
        QCOMPARE(*store.get(u"registration"_s), std::optional(u"closed"_s));
        QVERIFY(store.set(u"empty"_s, QString()).ok());
        QCOMPARE(*store.get(u"empty"_s), std::optional(QString()));

        const QMap<QString, QString> expected{{u"context_messages"_s, u"15"_s},
                                              {u"empty"_s, QString()},
                                              {u"registration"_s, u"closed"_s}};
        QCOMPARE(*store.all(), expected);
        QVERIFY(store.remove(u"registration"_s).ok());
        QCOMPARE(*store.get(u"registration"_s), std::nullopt);
        QCOMPARE(store.set(QString(), u"x"_s).error().code, ErrorCode::InvalidInput);
    }

    void shouldKeepValuesAcrossReopening()
    {
        QVERIFY(SettingsStore(*m_db).set(u"min_interval"_s, u"5"_s).ok());
        m_db.reset();
        m_db = openDatabase(m_dir->filePath(u"confab.db"_s));
        QCOMPARE(*SettingsStore(*m_db).get(u"min_interval"_s), std::optional(u"5"_s));
    }
};

QTEST_GUILESS_MAIN(SettingsStoreTest)
#include "tst_settingsstore.moc"
