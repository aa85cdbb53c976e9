#include "auth/passwordhasher.h"
#include "auth/passwordpolicy.h"
#include "chatrelay.h"
#include "http/router.h"
#include "routehelpers.h"
#include "routes.h"
#include "serversettings.h"
#include "services.h"
#include "sessioncontrol.h"
#include "storage/presetstore.h"
#include "storage/usagestore.h"
#include "storage/userstore.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

Error invalid(const QString &message)
{
    return Error{ErrorCode::InvalidInput, message};
}

Result<std::optional<qint64>> optionalCount(const QJsonValue &value, const QString &key)
{
    if (value.isNull())
        return std::optional<qint64>();
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > 1e15 || number != std::floor(number))
        return invalid(u"%1 must be null (unlimited) or a whole number >= 0."_s.arg(key));
    return std::optional<qint64>(qint64(number));
}

// Applies role, status, email, quota and context_messages from an admin's request.
Result<void> applyUserFields(User &user, const QJsonObject &body)
{
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        const QString &key = it.key();
        if (key == "role"_L1) {
            const auto role = userRoleFromName(it->toString());
            if (!role)
                return invalid(u"role must be user or admin."_s);
            user.role = *role;
        } else if (key == "status"_L1) {
            const auto status = userStatusFromName(it->toString());
            if (!status)
                return invalid(u"status must be active, pending or disabled."_s);
            user.status = *status;
        } else if (key == "email"_L1 && (it->isString() || it->isNull())) {
            user.email = it->toString().trimmed().left(254);
        } else if (key == "quota"_L1 && it->isObject()) {
            const QJsonObject quota = it->toObject();
            for (auto q = quota.constBegin(); q != quota.constEnd(); ++q) {
                auto count = optionalCount(*q, q.key());
                if (!count)
                    return count.error();
                if (q.key() == "daily_requests"_L1)
                    user.dailyRequests = *count;
                else if (q.key() == "monthly_requests"_L1)
                    user.monthlyRequests = *count;
                else if (q.key() == "daily_tokens"_L1)
                    user.dailyTokens = *count;
                else if (q.key() == "monthly_tokens"_L1)
                    user.monthlyTokens = *count;
                else if (q.key() == "context_messages"_L1)
                    user.contextMessages = count->has_value()
                        ? std::optional<int>(int(std::min<qint64>(**count, 200)))
                        : std::nullopt;
                else
                    return invalid(u"Unknown quota: %1."_s.arg(q.key()));
            }
        } else if (key != "password"_L1 && key != "username"_L1) {
            return invalid(u"Unexpected or malformed field: %1."_s.arg(key));
        }
    }
    return {};
}

// The last active admin cannot lock everyone out of administration.
Result<void> keepsAnAdmin(Services &services, const User &before, const User &after)
{
    const bool wasActiveAdmin
        = before.role == UserRole::Admin && before.status == UserStatus::Active;
    const bool staysActiveAdmin
        = after.role == UserRole::Admin && after.status == UserStatus::Active;
    if (!wasActiveAdmin || staysActiveAdmin)
        return {};
    const auto admins = services.users.countActiveAdmins();
    if (!admins)
        return admins.error();
    if (*admins <= 1)
        return Error{ErrorCode::Conflict, u"This is the last active administrator."_s};
    return {};
}

void listUsers(Services &services, const HttpExchangePtr &exchange)
{
    if (!requireAdmin(services, exchange))
        return;
    const QUrlQuery query = exchange->query();
    UserQuery spec;
    spec.search = query.queryItemValue(u"q"_s, QUrl::FullyDecoded);
    spec.cursor = query.queryItemValue(u"cursor"_s, QUrl::FullyDecoded);
    if (const QString status = query.queryItemValue(u"status"_s); !status.isEmpty()) {
        spec.status = userStatusFromName(status);
        if (!spec.status)
            return replyApiError(
                exchange, ApiError::make(400, u"invalid_request"_s, u"Unknown status filter."_s));
    }
    bool ok = false;
    if (const int limit = query.queryItemValue(u"limit"_s).toInt(&ok); ok)
        spec.limit = limit;
    const auto page = services.users.list(spec);
    if (!page)
        return replyApiError(exchange, ApiError::fromError(page.error()));
    exchange->reply(200, pageJson(page->items, page->nextCursor));
}

void createUser(Services &services, const HttpExchangePtr &exchange)
{
    const auto admin = requireAdmin(services, exchange);
    const auto body = admin ? requireJsonObject(exchange) : std::nullopt;
    if (!body)
        return;
    User user;
    user.username = body->value("username"_L1).toString();
    const QString password = body->value("password"_L1).toString();
    if (user.username.size() < 3 || user.username.size() > 32)
        return replyApiError(
            exchange,
            ApiError::make(400, u"invalid_request"_s, u"A username has 3 to 32 characters."_s));
    if (auto applied = applyUserFields(user, *body); !applied)
        return replyApiError(exchange, ApiError::fromError(applied.error()));
    if (auto strong = PasswordPolicy::check(password, user.username); !strong)
        return replyApiError(exchange, ApiError::fromError(strong.error()));
    services.hasher.hash(
        password, &services.context, [&services, exchange, user](Result<QString> hash) mutable {
            if (!hash)
                return replyApiError(exchange, ApiError::fromError(hash.error()));
            user.passwordHash = *hash;
            const auto created = services.users.create(user);
            if (!created)
                return replyApiError(exchange, ApiError::fromError(created.error()));
            exchange->reply(201, created->toJson());
        });
}

// Ends the user's sessions when the change takes access away.
void afterUserChange(Services &services, const User &before, const User &after)
{
    if (after.status != UserStatus::Active && before.status == UserStatus::Active)
        (void)services.sessionControl.revokeUser(
            after.id, after.status == UserStatus::Disabled ? u"account_disabled"_s : u"revoked"_s);
}

void patchUser(Services &services, const HttpExchangePtr &exchange)
{
    const auto admin = requireAdmin(services, exchange);
    const auto id = admin ? idParam(exchange) : std::nullopt;
    const auto body = id ? requireJsonObject(exchange) : std::nullopt;
    if (!body)
        return;
    const auto before = services.users.get(*id);
    if (!before)
        return replyApiError(exchange, ApiError::fromError(before.error()));
    User after = *before;
    if (auto applied = applyUserFields(after, *body); !applied)
        return replyApiError(exchange, ApiError::fromError(applied.error()));
    if (auto kept = keepsAnAdmin(services, *before, after); !kept)
        return replyApiError(exchange, ApiError::fromError(kept.error()));
    const QString password = body->value("password"_L1).toString();
    if (body->contains("password"_L1)) {
        if (auto strong = PasswordPolicy::check(password, after.username); !strong)
            return replyApiError(exchange, ApiError::fromError(strong.error()));
    }
    const auto updated = services.users.update(after);
    if (!updated)
        return replyApiError(exchange, ApiError::fromError(updated.error()));
    afterUserChange(services, *before, *updated);
    if (!body->contains("password"_L1))
        return exchange->reply(200, updated->toJson());
    // A reset password ends every session of the account.
    services.hasher.hash(password, &services.context,
                         [&services, exchange, user = *updated](Result<QString> hash) {
                             if (!hash)
                                 return replyApiError(exchange, ApiError::fromError(hash.error()));
                             if (auto set = services.users.setPasswordHash(user.id, *hash); !set)
                                 return replyApiError(exchange, ApiError::fromError(set.error()));
                             (void)services.sessionControl.revokeUser(user.id, u"password_reset"_s);
                             exchange->reply(200, user.toJson());
                         });
}

void deleteUser(Services &services, const HttpExchangePtr &exchange)
{
    const auto admin = requireAdmin(services, exchange);
    const auto id = admin ? idParam(exchange) : std::nullopt;
    if (!id)
        return;
    const auto user = services.users.get(*id);
    if (!user)
        return replyApiError(exchange, ApiError::fromError(user.error()));
    User gone = *user;
    gone.status = UserStatus::Disabled;
    if (auto kept = keepsAnAdmin(services, *user, gone); !kept)
        return replyApiError(exchange, ApiError::fromError(kept.error()));
    (void)services.sessionControl.revokeUser(*id, u"account_deleted"_s);
    services.relay.cancelUser(*id, Error{ErrorCode::Cancelled, u"The account was deleted."_s});
    if (auto removed = services.users.remove(*id); !removed)
        return replyApiError(exchange, ApiError::fromError(removed.error()));
    exchange->replyBytes(204, {}, {});
}

void revokeUserSessions(Services &services, const HttpExchangePtr &exchange)
{
    const auto admin = requireAdmin(services, exchange);
    const auto id = admin ? idParam(exchange) : std::nullopt;
    if (!id)
        return;
    if (auto user = services.users.get(*id); !user)
        return replyApiError(exchange, ApiError::fromError(user.error()));
    const auto revoked = services.sessionControl.revokeUser(*id, u"revoked"_s);
    if (!revoked)
        return replyApiError(exchange, ApiError::fromError(revoked.error()));
    exchange->reply(200, QJsonObject{{u"revoked"_s, *revoked}});
}

void usagePerDay(Services &services, const HttpExchangePtr &exchange)
{
    if (!requireAdmin(services, exchange))
        return;
    const QUrlQuery query = exchange->query();
    const QDate today = QDateTime::currentDateTimeUtc().date();
    QDate to = QDate::fromString(query.queryItemValue(u"to"_s), Qt::ISODate);
    QDate from = QDate::fromString(query.queryItemValue(u"from"_s), Qt::ISODate);
    if (!to.isValid())
        to = today;
    if (!from.isValid())
        from = to.addDays(-29);
    if (from > to || from.daysTo(to) > 366)
        return replyApiError(
            exchange,
            ApiError::make(400, u"invalid_request"_s, u"from..to must span at most a year."_s));
    const auto days = services.usage.perUserPerDay(from, to);
    if (!days)
        return replyApiError(exchange, ApiError::fromError(days.error()));
    QJsonArray items;
    for (const UsageDay &day : *days) {
        items.append(QJsonObject{{u"user_id"_s, QString::number(day.userId)},
                                 {u"username"_s, day.username},
                                 {u"day"_s, day.day.toString(Qt::ISODate)},
                                 {u"requests"_s, day.totals.requests},
                                 {u"prompt_tokens"_s, day.totals.promptTokens},
                                 {u"completion_tokens"_s, day.totals.completionTokens},
                                 {u"total_tokens"_s, day.totals.totalTokens()}});
    }
    exchange->reply(200,
                    QJsonObject{{u"from"_s, from.toString(Qt::ISODate)},
                                {u"to"_s, to.toString(Qt::ISODate)},
                                {u"items"_s, items}});
}

void getPresets(Services &services, const HttpExchangePtr &exchange)
{
    if (!requireAdmin(services, exchange))
        return;
    const auto presets = services.presets.serverPresets();
    if (!presets)
        return replyApiError(exchange, ApiError::fromError(presets.error()));
    exchange->reply(200, pageJson(*presets, {}));
}

void putPresets(Services &services, const HttpExchangePtr &exchange)
{
    const auto admin = requireAdmin(services, exchange);
    const auto body = admin ? requireJsonObject(exchange) : std::nullopt;
    if (!body)
        return;
    const QJsonArray items = body->value("items"_L1).toArray();
    if (!body->value("items"_L1).isArray() || items.size() > 200)
        return replyApiError(
            exchange,
            ApiError::make(400, u"invalid_request"_s, u"items must be a list of presets."_s));
    QList<Preset> presets;
    for (const QJsonValue &item : items) {
        auto preset = Preset::fromJson(item.toObject());
        if (!preset)
            return replyApiError(exchange, ApiError::fromError(preset.error()));
        presets.append(*preset);
    }
    if (auto replaced = services.presets.replaceServerPresets(presets); !replaced)
        return replyApiError(exchange, ApiError::fromError(replaced.error()));
    getPresets(services, exchange);
}

void getSettings(Services &services, const HttpExchangePtr &exchange)
{
    if (requireAdmin(services, exchange))
        exchange->reply(200, services.settings.values().toJson());
}

void putSettings(Services &services, const HttpExchangePtr &exchange)
{
    const auto admin = requireAdmin(services, exchange);
    const auto body = admin ? requireJsonObject(exchange) : std::nullopt;
    if (!body)
        return;
    const auto applied = services.settings.apply(*body);
    if (!applied)
        return replyApiError(exchange, ApiError::fromError(applied.error()));
    exchange->reply(200, applied->toJson());
}

} // namespace

void addAdminRoutes(Router &router, Services &services)
{
    router.add("GET", u"/api/v1/admin/users", bound<listUsers>(services));
    router.add("POST", u"/api/v1/admin/users", bound<createUser>(services));
    router.add("PATCH", u"/api/v1/admin/users/{id}", bound<patchUser>(services));
    router.add("DELETE", u"/api/v1/admin/users/{id}", bound<deleteUser>(services));
    router.add("POST", u"/api/v1/admin/users/{id}/revoke", bound<revokeUserSessions>(services));
    router.add("GET", u"/api/v1/admin/usage", bound<usagePerDay>(services));
    router.add("GET", u"/api/v1/admin/presets", bound<getPresets>(services));
    router.add("PUT", u"/api/v1/admin/presets", bound<putPresets>(services));
    router.add("GET", u"/api/v1/admin/settings", bound<getSettings>(services));
    router.add("PUT", u"/api/v1/admin/settings", bound<putSettings>(services));
}

} // namespace confab
