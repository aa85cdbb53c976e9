#include "sessionstore.h"

#include "common/logging.h"
#include "database.h"
#include "userrows.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Qualified with the alias s, as in "FROM sessions s".
const QString sessionColumns
    = u"s.id, s.user_id, s.created_at, s.expires_at, s.revoked_at, s.revoke_reason, "
      "s.user_agent, s.address, s.context_start_message_id"_s;
constexpr int sessionColumnCount = 9;

// Neither revoked nor expired at the time bound after it.
const QString activeCondition = u"revoked_at IS NULL AND expires_at > ?"_s;

// A user agent is only shown to people; a header can be kilobytes long.
constexpr qsizetype maxUserAgentLength = 512;

Session sessionFromRow(const QSqlQuery &row)
{
    Session session;
    session.id = row.value(0).toString();
    session.userId = row.value(1).toLongLong();
    session.createdAt = Database::fromStoredTime(row.value(2));
    session.expiresAt = Database::fromStoredTime(row.value(3));
    if (!row.value(4).isNull())
        session.revokedAt = Database::fromStoredTime(row.value(4));
    session.revokeReason = row.value(5).toString();
    session.userAgent = row.value(6).toString();
    session.address = row.value(7).toString();
    session.contextStartMessageId = row.value(8).toLongLong();
    return session;
}

// size is a multiple of 4: the system generator fills 32-bit words.
QString randomToken(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// Refresh tokens are 256 random bits: a fast hash is enough to make the stored value useless
// to whoever reads the database.
QString tokenHash(const QString &token)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

Error unauthorized(const QString &why)
{
    return Error{ErrorCode::Unauthorized, why};
}

} // namespace

SessionStore::SessionStore(Database &db)
    : m_db(db)
{}

Result<IssuedSession> SessionStore::createExclusive(qint64 userId, const QString &userAgent,
                                                    const QString &address,
                                                    std::chrono::seconds lifetime,
                                                    QStringList *revokedIds)
{
    if (lifetime.count() <= 0)
        return Error{ErrorCode::InvalidInput, u"a session lifetime must be positive"_s};
    const QDateTime now = m_db.now();
    const qint64 storedNow = Database::toStoredTime(now);

    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    auto user = m_db.exec(u"SELECT 1 FROM users WHERE id = ?"_s, {userId}, u"log in"_s);
    if (!user)
        return user.error();
    if (!user->next())
        return Error{ErrorCode::NotFound, u"no such user"_s};
    user->finish();

    auto revoked = revokeActive(userId, u"session_replaced"_s, storedNow);
    if (!revoked)
        return revoked.error();

    // Message ids only grow (AUTOINCREMENT), so every later message is past this one.
    auto lastMessage
        = m_db.exec(u"SELECT coalesce(max(id), 0) + 1 FROM messages"_s, {}, u"log in"_s);
    if (!lastMessage)
        return lastMessage.error();
    const qint64 contextStart = lastMessage->next() ? lastMessage->value(0).toLongLong() : 1;
    lastMessage->finish();

    IssuedSession issued;
    issued.refreshToken = randomToken(32);
    Session &session = issued.session;
    session.id = randomToken(16);
    session.userId = userId;
    session.createdAt = now;
    session.expiresAt = now.addSecs(lifetime.count());
    session.userAgent = userAgent.left(maxUserAgentLength);
    session.address = address;
    session.contextStartMessageId = contextStart;
    auto inserted = m_db.exec(
        u"INSERT INTO sessions (id, user_id, refresh_token_hash, created_at, expires_at, "
        "user_agent, address, context_start_message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {session.id, userId, tokenHash(issued.refreshToken), storedNow,
         Database::toStoredTime(session.expiresAt), session.userAgent, session.address,
         contextStart},
        u"log in"_s);
    if (!inserted)
        return inserted.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    if (revokedIds)
        *revokedIds = *revoked;
    return issued;
}

Result<Session> SessionStore::get(const QString &id)
{
    return fetchOne(u"id = ?"_s, id);
}

Result<std::pair<Session, User>> SessionStore::getWithUser(const QString &id)
{
    auto query
        = m_db.exec(u"SELECT "_s + sessionColumns + u", "_s + userrows::columns
                        + u" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?"_s,
                    {id}, u"read the session"_s);
    if (!query)
        return query.error();
    if (!query->next())
        return Error{ErrorCode::NotFound, u"no such session"_s};
    return std::pair(sessionFromRow(*query), userrows::userFromRow(*query, sessionColumnCount));
}

Result<IssuedSession> SessionStore::rotate(const QString &refreshToken,
                                           std::chrono::seconds lifetime)
{
    if (lifetime.count() <= 0)
        return Error{ErrorCode::InvalidInput, u"a session lifetime must be positive"_s};
    if (refreshToken.isEmpty())
        return unauthorized(u"no refresh token"_s);
    const QString hash = tokenHash(refreshToken);
    const QDateTime now = m_db.now();
    const qint64 storedNow = Database::toStoredTime(now);

    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    auto current = fetchOne(u"refresh_token_hash = ?"_s, hash);
    if (current) {
        if (current->revokedAt)
            return unauthorized(u"the session was revoked"_s);
        if (!current->isActive(now))
            return unauthorized(u"the session has expired"_s);
        IssuedSession issued{*current, randomToken(32)};
        issued.session.expiresAt = now.addSecs(lifetime.count());
        if (auto updated = m_db.exec(
                u"UPDATE sessions SET refresh_token_hash = ?, expires_at = ? WHERE id = ?"_s,
                {tokenHash(issued.refreshToken), Database::toStoredTime(issued.session.expiresAt),
                 current->id},
                u"refresh the session"_s);
            !updated)
            return updated.error();
        // Remembered until it would have expired by itself; older ones are dropped here.
        if (auto remembered
            = m_db.exec(u"INSERT INTO rotated_refresh_tokens (token_hash, session_id, expires_at) "
                        "VALUES (?, ?, ?)"_s,
                        {hash, current->id, Database::toStoredTime(current->expiresAt)},
                        u"refresh the session"_s);
            !remembered)
            return remembered.error();
        if (auto pruned = m_db.exec(u"DELETE FROM rotated_refresh_tokens "
                                    "WHERE session_id = ? AND expires_at <= ?"_s,
                                    {current->id, storedNow}, u"refresh the session"_s);
            !pruned)
            return pruned.error();
        if (auto committed = transaction.commit(); !committed)
            return committed.error();
        return issued;
    }
    if (current.error().code != ErrorCode::NotFound)
        return current.error();

    auto rotated = m_db.exec(u"SELECT r.session_id, s.user_id FROM rotated_refresh_tokens r "
                             "JOIN sessions s ON s.id = r.session_id "
                             "WHERE r.token_hash = ? AND r.expires_at > ?"_s,
                             {hash, storedNow}, u"refresh the session"_s);
    if (!rotated)
        return rotated.error();
    if (!rotated->next())
        return unauthorized(u"unknown refresh token"_s);
    const QString sessionId = rotated->value(0).toString();
    const qint64 userId = rotated->value(1).toLongLong();
    rotated->finish();
    if (auto revoked = revoke(sessionId, u"refresh_reuse"_s); !revoked)
        return revoked.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    qCWarning(lcDb) << "a refresh token was used twice: revoked a session of user" << userId;
    return unauthorized(u"the refresh token was already used; the session is revoked"_s);
}

Result<void> SessionStore::revoke(const QString &id, const QString &reason)
{
    if (reason.isEmpty())
        return Error{ErrorCode::InvalidInput, u"a revocation needs a reason"_s};
    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    auto updated
        = m_db.exec(u"UPDATE sessions SET revoked_at = ?, revoke_reason = ? "
                    "WHERE id = ? AND revoked_at IS NULL"_s,
                    {Database::toStoredTime(m_db.now()), reason, id}, u"revoke the session"_s);
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 0) {
        if (auto existing = get(id); !existing)
            return existing.error();
    }
    if (auto forgotten = m_db.exec(u"DELETE FROM rotated_refresh_tokens WHERE session_id = ?"_s,
                                   {id}, u"revoke the session"_s);
        !forgotten)
        return forgotten.error();
    return transaction.commit();
}

Result<QStringList> SessionStore::revokeAllForUser(qint64 userId, const QString &reason)
{
    if (reason.isEmpty())
        return Error{ErrorCode::InvalidInput, u"a revocation needs a reason"_s};
    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    auto revoked = revokeActive(userId, reason, Database::toStoredTime(m_db.now()));
    if (!revoked)
        return revoked.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return revoked;
}

Result<QList<Session>> SessionStore::activeForUser(qint64 userId)
{
    auto query
        = m_db.exec(u"SELECT "_s + sessionColumns + u" FROM sessions s WHERE user_id = ? AND "_s
                        + activeCondition + u" ORDER BY created_at DESC, id"_s,
                    {userId, Database::toStoredTime(m_db.now())}, u"list the sessions"_s);
    if (!query)
        return query.error();
    QList<Session> sessions;
    while (query->next())
        sessions.append(sessionFromRow(*query));
    return sessions;
}

Result<int> SessionStore::prune(std::chrono::seconds kept)
{
    const qint64 before = Database::toStoredTime(m_db.now().addSecs(-kept.count()));
    auto deleted = m_db.exec(u"DELETE FROM sessions WHERE revoked_at < ? OR expires_at < ?"_s,
                             {before, before}, u"forget old sessions"_s);
    if (!deleted)
        return deleted.error();
    return deleted->numRowsAffected();
}

Result<Session> SessionStore::fetchOne(const QString &where, const QVariant &value)
{
    auto query = m_db.exec(u"SELECT "_s + sessionColumns + u" FROM sessions s WHERE "_s + where,
                           {value}, u"read the session"_s);
    if (!query)
        return query.error();
    if (!query->next())
        return Error{ErrorCode::NotFound, u"no such session"_s};
    Session session = sessionFromRow(*query);
    query->finish();
    return session;
}

// Within the caller's transaction. Returns the ids it revoked.
Result<QStringList> SessionStore::revokeActive(qint64 userId, const QString &reason, qint64 now)
{
    auto active = m_db.exec(u"SELECT id FROM sessions WHERE user_id = ? AND "_s + activeCondition,
                            {userId, now}, u"revoke the sessions"_s);
    if (!active)
        return active.error();
    QStringList ids;
    while (active->next())
        ids.append(active->value(0).toString());
    active->finish();
    if (!ids.isEmpty()) {
        if (auto updated = m_db.exec(u"UPDATE sessions SET revoked_at = ?, revoke_reason = ? "
                                     "WHERE user_id = ? AND "_s
                                         + activeCondition,
                                     {now, reason, userId, now}, u"revoke the sessions"_s);
            !updated)
            return updated.error();
    }
    // None of the user's sessions is active now: the tokens rotated away in them can no longer
    // betray anything, and this keeps the table from growing with expired sessions.
    if (auto forgotten = m_db.exec(u"DELETE FROM rotated_refresh_tokens WHERE session_id IN "
                                   "(SELECT id FROM sessions WHERE user_id = ?)"_s,
                                   {userId}, u"revoke the sessions"_s);
        !forgotten)
        return forgotten.error();
    return ids;
}

} // namespace confab
