#include "auth/passwordhasher.h"
#include "auth/passwordpolicy.h"
#include "http/router.h"
#include "routehelpers.h"
#include "routes.h"
#include "services.h"
#include "sessioncontrol.h"
#include "sessiontokens.h"
#include "storage/apitokenstore.h"
#include "storage/usagestore.h"
#include "storage/userstore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QJsonObject totalsJson(const UsageTotals &totals)
{
    return {{u"requests"_s, totals.requests},
            {u"prompt_tokens"_s, totals.promptTokens},
            {u"completion_tokens"_s, totals.completionTokens},
            {u"total_tokens"_s, totals.totalTokens()}};
}

void updateMe(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto body = identity ? requireJsonObject(exchange) : std::nullopt;
    if (!body)
        return;
    User user = identity->user;
    for (auto it = body->constBegin(); it != body->constEnd(); ++it) {
        if (it.key() == "email"_L1 && (it->isString() || it->isNull()))
            user.email = it->toString().trimmed().left(254);
        else
            return replyApiError(
                exchange,
                ApiError::make(400, u"invalid_request"_s,
                               u"Only email can be changed here: %1."_s.arg(it.key())));
    }
    auto updated = services.users.update(user);
    if (!updated)
        return replyApiError(exchange, ApiError::fromError(updated.error()));
    exchange->reply(200, updated->toJson());
}

// A new password ends every session of the account; this device gets a fresh one.
void changePassword(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto body = identity ? requireJsonObject(exchange) : std::nullopt;
    if (!body)
        return;
    const QString current = body->value("current_password"_L1).toString();
    const QString next = body->value("new_password"_L1).toString();
    if (auto strong = PasswordPolicy::check(next, identity->user.username); !strong)
        return replyApiError(exchange, ApiError::fromError(strong.error()));
    const User user = identity->user;
    services.hasher.verify(
        current, user.passwordHash, &services.context,
        [&services, exchange, user, next](bool ok, bool) {
            if (!ok)
                return replyApiError(exchange,
                                     ApiError::make(403, u"invalid_credentials"_s,
                                                    u"The current password is wrong."_s));
            services.hasher.hash(
                next, &services.context, [&services, exchange, user](Result<QString> hash) {
                    if (!hash)
                        return replyApiError(exchange, ApiError::fromError(hash.error()));
                    if (auto set = services.users.setPasswordHash(user.id, *hash); !set)
                        return replyApiError(exchange, ApiError::fromError(set.error()));
                    (void)services.sessionControl.revokeUser(user.id, u"password_changed"_s);
                    SessionTokens::issue(services, exchange, user, 200);
                });
        });
}

void myUsage(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    if (!identity)
        return;
    const QDate today = QDateTime::currentDateTimeUtc().date();
    const QDate monthStart(today.year(), today.month(), 1);
    const qint64 userId = identity->user.id;
    const auto day = services.usage.totals(userId, today, today);
    const auto month = services.usage.totals(userId, monthStart, today);
    const auto days = services.usage.days(userId, today.addDays(-29), today);
    if (!day || !month || !days)
        return replyApiError(
            exchange,
            ApiError::fromError(!day ? day.error() : (!month ? month.error() : days.error())));
    QJsonArray dayList;
    for (const UsageDay &entry : *days) {
        QJsonObject json = totalsJson(entry.totals);
        json.insert(u"day"_s, entry.day.toString(Qt::ISODate));
        dayList.append(json);
    }
    exchange->reply(200,
                    QJsonObject{{u"today"_s, totalsJson(*day)},
                                {u"month"_s, totalsJson(*month)},
                                {u"days"_s, dayList},
                                {u"quota"_s, identity->user.toJson().value("quota"_L1)}});
}

void listTokens(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    if (!identity)
        return;
    const auto tokens = services.apiTokens.list(identity->user.id);
    if (!tokens)
        return replyApiError(exchange, ApiError::fromError(tokens.error()));
    exchange->reply(200, pageJson(*tokens, {}));
}

void createToken(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto body = identity ? requireJsonObject(exchange) : std::nullopt;
    if (!body)
        return;
    const auto issued
        = services.apiTokens.create(identity->user.id, body->value("name"_L1).toString());
    if (!issued)
        return replyApiError(exchange, ApiError::fromError(issued.error()));
    QJsonObject json = issued->token.toJson();
    json.insert(u"token"_s, issued->secret); // shown this once, stored only hashed
    exchange->reply(201, json);
}

void deleteToken(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto id = identity ? idParam(exchange) : std::nullopt;
    if (!id)
        return;
    if (auto revoked = services.apiTokens.revoke(identity->user.id, *id); !revoked)
        return replyApiError(exchange, ApiError::fromError(revoked.error()));
    exchange->replyBytes(204, {}, {});
}

} // namespace

void addAccountRoutes(Router &router, Services &services)
{
    router.add("GET", u"/api/v1/users/me", [&services](const HttpExchangePtr &exchange) {
        if (const auto identity = requireIdentity(services, exchange))
            exchange->reply(200, identity->user.toJson());
    });
    router.add("PATCH", u"/api/v1/users/me", bound<updateMe>(services));
    router.add("POST", u"/api/v1/users/me/password", bound<changePassword>(services));
    router.add("GET", u"/api/v1/users/me/usage", bound<myUsage>(services));
    router.add("GET", u"/api/v1/users/me/tokens", bound<listTokens>(services));
    router.add("POST", u"/api/v1/users/me/tokens", bound<createToken>(services));
    router.add("DELETE", u"/api/v1/users/me/tokens/{id}", bound<deleteToken>(services));
}

} // namespace confab
