#include "user.h"

#include "common/types.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QJsonValue optionalToJson(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

} // namespace

QString userRoleName(UserRole role)
{
    return role == UserRole::Admin ? u"admin"_s : u"user"_s;
}

std::optional<UserRole> userRoleFromName(QStringView name)
{
    if (name == u"admin")
        return UserRole::Admin;
    if (name == u"user")
        return UserRole::User;
    return std::nullopt;
}

QString userStatusName(UserStatus status)
{
    switch (status) {
    case UserStatus::Active:
        return u"active"_s;
    case UserStatus::Pending:
        return u"pending"_s;
    case UserStatus::Disabled:
        return u"disabled"_s;
    }
    return u"disabled"_s;
}

std::optional<UserStatus> userStatusFromName(QStringView name)
{
    if (name == u"active")
        return UserStatus::Active;
    if (name == u"pending")
        return UserStatus::Pending;
    if (name == u"disabled")
        return UserStatus::Disabled;
    return std::nullopt;
}

QJsonObject User::toJson() const
{
    const QJsonObject quota{
        {u"daily_requests"_s, optionalToJson(dailyRequests)},
        {u"monthly_requests"_s, optionalToJson(monthlyRequests)},
        {u"daily_tokens"_s, optionalToJson(dailyTokens)},
        {u"monthly_tokens"_s, optionalToJson(monthlyTokens)},
        {u"context_messages"_s, contextMessages ? QJsonValue(*contextMessages) : QJsonValue()}};
    return {{u"id"_s, QString::number(id)},
            {u"username"_s, username},
            {u"email"_s, email.isEmpty() ? QJsonValue() : QJsonValue(email)},
            {u"role"_s, userRoleName(role)},
            {u"status"_s, userStatusName(status)},
            {u"created_at"_s, toIsoUtc(createdAt)},
            {u"quota"_s, quota}};
}

} // namespace confab
