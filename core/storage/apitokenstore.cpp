#include "apitokenstore.h"

#include "common/types.h"
#include "database.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr qsizetype secretBytes = 32;
// base64url of 32 bytes without padding.
constexpr qsizetype secretLength = ApiTokenStore::secretPrefix.size() + 43;
// A client calling in a loop would otherwise write to the database on every request.
constexpr qint64 lastUsedResolutionMs = 60'000;

const QString tokenColumns = u"id, user_id, name, created_at, last_used_at"_s;

ApiToken tokenFromRow(const QSqlQuery &row)
{
    ApiToken token;
    token.id = row.value(0).toLongLong();
    token.userId = row.value(1).toLongLong();
    token.name = row.value(2).toString();
    token.createdAt = Database::fromStoredTime(row.value(3));
    if (!row.value(4).isNull())
        token.lastUsedAt = Database::fromStoredTime(row.value(4));
    return token;
}

QString newSecret()
{
    QByteArray bytes(secretBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                          secretBytes / 4);
    return ApiTokenStore::secretPrefix.toString()
        + QString::fromLatin1(
               bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// The secret is 256 random bits: a fast hash is enough to make the stored value useless to
// whoever reads the database, and lets authenticate() find the row by it.
QString secretHash(const QString &secret)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256).toHex());
}

Error notFound()
{
    return Error{ErrorCode::NotFound, u"no such API token"_s};
}

} // namespace

QJsonObject ApiToken::toJson() const
{
    return {{u"id"_s, QString::number(id)},
            {u"name"_s, name},
            {u"created_at"_s, toIsoUtc(createdAt)},
            {u"last_used_at"_s, lastUsedAt ? QJsonValue(toIsoUtc(*lastUsedAt)) : QJsonValue()}};
}

ApiTokenStore::ApiTokenStore(Database &db)
    : m_db(db)
{}

Result<IssuedApiToken> ApiTokenStore::create(qint64 userId, const QString &name)
{
    const QString trimmed = name.trimmed();
    const qsizetype length = trimmed.toUcs4().size();
    if (length < 1 || length > 100)
        return Error{ErrorCode::InvalidInput, u"a token name has 1 to 100 characters"_s};
    IssuedApiToken issued;
    issued.secret = newSecret();
    const qint64 now = Database::toStoredTime(m_db.now());
    auto inserted
        = m_db.exec(u"INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
                    "VALUES (?, ?, ?, ?)"_s,
                    {userId, trimmed, secretHash(issued.secret), now}, u"create the API token"_s);
    if (!inserted) {
        // The owner's foreign key is the only constraint a fresh random secret can break.
        if (inserted.error().code == ErrorCode::Conflict)
            return Error{ErrorCode::NotFound, u"no such user"_s};
        return inserted.error();
    }
    issued.token.id = inserted->lastInsertId().toLongLong();
    issued.token.userId = userId;
    issued.token.name = trimmed;
    issued.token.createdAt = Database::fromStoredTime(now);
    return issued;
}

Result<QList<ApiToken>> ApiTokenStore::list(qint64 userId)
{
    auto query = m_db.exec(u"SELECT "_s + tokenColumns
                               + u" FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL "
                                 "ORDER BY created_at DESC, id DESC"_s,
                           {userId}, u"list the API tokens"_s);
    if (!query)
        return query.error();
    QList<ApiToken> tokens;
    while (query->next())
        tokens.append(tokenFromRow(*query));
    return tokens;
}

Result<void> ApiTokenStore::revoke(qint64 userId, qint64 tokenId)
{
    auto updated = m_db.exec(u"UPDATE api_tokens SET revoked_at = ? "
                             "WHERE id = ? AND user_id = ? AND revoked_at IS NULL"_s,
                             {Database::toStoredTime(m_db.now()), tokenId, userId},
                             u"revoke the API token"_s);
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 0)
        return notFound();
    return {};
}

Result<ApiToken> ApiTokenStore::authenticate(const QString &secret)
{
    const Error refused{ErrorCode::Unauthorized, u"invalid API token"_s};
    // Not one of ours: no need to hash it (it may be megabytes) or to ask the database.
    if (secret.size() != secretLength || !secret.startsWith(secretPrefix))
        return refused;
    auto query = m_db.exec(u"SELECT "_s + tokenColumns
                               + u" FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL"_s,
                           {secretHash(secret)}, u"check the API token"_s);
    if (!query)
        return query.error();
    if (!query->next())
        return refused;
    ApiToken token = tokenFromRow(*query);
    query->finish();

    const QDateTime now = m_db.now();
    if (!token.lastUsedAt || token.lastUsedAt->msecsTo(now) >= lastUsedResolutionMs) {
        auto touched
            = m_db.exec(u"UPDATE api_tokens SET last_used_at = ? WHERE id = ?"_s,
                        {Database::toStoredTime(now), token.id}, u"note the API token's use"_s);
        if (!touched)
            return touched.error();
        token.lastUsedAt = now;
    }
    return token;
}

} // namespace confab
