#pragma once

#include "common/result.h"
#include "user.h"

// Users: the desktop app's single local user now; the server's accounts build on it.

namespace confab {

class Database;

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

private:
    Result<User> fetchOne(const QString &where, const QVariant &value);

    Database &m_db;
};

} // namespace confab
