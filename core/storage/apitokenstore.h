#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// Personal API tokens: what the OpenAI-compatible endpoints take as a Bearer token. Only a
// token's SHA-256 is stored; its secret is shown to the user once, when it is created.

namespace confab {

class Database;

struct ApiToken
{
    qint64 id = 0;
    qint64 userId = 0;
    QString name;
    QDateTime createdAt;
    std::optional<QDateTime> lastUsedAt;

    // {"id","name","created_at","last_used_at"}: never the secret or its hash.
    QJsonObject toJson() const;

    bool operator==(const ApiToken &) const = default;
};

struct IssuedApiToken
{
    ApiToken token;
    QString secret; // "cfb_" + 43 characters (256 random bits, base64url)
};

class ApiTokenStore final
{
public:
    // The prefix tells a Confab token apart (in a secret scanner, in a leaked log).
    static constexpr QStringView secretPrefix = u"cfb_";

    explicit ApiTokenStore(Database &db);

    // The name (trimmed) has 1 to 100 characters, else InvalidInput. NotFound for an unknown
    // user.
    Result<IssuedApiToken> create(qint64 userId, const QString &name);
    // The user's tokens that are not revoked, newest first.
    Result<QList<ApiToken>> list(qint64 userId);
    // NotFound for an unknown, already revoked or another user's token.
    Result<void> revoke(qint64 userId, qint64 tokenId);
    // The token a secret stands for; Unauthorized when it is unknown or revoked. Notes the use
    // at most once a minute, so that a busy client does not write on every request. Whether
    // the owner may still sign in is the caller's question.
    Result<ApiToken> authenticate(const QString &secret);

private:
    Database &m_db;
};

} // namespace confab
