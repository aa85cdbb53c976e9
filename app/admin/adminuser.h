#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace confab {

// A user's limits as an admin sets them; nullopt is unlimited.
struct UserQuota
{
    std::optional<qint64> dailyRequests;
    std::optional<qint64> monthlyRequests;
    std::optional<qint64> dailyTokens;
    std::optional<qint64> monthlyTokens;

    // The "quota" object of PATCH /admin/users/{id}; null for unlimited.
    QJsonObject toJson() const;
    static UserQuota fromJson(const QJsonObject &json);
};

// One account as GET /api/v1/admin/users lists it.
struct AdminUser
{
    QString id;
    QString username;
    QString role;   // "user" or "admin"
    QString status; // "pending", "active" or "disabled"
    QDateTime createdAt;
    UserQuota quota;

    static AdminUser fromJson(const QJsonObject &json);
};

} // namespace confab
