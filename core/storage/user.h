#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

// An account: the desktop's one local user or one of the server's users, with its quotas.

namespace confab {

enum class UserRole { User, Admin };
enum class UserStatus { Active, Pending, Disabled };

QString userRoleName(UserRole role);
std::optional<UserRole> userRoleFromName(QStringView name);
QString userStatusName(UserStatus status);
std::optional<UserStatus> userStatusFromName(QStringView name);

struct User
{
    qint64 id = 0;
    QString username;
    QString email;
    QString passwordHash; // Argon2id string; never leaves the server, never in JSON
    UserRole role = UserRole::User;
    UserStatus status = UserStatus::Active;
    // nullopt = unlimited / the server's default.
    std::optional<qint64> dailyRequests;
    std::optional<qint64> monthlyRequests;
    std::optional<qint64> dailyTokens;
    std::optional<qint64> monthlyTokens;
    std::optional<int> contextMessages;
    QDateTime createdAt;
    QDateTime updatedAt;

    // {"id","username","email","role","status","created_at","quota":{...}}: no hash.
    QJsonObject toJson() const;

    bool operator==(const User &) const = default;
};

} // namespace confab
