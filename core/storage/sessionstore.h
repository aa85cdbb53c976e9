#pragma once

#include "common/result.h"
#include "user.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

// The server's login sessions: what an access token's session id is checked against on every
// request (so logout, kicks and disables take effect at once) and the rotating refresh tokens.

namespace confab {

class Database;

struct Session
{
    QString id;
    qint64 userId = 0;
    QDateTime createdAt;
    QDateTime expiresAt;
    std::optional<QDateTime> revokedAt;
    QString revokeReason; // "session_replaced", "refresh_reuse", "logout", ...
    QString userAgent;
    QString address;
    // Messages with a smaller id are not sent to the model again: each login starts a fresh
    // context, its history stays readable.
    qint64 contextStartMessageId = 0;

    bool isActive(const QDateTime &now) const { return !revokedAt && now < expiresAt; }

    bool operator==(const Session &) const = default;
};

struct IssuedSession
{
    Session session;
    QString refreshToken; // clear text for the client, once; only its SHA-256 is stored
};

class SessionStore final
{
public:
    explicit SessionStore(Database &db);

    // Single-device login, in one transaction: revokes the user's other active sessions
    // ("session_replaced") and opens a new one whose context starts after every message
    // stored so far. revokedIds receives the sessions it revoked. NotFound for an unknown user.
    Result<IssuedSession> createExclusive(qint64 userId, const QString &userAgent,
                                          const QString &address, std::chrono::seconds lifetime,
                                          QStringList *revokedIds = nullptr);
    // Revoked and expired sessions too; NotFound when there is no such session.
    Result<Session> get(const QString &id);
    // The session and its user, read in one statement: what every authenticated request
    // checks. As get() otherwise.
    Result<std::pair<Session, User>> getWithUser(const QString &id);
    // Swaps the refresh token of the active session it belongs to for a new one and moves the
    // expiry to now + lifetime. An unknown, expired or revoked token is Unauthorized. A token
    // that was already rotated away means two parties hold it: the session is revoked
    // ("refresh_reuse") and the answer is Unauthorized. Refreshes of one session must therefore
    // not race: the loser of a race is treated as the thief.
    Result<IssuedSession> rotate(const QString &refreshToken, std::chrono::seconds lifetime);
    // Keeps the first reason when the session is already revoked; NotFound for an unknown id.
    Result<void> revoke(const QString &id, const QString &reason);
    // Returns the ids of the active sessions it revoked.
    Result<QStringList> revokeAllForUser(qint64 userId, const QString &reason);
    // Neither revoked nor expired; newest first.
    Result<QList<Session>> activeForUser(qint64 userId);
    // Deletes the sessions revoked or expired more than `kept` ago (with their rotated tokens),
    // so that the table does not grow with every login. Until then an old token still learns
    // why it was refused (session_replaced, ...). Returns how many it deleted.
    Result<int> prune(std::chrono::seconds kept);

private:
    Result<Session> fetchOne(const QString &where, const QVariant &value);
    Result<QStringList> revokeActive(qint64 userId, const QString &reason, qint64 now);

    Database &m_db;
};

} // namespace confab
