#pragma once

#include "common/result.h"

#include <QString>

#include <functional>

class QObject;

namespace confab {

class SecretStore;

// The hosted server's admin is the person at this computer: an account named after the OS
// user, with a strong random password made once and kept in the SecretStore, so that every
// start of the server signs the app in as the same admin.
struct AdminCredentials
{
    QString username;
    QString password;
};

namespace LocalAdmin {

// Where the password is kept.
inline constexpr QStringView SecretKey = u"hosted-server/admin-password";

// The OS user's name made a valid server username (3..32 letters, digits, '.', '-', '_').
QString username();

struct Password
{
    QString password;
    bool isNew = false; // made just now: an existing admin account must take it
};
// The kept password, or a new one once it is kept. Only a store that fails is an error.
void loadPassword(SecretStore &secrets, QObject *context,
                  std::function<void(Result<Password>)> handler);

// Creates the admin in the server's database, or gives an existing admin of that name a new
// password. Blocks (hashing): run it on a worker thread before the server opens the file.
Result<void> ensureAccount(const QString &databasePath, const AdminCredentials &admin,
                           bool passwordIsNew);

} // namespace LocalAdmin

} // namespace confab
