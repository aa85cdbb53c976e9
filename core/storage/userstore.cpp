#include "userstore.h"

#include "database.h"
#include "searchpattern.h"
#include "userrows.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QVariant optionalValue(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
}

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

Error notFound()
{
    return Error{ErrorCode::NotFound, u"no such user"_s};
}

// What create and update both store besides the username.
Result<void> validate(const User &user)
{
    if (user.email.size() > 254)
        return Error{ErrorCode::InvalidInput, u"an email address has at most 254 characters"_s};
    for (const auto &quota :
         {user.dailyRequests, user.monthlyRequests, user.dailyTokens, user.monthlyTokens}) {
        if (quota && *quota < 0)
            return Error{ErrorCode::InvalidInput, u"a quota cannot be negative"_s};
    }
    if (user.contextMessages && *user.contextMessages < 0)
        return Error{ErrorCode::InvalidInput, u"context_messages cannot be negative"_s};
    return {};
}

// The cursor is the last listed user's id, opaque to clients.
QString encodeCursor(qint64 id)
{
    return QString::fromLatin1(QByteArray::number(id).toBase64(QByteArray::Base64UrlEncoding
                                                               | QByteArray::OmitTrailingEquals));
}

std::optional<qint64> decodeCursor(const QString &cursor)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    bool ok = false;
    const qint64 id = decoded.decoded.toLongLong(&ok);
    if (!ok || id < 0)
        return std::nullopt;
    return id;
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
    if (auto valid = validate(user); !valid)
        return valid.error();
    const qint64 now = Database::toStoredTime(m_db.now());
    auto inserted = m_db.exec(
        u"INSERT INTO users (username, email, password_hash, role, status, daily_requests, "
        "monthly_requests, daily_tokens, monthly_tokens, context_messages, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {username, nullableText(user.email), nullableText(user.passwordHash),
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
    auto query = m_db.exec(u"SELECT "_s + userrows::columns + u" FROM users u WHERE "_s + where,
                           {value}, u"read a user"_s);
    if (!query)
        return query.error();
    if (!query->next())
        return notFound();
    return userrows::userFromRow(*query);
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

Result<Page<User>> UserStore::list(const UserQuery &query)
{
    const int limit = qBound(1, query.limit, 200);
    qint64 afterId = 0;
    if (!query.cursor.isEmpty()) {
        const auto id = decodeCursor(query.cursor);
        if (!id)
            return Error{ErrorCode::InvalidInput, u"invalid cursor"_s};
        afterId = *id;
    }
    QString sql = u"SELECT "_s + userrows::columns + u" FROM users u WHERE id > ? "_s;
    QVariantList values{afterId};
    const SearchPattern pattern(query.search);
    if (!pattern.isEmpty()) {
        // LIKE ignores case for ASCII letters only, as everywhere in Confab's searches.
        sql += u"AND (username LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\') "_s;
        values << pattern.likePattern() << pattern.likePattern();
    }
    if (query.status) {
        sql += u"AND status = ? "_s;
        values << userStatusName(*query.status);
    }
    // One extra row tells whether there is a next page.
    sql += u"ORDER BY id LIMIT ?"_s;
    values << limit + 1;

    auto rows = m_db.exec(sql, values, u"list users"_s);
    if (!rows)
        return rows.error();
    Page<User> page;
    while (rows->next())
        page.items.append(userrows::userFromRow(*rows));
    if (page.items.size() > limit) {
        page.items.removeLast();
        page.nextCursor = encodeCursor(page.items.constLast().id);
    }
    return page;
}

Result<User> UserStore::update(const User &user)
{
    if (auto valid = validate(user); !valid)
        return valid.error();
    auto updated = m_db.exec(
        u"UPDATE users SET email = ?, role = ?, status = ?, daily_requests = ?, "
        "monthly_requests = ?, daily_tokens = ?, monthly_tokens = ?, context_messages = ?, "
        "updated_at = ? WHERE id = ?"_s,
        {nullableText(user.email), userRoleName(user.role), userStatusName(user.status),
         optionalValue(user.dailyRequests), optionalValue(user.monthlyRequests),
         optionalValue(user.dailyTokens), optionalValue(user.monthlyTokens),
         user.contextMessages ? QVariant(*user.contextMessages)
                              : QVariant(QMetaType::fromType<int>()),
         Database::toStoredTime(m_db.now()), user.id},
        u"update the user"_s);
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 0)
        return notFound();
    return get(user.id);
}

Result<void> UserStore::setPasswordHash(qint64 id, const QString &hash)
{
    auto updated = m_db.exec(u"UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?"_s,
                             {nullableText(hash), Database::toStoredTime(m_db.now()), id},
                             u"change the password"_s);
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 0)
        return notFound();
    return {};
}

Result<void> UserStore::remove(qint64 id)
{
    // The foreign keys (ON DELETE CASCADE, enforced on every connection) take the user's rows
    // in the other tables along, in this one statement.
    auto removed = m_db.exec(u"DELETE FROM users WHERE id = ?"_s, {id}, u"delete the user"_s);
    if (!removed)
        return removed.error();
    if (removed->numRowsAffected() == 0)
        return notFound();
    return {};
}

Result<int> UserStore::countActiveAdmins()
{
    auto query = m_db.exec(u"SELECT count(*) FROM users WHERE role = ? AND status = ?"_s,
                           {userRoleName(UserRole::Admin), userStatusName(UserStatus::Active)},
                           u"count the admins"_s);
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toInt() : 0;
}

} // namespace confab
