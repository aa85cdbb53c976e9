#pragma once

#include "common/result.h"

#include <QDate>
#include <QList>
#include <QString>

// Requests and tokens per user per day: what quotas are checked against and admins read.

namespace confab {

class Database;

struct UsageTotals
{
    qint64 requests = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;

    qint64 totalTokens() const { return promptTokens + completionTokens; }
    bool operator==(const UsageTotals &) const = default;
};

struct UsageDay
{
    qint64 userId = 0;
    QString username;
    QDate day;
    UsageTotals totals;

    bool operator==(const UsageDay &) const = default;
};

class UsageStore final
{
public:
    explicit UsageStore(Database &db);

    // Adds to the user's row of that day in one statement, so concurrent requests never lose
    // a count. Negative amounts are InvalidInput.
    Result<void> add(qint64 userId, QDate day, qint64 requests, qint64 promptTokens,
                     qint64 completionTokens);
    // Sums over from..to, both included.
    Result<UsageTotals> totals(qint64 userId, QDate from, QDate to);
    // The user's days within from..to that have usage, oldest first.
    Result<QList<UsageDay>> days(qint64 userId, QDate from, QDate to);
    // Every user's days within from..to (the admin view), by day then username.
    Result<QList<UsageDay>> perUserPerDay(QDate from, QDate to);

private:
    Result<QList<UsageDay>> fetchDays(const QString &where, const QVariantList &values);

    Database &m_db;
};

} // namespace confab
