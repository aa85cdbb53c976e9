#include "storage/usagestore.h"
#include "storagetestutil.h"

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

class UsageStoreTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    qint64 m_alice = 0;
    qint64 m_bob = 0;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = openDatabase(m_dir->filePath(u"confab.db"_s));
        QVERIFY(m_db);
        m_alice = createUser(*m_db, u"alice"_s);
        m_bob = createUser(*m_db, u"bob"_s);
    }

    void cleanup()
    {
        m_db.reset();
        m_dir.reset();
    }

    void shouldAddToTheDaysRow()
    {
        UsageStore store(*m_db);
        const QDate day(2026, 3, 1);
        QVERIFY(store.add(m_alice, day, 1, 100, 50).ok());
        QVERIFY(store.add(m_alice, day, 1, 10, 5).ok());
        QVERIFY(store.add(m_alice, day, 0, 0, 1).ok());
        auto totals = store.totals(m_alice, day, day);
        QVERIFY(totals.ok());
        QCOMPARE(*totals, (UsageTotals{2, 110, 56}));
        QCOMPARE(totals->totalTokens(), 166);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM usage"_s), 1);
    }

    void shouldNotLoseCountsAcrossConnections()
    {
        // Two connections (two server workers) adding to the same row.
        auto other
            = openDatabase(m_db->path(), DatabaseOptions{false, std::chrono::seconds(5), false});
        QVERIFY(other);
        UsageStore first(*m_db);
        UsageStore second(*other);
        const QDate day(2026, 3, 1);
        for (int i = 0; i < 50; ++i) {
            QVERIFY(first.add(m_alice, day, 1, 2, 3).ok());
            QVERIFY(second.add(m_alice, day, 1, 2, 3).ok());
        }
        QCOMPARE(*first.totals(m_alice, day, day), (UsageTotals{100, 200, 300}));
    }

    void shouldSumARangeOfDays()
    {
        UsageStore store(*m_db);
        QVERIFY(store.add(m_alice, QDate(2026, 2, 28), 1, 1, 1).ok());
        QVERIFY(store.add(m_alice, QDate(2026, 3, 1), 2, 20, 20).ok());
        QVERIFY(store.add(m_alice, QDate(2026, 3, 31), 3, 300, 300).ok());
        QVERIFY(store.add(m_alice, QDate(2026, 4, 1), 4, 4000, 4000).ok());
        QVERIFY(store.add(m_bob, QDate(2026, 3, 15), 9, 9, 9).ok());

        QCOMPARE(*store.totals(m_alice, QDate(2026, 3, 1), QDate(2026, 3, 31)),
                 (UsageTotals{5, 320, 320}));
        QCOMPARE(*store.totals(m_alice, QDate(2025, 1, 1), QDate(2025, 12, 31)), UsageTotals{});
        auto days = store.days(m_alice, QDate(2026, 3, 1), QDate(2026, 4, 30));
        QCOMPARE(days->size(), 3);
        QCOMPARE(days->constFirst().day, QDate(2026, 3, 1));
        QCOMPARE(days->constLast().totals.requests, 4);
    }

    void shouldListEveryUsersDaysForAdmins()
    {
        UsageStore store(*m_db);
        QVERIFY(store.add(m_bob, QDate(2026, 3, 2), 1, 1, 1).ok());
        QVERIFY(store.add(m_alice, QDate(2026, 3, 2), 2, 2, 2).ok());
        QVERIFY(store.add(m_alice, QDate(2026, 3, 1), 3, 3, 3).ok());
        QVERIFY(store.add(m_alice, QDate(2026, 5, 1), 3, 3, 3).ok());
        auto rows = store.perUserPerDay(QDate(2026, 3, 1), QDate(2026, 3, 31));
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 3);
        QCOMPARE(rows->at(0).username, u"alice"_s);
        QCOMPARE(rows->at(0).day, QDate(2026, 3, 1));
        QCOMPARE(rows->at(1).username, u"alice"_s);
        QCOMPARE(rows->at(2).username, u"bob"_s);
        QCOMPARE(rows->at(2).userId, m_bob);
        QCOMPARE(rows->at(2).totals, (UsageTotals{1, 1, 1}));
    }

    void shouldRejectBadInput()
    {
        UsageStore store(*m_db);
        QCOMPARE(store.add(m_alice, QDate(), 1, 0, 0).error().code, ErrorCode::InvalidInput);
        QCOMPARE(store.add(m_alice, QDate(2026, 1, 1), -1, 0, 0).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(store.add(424242, QDate(2026, 1, 1), 1, 0, 0).error().code, ErrorCode::NotFound);
        QCOMPARE(store.totals(m_alice, QDate(), QDate()).error().code, ErrorCode::InvalidInput);
    }
};

QTEST_GUILESS_MAIN(UsageStoreTest)
#include "tst_usagestore.moc"
