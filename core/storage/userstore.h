#pragma once

#include "common/result.h"
#include "common/types.h"
#include "user.h"

#include <optional>

// Users: the desktop app's single local user and the server's accounts.

namespace confab {

class Database;

struct UserQuery
{
    QString search; // part of the username or email, ignoring (ASCII) case
    std::optional<UserStatus> status;
    QString cursor;
    int limit = 50; // clamped to 1..200
};

class UserStore final
{
public:
    // The desktop's own account: created on first use, the same row ever after.
    static constexpr QStringView localUsername = u"local";

    explicit UserStore(Database &db);

    // Fills id and times. Usernames are unique ignoring case: a clash is Conflict.
    Result<User> create(const User &user);
    Result<User> get(qint64 id);
    // Ignores case. NotFound when there is no such user.
    Result<User> findByName(const QString &username);
    // The local user (an active admin: in embedded server mode it is the first admin).
    Result<User> ensureLocalUser();

    // Ordered by id; nextCursor continues after the page's last user.
    Result<Page<User>> list(const UserQuery &query);
    // Writes email, role, status, quotas and contextMessages (not the username or the password
    // hash); returns the stored user. NotFound when there is no such user.
    Result<User> update(const User &user);
    // NotFound when there is no such user.
    Result<void> setPasswordHash(qint64 id, const QString &hash);
    // Deletes the user with everything it owns (sessions, tokens, conversations, usage...).
    Result<void> remove(qint64 id);
    // Active admins: the server refuses to demote, disable or delete the last one.
    Result<int> countActiveAdmins();

private:
    Result<User> fetchOne(const QString &where, const QVariant &value);

    Database &m_db;
};

} // namespace confab
