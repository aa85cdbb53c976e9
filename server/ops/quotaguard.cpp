#include "quotaguard.h"

#include "storage/usagestore.h"

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

struct Check
{
    const std::optional<qint64> &limit;
    qint64 used;
    QStringView quota;
    QStringView description;
    QDateTime resetsAt;
};

} // namespace

QJsonObject QuotaDenial::toJson() const
{
    return {{u"quota"_s, quota},
            {u"limit"_s, limit},
            {u"used"_s, used},
            {u"resets_at"_s, resetsAt.toUTC().toString(Qt::ISODate)}};
}

QuotaTicket::QuotaTicket(QuotaGuard *guard, qint64 userId)
    : m_guard(guard)
    , m_userId(userId)
{}

QuotaTicket::QuotaTicket(QuotaTicket &&other) noexcept
    : m_guard(std::exchange(other.m_guard, nullptr))
    , m_userId(other.m_userId)
{}

QuotaTicket &QuotaTicket::operator=(QuotaTicket &&other) noexcept
{
    if (this != &other) {
        release();
        m_guard = std::exchange(other.m_guard, nullptr);
        m_userId = other.m_userId;
    }
    return *this;
}

QuotaTicket::~QuotaTicket()
{
    release();
}

void QuotaTicket::release()
{
    if (m_guard)
        std::exchange(m_guard, nullptr)->release(m_userId);
}

Result<void> QuotaTicket::commit(qint64 promptTokens, qint64 completionTokens)
{
    if (!m_guard)
        return Error{ErrorCode::Internal, u"this quota ticket was already used"_s};
    QuotaGuard *guard = m_guard;
    release();
    return guard->m_usage.add(m_userId, guard->now().date(), 1, std::max<qint64>(promptTokens, 0),
                              std::max<qint64>(completionTokens, 0));
}

QuotaGuard::QuotaGuard(UsageStore &usage, Clock clock)
    : m_usage(usage)
    , m_clock(clock ? std::move(clock) : Clock(&QDateTime::currentDateTimeUtc))
{}

QuotaGuard::~QuotaGuard()
{
    Q_ASSERT_X(m_inFlight.isEmpty(), "QuotaGuard", "destroyed before its tickets");
}

QDateTime QuotaGuard::now() const
{
    return m_clock().toUTC();
}

void QuotaGuard::release(qint64 userId)
{
    auto it = m_inFlight.find(userId);
    if (it == m_inFlight.end())
        return;
    if (--*it <= 0)
        m_inFlight.erase(it);
}

Result<QuotaTicket> QuotaGuard::reserve(const User &user, QuotaDenial *denial)
{
    const QDate today = now().date();
    const QDate monthStart(today.year(), today.month(), 1);
    UsageTotals day;
    UsageTotals month;
    if (user.dailyRequests || user.dailyTokens) {
        auto totals = m_usage.totals(user.id, today, today);
        if (!totals)
            return totals.error();
        day = *totals;
    }
    if (user.monthlyRequests || user.monthlyTokens) {
        auto totals = m_usage.totals(user.id, monthStart, today);
        if (!totals)
            return totals.error();
        month = *totals;
    }

    const qint64 inFlight = m_inFlight.value(user.id);
    const QDateTime tomorrow(today.addDays(1), QTime(0, 0), Qt::UTC);
    const QDateTime nextMonth(monthStart.addMonths(1), QTime(0, 0), Qt::UTC);
    // Tokens of requests in flight are unknown until they finish, so token quotas are checked
    // against what is recorded only: the last request may run a little over a token limit.
    const Check checks[] = {
        {user.monthlyRequests, month.requests + inFlight, u"monthly_requests", u"monthly request",
         nextMonth},
        {user.monthlyTokens, month.totalTokens(), u"monthly_tokens", u"monthly token", nextMonth},
        {user.dailyRequests, day.requests + inFlight, u"daily_requests", u"daily request",
         tomorrow},
        {user.dailyTokens, day.totalTokens(), u"daily_tokens", u"daily token", tomorrow},
    };
    for (const Check &check : checks) {
        if (!check.limit || check.used < *check.limit)
            continue;
        if (denial)
            *denial = {check.quota.toString(), *check.limit, check.used, check.resetsAt};
        return Error{ErrorCode::QuotaExceeded,
                     u"%1 quota reached (%2 of %3 used); it resets at %4"_s.arg(check.description)
                         .arg(check.used)
                         .arg(*check.limit)
                         .arg(check.resetsAt.toString(Qt::ISODate))};
    }
    ++m_inFlight[user.id];
    return QuotaTicket(this, user.id);
}

} // namespace confab
