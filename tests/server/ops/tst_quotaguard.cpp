#include "ops/quotaguard.h"
#include "storage/usagestore.h"
#include "storagetestutil.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

namespace {

QDateTime utc(int year, int month, int day, int hour = 12, int minute = 0, int second = 0,
              int ms = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, ms), Qt::UTC);
}

} // namespace

class QuotaGuardTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<UsageStore> m_usage;
    User m_user;
    QDateTime m_now;

    QuotaGuard::Clock clock()
    {
        return [this] { return m_now; };
    }

    // Reserves and commits one request.
    void spend(QuotaGuard &guard, qint64 promptTokens = 0, qint64 completionTokens = 0)
    {
        auto ticket = guard.reserve(m_user);
        QVERIFY2(ticket.ok(), qPrintable(ticket.error().toString()));
        QVERIFY(ticket->commit(promptTokens, completionTokens).ok());
    }

    QuotaDenial denied(QuotaGuard &guard)
    {
        QuotaDenial denial;
        auto ticket = guard.reserve(m_user, &denial);
        if (ticket.ok() || ticket.error().code != ErrorCode::QuotaExceeded)
            qWarning("expected QuotaExceeded");
        return denial;
    }

    UsageTotals storedOn(QDate day) { return *m_usage->totals(m_user.id, day, day); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = openDatabase(m_dir->filePath(u"confab.db"_s));
        QVERIFY(m_db);
        m_usage = std::make_unique<UsageStore>(*m_db);
        m_user = User{};
        m_user.id = createUser(*m_db, u"alice"_s);
        m_user.username = u"alice"_s;
        QVERIFY(m_user.id > 0);
        m_now = utc(2026, 3, 10);
    }

    void cleanup()
    {
        m_usage.reset();
        m_db.reset();
        m_dir.reset();
    }

    void shouldStopAtTheDailyRequestQuotaUntilMidnight()
    {
        m_user.dailyRequests = 2;
        QuotaGuard guard(*m_usage, clock());
        spend(guard);
        spend(guard);
        QuotaDenial denial;
        auto refused = guard.reserve(m_user, &denial);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::QuotaExceeded);
        QCOMPARE(refused.error().message,
                 u"daily request quota reached (2 of 2 used); it resets at 2026-03-11T00:00:00Z"_s);
        QCOMPARE(denial, (QuotaDenial{u"daily_requests"_s, 2, 2, utc(2026, 3, 11, 0)}));
        QCOMPARE(denial.toJson(),
                 (QJsonObject{{u"quota"_s, u"daily_requests"_s},
                              {u"limit"_s, 2},
                              {u"used"_s, 2},
                              {u"resets_at"_s, u"2026-03-11T00:00:00Z"_s}}));

        m_now = utc(2026, 3, 10, 23, 59, 59, 999);
        QVERIFY(!guard.reserve(m_user).ok());
        m_now = utc(2026, 3, 11, 0);
        spend(guard);
    }

    void shouldStopAtTheMonthlyRequestQuotaUntilTheFirst()
    {
        m_user.monthlyRequests = 3;
        QuotaGuard guard(*m_usage, clock());
        m_now = utc(2026, 1, 30);
        spend(guard);
        m_now = utc(2026, 1, 31);
        spend(guard);
        spend(guard);
        QCOMPARE(denied(guard), (QuotaDenial{u"monthly_requests"_s, 3, 3, utc(2026, 2, 1, 0)}));
        m_now = utc(2026, 2, 1, 0);
        spend(guard);

        // December's month ends in the next year.
        m_now = utc(2026, 12, 31, 23);
        spend(guard);
        spend(guard);
        spend(guard);
        QCOMPARE(denied(guard).resetsAt, utc(2027, 1, 1, 0));
    }

    void shouldStopAtTheDailyTokenQuota()
    {
        m_user.dailyTokens = 100;
        QuotaGuard guard(*m_usage, clock());
        spend(guard, 60, 30);
        spend(guard, 5, 5); // 90 used: still under, so this one may run over
        QCOMPARE(denied(guard), (QuotaDenial{u"daily_tokens"_s, 100, 100, utc(2026, 3, 11, 0)}));
        m_now = utc(2026, 3, 11, 0, 0, 1);
        spend(guard);
    }

    void shouldStopAtTheMonthlyTokenQuota()
    {
        m_user.monthlyTokens = 1000;
        m_user.dailyTokens = 10'000;
        QuotaGuard guard(*m_usage, clock());
        m_now = utc(2026, 4, 29);
        spend(guard, 900, 50);
        m_now = utc(2026, 4, 30);
        spend(guard, 100, 200);
        QCOMPARE(denied(guard), (QuotaDenial{u"monthly_tokens"_s, 1000, 1250, utc(2026, 5, 1, 0)}));
        m_now = utc(2026, 5, 1, 0);
        spend(guard);
    }

    void shouldReportTheMonthlyQuotaWhenBothAreReached()
    {
        m_user.dailyRequests = 1;
        m_user.monthlyRequests = 1;
        QuotaGuard guard(*m_usage, clock());
        spend(guard);
        QCOMPARE(denied(guard).quota, u"monthly_requests"_s);
    }

    void shouldRefuseEverythingAtAZeroLimit()
    {
        m_user.dailyTokens = 0;
        QuotaGuard guard(*m_usage, clock());
        QCOMPARE(denied(guard).quota, u"daily_tokens"_s);
    }

    void shouldNeverOverdrawWithRequestsInFlight()
    {
        m_user.dailyRequests = 5;
        QuotaGuard guard(*m_usage, clock());
        std::vector<QuotaTicket> tickets;
        int refused = 0;
        for (int i = 0; i < 20; ++i) {
            auto ticket = guard.reserve(m_user);
            if (ticket.ok())
                tickets.push_back(std::move(ticket).value());
            else if (ticket.error().code == ErrorCode::QuotaExceeded)
                ++refused;
        }
        QCOMPARE(tickets.size(), size_t(5));
        QCOMPARE(refused, 15);
        QCOMPARE(guard.inFlight(m_user.id), 5);
        QCOMPARE(denied(guard).used, 5);

        // A request that never ran frees its place without counting.
        tickets.pop_back();
        QCOMPARE(guard.inFlight(m_user.id), 4);
        auto again = guard.reserve(m_user);
        QVERIFY(again.ok());
        tickets.push_back(std::move(again).value());

        for (QuotaTicket &ticket : tickets)
            QVERIFY(ticket.commit(10, 1).ok());
        QCOMPARE(guard.inFlight(m_user.id), 0);
        QCOMPARE(storedOn(m_now.date()), (UsageTotals{5, 50, 5}));
        QCOMPARE(denied(guard).used, 5);
    }

    void shouldRecordUsageOnCommit()
    {
        QuotaGuard guard(*m_usage, clock());
        auto reserved = guard.reserve(m_user); // no limits: always a ticket
        QVERIFY(reserved.ok());
        QuotaTicket ticket = std::move(reserved).value();
        QVERIFY(ticket.isPending());
        QCOMPARE(ticket.userId(), m_user.id);
        QuotaTicket moved = std::move(ticket);
        QVERIFY(!ticket.isPending());
        QVERIFY(moved.isPending());

        // Finished after midnight: counted on the day it finished.
        m_now = utc(2026, 3, 11, 0, 0, 5);
        QVERIFY(moved.commit(120, 30).ok());
        QVERIFY(!moved.isPending());
        QCOMPARE(moved.commit(1, 1).error().code, ErrorCode::Internal);
        QCOMPARE(scalar(*m_db,
                        u"SELECT requests * 1000000 + prompt_tokens * 1000 + completion_tokens "
                        "FROM usage WHERE user_id = %1 AND day = '2026-03-11'"_s.arg(m_user.id)),
                 1'120'030);

        // A stream cut before its usage arrived still counts; bogus counts count as 0.
        auto cut = guard.reserve(m_user);
        QVERIFY(cut.ok());
        QVERIFY(cut->commit(-1, 0).ok());
        QCOMPARE(storedOn(QDate(2026, 3, 11)), (UsageTotals{2, 120, 30}));

        // Dropped without commit: nothing counted.
        QVERIFY(guard.reserve(m_user).ok());
        QCOMPARE(storedOn(QDate(2026, 3, 11)), (UsageTotals{2, 120, 30}));
        QCOMPARE(guard.inFlight(m_user.id), 0);
    }

    void shouldPassStorageErrorsOn()
    {
        m_user.dailyRequests = 5;
        QuotaGuard guard(*m_usage, clock());
        auto ticket = guard.reserve(m_user);
        QVERIFY(ticket.ok());
        QVERIFY(m_db->exec(u"DROP TABLE usage"_s, {}, u"break the table"_s).ok());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"count the usage.*no such table"_s));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"read the usage.*no such table"_s));
        QCOMPARE(ticket->commit(1, 1).error().code, ErrorCode::Database);
        QCOMPARE(guard.inFlight(m_user.id), 0); // freed even though recording failed
        QCOMPARE(guard.reserve(m_user).error().code, ErrorCode::Database);
    }
};

QTEST_GUILESS_MAIN(QuotaGuardTest)
#include "tst_quotaguard.moc"
