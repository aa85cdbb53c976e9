#include "adminuser.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

std::optional<qint64> optionalCount(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    return qint64(value.toDouble());
}

QJsonValue countToJson(const std::optional<qint64> &count)
{
    return count ? QJsonValue(double(*count)) : QJsonValue();
}

} // namespace

QJsonObject UserQuota::toJson() const
{
    return {{u"daily_requests"_s, countToJson(dailyRequests)},
            {u"monthly_requests"_s, countToJson(monthlyRequests)},
            {u"daily_tokens"_s, countToJson(dailyTokens)},
            {u"monthly_tokens"_s, countToJson(monthlyTokens)}};
}

UserQuota UserQuota::fromJson(const QJsonObject &json)
{
    return {optionalCount(json.value("daily_requests"_L1)),
            optionalCount(json.value("monthly_requests"_L1)),
            optionalCount(json.value("daily_tokens"_L1)),
            optionalCount(json.value("monthly_tokens"_L1))};
}

AdminUser AdminUser::fromJson(const QJsonObject &json)
{
    return {json.value("id"_L1).toString(),
            json.value("username"_L1).toString(),
            json.value("role"_L1).toString(),
            json.value("status"_L1).toString(),
            QDateTime::fromString(json.value("created_at"_L1).toString(), Qt::ISODateWithMs),
            UserQuota::fromJson(json.value("quota"_L1).toObject())};
}

} // namespace confab
