#include "user.h"

#include "common/enumnames.h"
#include "common/types.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QJsonValue optionalToJson(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

// Unknown values read as the least privileged: a plain user, disabled.
constexpr EnumNames<UserRole, 2>
    UserRoleNames({{{UserRole::User, u"user"}, {UserRole::Admin, u"admin"}}});
constexpr EnumNames<UserStatus, 3> UserStatusNames({{{UserStatus::Disabled, u"disabled"},
                                                     {UserStatus::Active, u"active"},
                                                     {UserStatus::Pending, u"pending"}}});

} // namespace

QString userRoleName(UserRole role)
{
    return UserRoleNames.name(role);
}

std::optional<UserRole> userRoleFromName(QStringView name)
{
    return UserRoleNames.value(name);
}

QString userStatusName(UserStatus status)
{
    return UserStatusNames.name(status);
}

std::optional<UserStatus> userStatusFromName(QStringView name)
{
    return UserStatusNames.value(name);
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
