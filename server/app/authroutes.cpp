#include "auth/jwt.h"
#include "auth/loginthrottle.h"
#include "auth/passwordhasher.h"
#include "auth/passwordpolicy.h"
#include "common/logging.h"
#include "http/router.h"
#include "ops/metrics.h"
#include "ops/serverconfig.h"
#include "routehelpers.h"
#include "routes.h"
#include "serversettings.h"
#include "services.h"
#include "sessioncontrol.h"
#include "sessiontokens.h"
#include "storage/userstore.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

ApiError invalidCredentials()
{
    return ApiError::make(401, u"invalid_credentials"_s, u"Wrong username or password."_s);
}

Result<void> checkUsername(const QString &username)
{
    static const QRegularExpression allowed(u"^[\\w.\\-]{3,32}$"_s,
                                            QRegularExpression::UseUnicodePropertiesOption);
    if (!allowed.match(username).hasMatch())
        return Error{ErrorCode::InvalidInput,
                     u"A username has 3 to 32 letters, digits, '.', '-' or '_'."_s};
    return {};
}

void login(Services &services, const HttpExchangePtr &exchange)
{
    const auto body = requireJsonObject(exchange);
    if (!body)
        return;
    const QString username = body->value("username"_L1).toString();
    const QString password = body->value("password"_L1).toString();
    if (username.isEmpty() || password.isEmpty())
        return replyApiError(
            exchange,
            ApiError::make(400, u"invalid_request"_s, u"username and password are required."_s));
    const QString address = clientAddress(services, *exchange);
    if (const auto wait = services.loginThrottle.retryAfter(username, address)) {
        ApiError error = ApiError::make(429, u"rate_limited"_s,
                                        u"Too many failed sign-ins: wait before trying again."_s);
        error.retryAfterSeconds = int(std::max<qint64>(1, (wait->count() + 999) / 1000));
        services.metrics.logins().labels({u"throttled"_s}).inc();
        return replyApiError(exchange, error);
    }

    auto user = services.users.findByName(username);
    if (!user && user.error().code != ErrorCode::NotFound)
        return replyApiError(exchange, ApiError::fromError(user.error()));
    const auto fail = [&services, exchange, username, address] {
        services.loginThrottle.recordFailure(username, address);
        services.metrics.logins().labels({u"failed"_s}).inc();
        replyApiError(exchange, invalidCredentials());
    };
    // An unknown user costs the same hashing as a wrong password and gets the same answer.
    if (!user || user->passwordHash.isEmpty())
        return services.hasher.verifyDummy(password, &services.context, fail);

    services.hasher.verify(
        password, user->passwordHash, &services.context,
        [&services, exchange, found = *user, password, username, address, fail](bool ok,
                                                                                bool needsRehash) {
            if (!ok)
                return fail();
            services.loginThrottle.recordSuccess(username, address);
            if (found.status == UserStatus::Disabled)
                return replyApiError(
                    exchange,
                    ApiError::make(403, u"account_disabled"_s, u"This account is disabled."_s));
            if (found.status == UserStatus::Pending)
                return replyApiError(
                    exchange,
                    ApiError::make(403, u"pending_approval"_s,
                                   u"An administrator has not approved this account yet."_s));
            if (needsRehash) {
                services.hasher.hash(password, &services.context,
                                     [&services, id = found.id](Result<QString> hash) {
                                         if (hash)
                                             (void)services.users.setPasswordHash(id, *hash);
                                     });
            }
            services.metrics.logins().labels({u"ok"_s}).inc();
            SessionTokens::issue(services, exchange, found, 200);
        });
}

void registerUser(Services &services, const HttpExchangePtr &exchange)
{
    const RegistrationMode mode = services.settings.values().registration;
    if (mode == RegistrationMode::Closed)
        return replyApiError(exchange,
                             ApiError::make(403, u"registration_closed"_s,
                                            u"Registration is closed on this server."_s));
    const auto body = requireJsonObject(exchange);
    if (!body)
        return;
    User user;
    user.username = body->value("username"_L1).toString();
    user.email = body->value("email"_L1).toString().trimmed();
    const QString password = body->value("password"_L1).toString();
    if (auto valid = checkUsername(user.username); !valid)
        return replyApiError(exchange, ApiError::fromError(valid.error()));
    if (auto strong = PasswordPolicy::check(password, user.username); !strong)
        return replyApiError(exchange, ApiError::fromError(strong.error()));
    user.status = mode == RegistrationMode::Open ? UserStatus::Active : UserStatus::Pending;
    services.hasher.hash(
        password, &services.context, [&services, exchange, user](Result<QString> hash) mutable {
            if (!hash)
                return replyApiError(exchange, ApiError::fromError(hash.error()));
            user.passwordHash = *hash;
            auto created = services.users.create(user);
            if (!created) {
                if (created.error().code == ErrorCode::Conflict)
                    return replyApiError(
                        exchange, ApiError::make(409, u"conflict"_s, u"That username is taken."_s));
                return replyApiError(exchange, ApiError::fromError(created.error()));
            }
            exchange->reply(201, QJsonObject{{u"user"_s, created->toJson()}});
        });
}

void refresh(Services &services, const HttpExchangePtr &exchange)
{
    const auto body = requireJsonObject(exchange);
    if (!body)
        return;
    const QString token = body->value("refresh_token"_L1).toString();
    if (token.isEmpty())
        return replyApiError(
            exchange, ApiError::make(400, u"invalid_request"_s, u"refresh_token is required."_s));
    auto rotated = services.sessions.rotate(token, services.config.refreshTokenLifetime);
    if (!rotated)
        return replyApiError(exchange, ApiError::fromError(rotated.error()));
    auto identity = services.auth.authenticateSession(rotated->session.id);
    if (auto *error = std::get_if<ApiError>(&identity)) {
        (void)services.sessionControl.revoke(rotated->session.id, error->code);
        return replyApiError(exchange, *error);
    }
    SessionTokens::reply(services, exchange, std::get<Identity>(identity).user, *rotated, 200);
}

void logout(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    if (!identity)
        return;
    if (auto revoked = services.sessionControl.revoke(identity->session.id, u"logout"_s); !revoked)
        return replyApiError(exchange, ApiError::fromError(revoked.error()));
    exchange->replyBytes(204, {}, {});
}

} // namespace

void addAuthRoutes(Router &router, Services &services)
{
    router.add("POST", u"/api/v1/auth/register", bound<registerUser>(services));
    router.add("POST", u"/api/v1/auth/login", bound<login>(services));
    router.add("POST", u"/api/v1/auth/refresh", bound<refresh>(services));
    router.add("POST", u"/api/v1/auth/logout", bound<logout>(services));
}

} // namespace confab
