#include "localadmin.h"

#include "app/server.h"
#include "auth/passwordhasher.h"
#include "secrets/secretstore.h"
#include "storage/database.h"
#include "storage/user.h"
#include "storage/userstore.h"

#include <QRandomGenerator>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace confab::LocalAdmin {

namespace {

// 24 of 62 symbols: about 143 bits, and nothing a password policy could refuse.
QString randomPassword()
{
    static constexpr QStringView symbols
        = u"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString password;
    for (int i = 0; i < 24; ++i)
        password += symbols[QRandomGenerator::system()->bounded(int(symbols.size()))];
    return password;
}

} // namespace

QString username()
{
    QString name = qEnvironmentVariable("USER");
    if (name.isEmpty())
        name = qEnvironmentVariable("USERNAME");
    static const QRegularExpression notAllowed(u"[^\\w.\\-]+"_s,
                                               QRegularExpression::UseUnicodePropertiesOption);
    name = name.replace(notAllowed, u"_"_s).left(32);
    return name.size() < 3 ? u"admin"_s : name;
}

void loadPassword(SecretStore &secrets, QObject *context,
                  std::function<void(Result<Password>)> handler)
{
    const QString key = SecretKey.toString();
    secrets.read(key, context, [&secrets, key, context, handler](Result<QString> kept) {
        if (kept && !kept->isEmpty())
            return handler(Password{*kept, false});
        if (!kept && kept.error().code != ErrorCode::NotFound)
            return handler(kept.error());
        const QString password = randomPassword();
        secrets.write(key, password, context, [handler, password](Result<void> written) {
            if (!written)
                return handler(written.error());
            handler(Password{password, true});
        });
    });
}

Result<void> ensureAccount(const QString &databasePath, const AdminCredentials &admin,
                           bool passwordIsNew)
{
    DatabaseOptions options;
    options.durable = true;
    options.recoverInterrupted = false; // the server does that when it opens the file
    auto database = Database::open(databasePath, options);
    if (!database)
        return database.error();
    UserStore users(**database);
    const auto existing = users.findByName(admin.username);
    if (!existing && existing.error().code == ErrorCode::NotFound) {
        const auto created = Server::createAdmin(**database, admin.username, admin.password);
        return created ? Result<void>() : created.error();
    }
    if (!existing)
        return existing.error();
    if (existing->role != UserRole::Admin)
        return Error{ErrorCode::Conflict,
                     u"This server already has an account named %1 that is not an admin."_s.arg(
                         admin.username)};
    if (!passwordIsNew)
        return {};
    const auto hash = PasswordHasher().hashBlocking(admin.password);
    if (!hash)
        return hash.error();
    return users.setPasswordHash(existing->id, *hash);
}

} // namespace confab::LocalAdmin
