#include "userrows.h"

#include "database.h"

using namespace Qt::StringLiterals;

namespace confab::userrows {

namespace {

std::optional<qint64> optionalFrom(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional(value.toLongLong());
}

} // namespace

const QString columns
    = u"u.id, u.username, u.email, u.password_hash, u.role, u.status, u.daily_requests, "
      "u.monthly_requests, u.daily_tokens, u.monthly_tokens, u.context_messages, u.created_at, "
      "u.updated_at"_s;

User userFromRow(const QSqlQuery &row, int first)
{
    const auto value = [&row, first](int column) { return row.value(first + column); };
    User user;
    user.id = value(0).toLongLong();
    user.username = value(1).toString();
    user.email = value(2).toString();
    user.passwordHash = value(3).toString();
    user.role = userRoleFromName(value(4).toString()).value_or(UserRole::User);
    user.status = userStatusFromName(value(5).toString()).value_or(UserStatus::Disabled);
    user.dailyRequests = optionalFrom(value(6));
    user.monthlyRequests = optionalFrom(value(7));
    user.dailyTokens = optionalFrom(value(8));
    user.monthlyTokens = optionalFrom(value(9));
    if (const auto context = optionalFrom(value(10)))
        user.contextMessages = int(*context);
    user.createdAt = Database::fromStoredTime(value(11));
    user.updatedAt = Database::fromStoredTime(value(12));
    return user;
}

} // namespace confab::userrows
