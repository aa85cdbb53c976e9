#pragma once

#include "common/result.h"
#include "storage/user.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <functional>

// Daily and monthly request and token quotas (User::dailyRequests and friends; nullopt =
// unlimited), checked against UsageStore plus the requests still in flight, so that parallel
// requests never overdraw a request quota. Days and months are UTC.

namespace confab {

class QuotaGuard;
class UsageStore;

// Why reserve() said QuotaExceeded.
struct QuotaDenial
{
    QString quota; // "daily_requests", "monthly_requests", "daily_tokens" or "monthly_tokens"
    qint64 limit = 0;
    qint64 used = 0;    // for requests, those in flight included
    QDateTime resetsAt; // the next UTC midnight, or the first of next month, UTC

    // {"quota","limit","used","resets_at"}: details for the error reply.
    QJsonObject toJson() const;
    bool operator==(const QuotaDenial &) const = default;
};

// One reserved request. Move-only; destroyed without commit() it frees the reservation without
// counting anything. Its QuotaGuard must outlive it.
class QuotaTicket final
{
public:
    QuotaTicket(QuotaTicket &&other) noexcept;
    QuotaTicket &operator=(QuotaTicket &&other) noexcept;
    ~QuotaTicket();
    Q_DISABLE_COPY(QuotaTicket)

    // Records one request and these tokens for today (UTC, at the time of the call) and frees
    // the reservation, even when recording fails. Commit also when a stream was cut before the
    // upstream reported usage: the request still counts, with the tokens known (0 if none).
    // Negative token counts count as 0. A second commit is an Internal error.
    Result<void> commit(qint64 promptTokens, qint64 completionTokens);

    // Reserved and neither committed nor moved from.
    bool isPending() const { return m_guard != nullptr; }
    qint64 userId() const { return m_userId; }

private:
    friend class QuotaGuard;
    QuotaTicket(QuotaGuard *guard, qint64 userId);
    void release();

    QuotaGuard *m_guard = nullptr;
    qint64 m_userId = 0;
};

// Used on the thread of the UsageStore's database, like the store itself. One per server: the
// requests in flight are counted here.
class QuotaGuard final
{
public:
    using Clock = std::function<QDateTime()>;

    // Without a clock, QDateTime::currentDateTimeUtc.
    explicit QuotaGuard(UsageStore &usage, Clock clock = {});
    ~QuotaGuard();
    Q_DISABLE_COPY_MOVE(QuotaGuard)

    // A ticket, or QuotaExceeded with an English message (and `*denial` filled when given) when
    // a limit is reached. When several are, the monthly one is reported: it lifts last, so its
    // reset is when the user can go on. Storage errors come back as they are.
    Result<QuotaTicket> reserve(const User &user, QuotaDenial *denial = nullptr);

    // Tickets of this user not yet committed or dropped.
    qint64 inFlight(qint64 userId) const { return m_inFlight.value(userId); }

private:
    friend class QuotaTicket;
    void release(qint64 userId);
    QDateTime now() const;

    UsageStore &m_usage;
    Clock m_clock;
    QHash<qint64, qint64> m_inFlight;
};

} // namespace confab
