#include "usagestore.h"

#include "database.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

Result<void> checkRange(QDate from, QDate to)
{
    if (!from.isValid() || !to.isValid())
        return Error{ErrorCode::InvalidInput, u"invalid date"_s};
    return {};
}

} // namespace

UsageStore::UsageStore(Database &db)
    : m_db(db)
{}

Result<void> UsageStore::add(qint64 userId, QDate day, qint64 requests, qint64 promptTokens,
                             qint64 completionTokens)
{
    if (!day.isValid())
        return Error{ErrorCode::InvalidInput, u"invalid date"_s};
    if (requests < 0 || promptTokens < 0 || completionTokens < 0)
        return Error{ErrorCode::InvalidInput, u"usage cannot be negative"_s};
    // Counting must not cost every request a disk flush; a power cut may lose the last counts.
    RelaxedDurability relaxed(m_db);
    auto added
        = m_db.exec(u"INSERT INTO usage (user_id, day, requests, prompt_tokens, completion_tokens) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, day) DO UPDATE SET "
                    "requests = requests + excluded.requests, "
                    "prompt_tokens = prompt_tokens + excluded.prompt_tokens, "
                    "completion_tokens = completion_tokens + excluded.completion_tokens"_s,
                    {userId, day.toString(Qt::ISODate), requests, promptTokens, completionTokens},
                    u"count the usage"_s);
    if (!added) {
        if (added.error().code == ErrorCode::Conflict)
            return Error{ErrorCode::NotFound, u"no such user"_s};
        return added.error();
    }
    return {};
}

Result<UsageTotals> UsageStore::totals(qint64 userId, QDate from, QDate to)
{
    if (auto valid = checkRange(from, to); !valid)
        return valid.error();
    auto query = m_db.exec(u"SELECT coalesce(sum(requests), 0), coalesce(sum(prompt_tokens), 0), "
                           "coalesce(sum(completion_tokens), 0) FROM usage "
                           "WHERE user_id = ? AND day BETWEEN ? AND ?"_s,
                           {userId, from.toString(Qt::ISODate), to.toString(Qt::ISODate)},
                           u"read the usage"_s);
    if (!query)
        return query.error();
    UsageTotals totals;
    if (query->next()) {
        totals.requests = query->value(0).toLongLong();
        totals.promptTokens = query->value(1).toLongLong();
        totals.completionTokens = query->value(2).toLongLong();
    }
    return totals;
}

Result<QList<UsageDay>> UsageStore::days(qint64 userId, QDate from, QDate to)
{
    if (auto valid = checkRange(from, to); !valid)
        return valid.error();
    return fetchDays(u"WHERE u.user_id = ? AND u.day BETWEEN ? AND ? ORDER BY u.day"_s,
                     {userId, from.toString(Qt::ISODate), to.toString(Qt::ISODate)});
}

Result<QList<UsageDay>> UsageStore::perUserPerDay(QDate from, QDate to)
{
    if (auto valid = checkRange(from, to); !valid)
        return valid.error();
    return fetchDays(u"WHERE u.day BETWEEN ? AND ? ORDER BY u.day, users.username, u.user_id"_s,
                     {from.toString(Qt::ISODate), to.toString(Qt::ISODate)});
}

Result<QList<UsageDay>> UsageStore::fetchDays(const QString &where, const QVariantList &values)
{
    auto query = m_db.exec(u"SELECT u.user_id, users.username, u.day, u.requests, "
                           "u.prompt_tokens, u.completion_tokens FROM usage u "
                           "JOIN users ON users.id = u.user_id "_s
                               + where,
                           values, u"read the usage"_s);
    if (!query)
        return query.error();
    QList<UsageDay> days;
    while (query->next()) {
        UsageDay day;
        day.userId = query->value(0).toLongLong();
        day.username = query->value(1).toString();
        day.day = QDate::fromString(query->value(2).toString(), Qt::ISODate);
        day.totals.requests = query->value(3).toLongLong();
        day.totals.promptTokens = query->value(4).toLongLong();
        day.totals.completionTokens = query->value(5).toLongLong();
        days.append(day);
    }
    return days;
}

} // namespace confab
