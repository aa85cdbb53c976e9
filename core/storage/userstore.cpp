#include "userstore.h"

#include "database.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QVariant optionalValue(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
}

std::optional<qint64> optionalFrom(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional(value.toLongLong());
}

const QString userColumns
    = u"id, username, email, password_hash, role, status, daily_requests, monthly_requests, "
      "daily_tokens, monthly_tokens, context_messages, created_at, updated_at"_s;

User userFromRow(const QSqlQuery &row)
{
    User user;
    user.id = row.value(0).toLongLong();
    user.username = row.value(1).toString();
    user.email = row.value(2).toString();
    user.passwordHash = row.value(3).toString();
    user.role = userRoleFromName(row.value(4).toString()).value_or(UserRole::User);
    user.status = userStatusFromName(row.value(5).toString()).value_or(UserStatus::Disabled);
    user.dailyRequests = optionalFrom(row.value(6));
    user.monthlyRequests = optionalFrom(row.value(7));
    user.dailyTokens = optionalFrom(row.value(8));
    user.monthlyTokens = optionalFrom(row.value(9));
    if (const auto context = optionalFrom(row.value(10)))
        user.contextMessages = int(*context);
    user.createdAt = Database::fromStoredTime(row.value(11));
    user.updatedAt = Database::fromStoredTime(row.value(12));
    return user;
}

} // namespace

UserStore::UserStore(Database &db)
    : m_db(db)
{}

Result<User> UserStore::create(const User &user)
{
    const QString username = user.username.trimmed();
    if (username.isEmpty() || username.size() > 64)
        return Error{ErrorCode::InvalidInput, u"a username has 1 to 64 characters"_s};
    const qint64 now = Database::toStoredTime(m_db.now());
    auto inserted = m_db.exec(
        u"INSERT INTO users (username, email, password_hash, role, status, daily_requests, "
        "monthly_requests, daily_tokens, monthly_tokens, context_messages, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {username, user.email.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : user.email,
         user.passwordHash.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : user.passwordHash,
         userRoleName(user.role), userStatusName(user.status), optionalValue(user.dailyRequests),
         optionalValue(user.monthlyRequests), optionalValue(user.dailyTokens),
         optionalValue(user.monthlyTokens),
         user.contextMessages ? QVariant(*user.contextMessages)
                              : QVariant(QMetaType::fromType<int>()),
         now, now},
        u"create the user"_s);
    if (!inserted) {
        if (inserted.error().code == ErrorCode::Conflict)
            return Error{ErrorCode::Conflict, u"the username %1 is taken"_s.arg(username)};
        return inserted.error();
    }
    return get(inserted->lastInsertId().toLongLong());
}

Result<User> UserStore::get(qint64 id)
{
    return fetchOne(u"id = ?"_s, id);
}

Result<User> UserStore::findByName(const QString &username)
{
    return fetchOne(u"username = ?"_s, username.trimmed());
}

Result<User> UserStore::fetchOne(const QString &where, const QVariant &value)
{
    auto query = m_db.exec(u"SELECT "_s + userColumns + u" FROM users WHERE "_s + where, {value},
                           u"read a user"_s);
    if (!query)
        return query.error();
    if (!query->next())
        return Error{ErrorCode::NotFound, u"no such user"_s};
    return userFromRow(*query);
}

Result<User> UserStore::ensureLocalUser()
{
    const qint64 now = Database::toStoredTime(m_db.now());
    // One statement, so two windows starting at once cannot both create it.
    auto inserted
        = m_db.exec(u"INSERT INTO users (username, role, status, created_at, updated_at) "
                    "VALUES (?, 'admin', 'active', ?, ?) ON CONFLICT (username) DO NOTHING"_s,
                    {localUsername.toString(), now, now}, u"create the local user"_s);
    if (!inserted)
        return inserted.error();
    return findByName(localUsername.toString());
}

} // namespace confab
