#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringView>

#include <chrono>

// Access tokens: JWTs signed with HMAC-SHA256 (HS256, and only that), carrying the user and the
// session id that every request checks against the sessions table.

namespace confab {

struct JwtClaims
{
    qint64 userId = 0;  // "sub", as a decimal string
    QString sessionId;  // "sid"
    QDateTime issuedAt; // "iat"; the times are whole seconds
    QDateTime notBefore;
    QDateTime expiresAt;

    bool operator==(const JwtClaims &) const = default;
};

class JwtSigner final
{
public:
    static constexpr qsizetype minSecretBytes = 32; // 256 bits, as HS256 deserves
    // A clock a little behind the one that signed must still accept a fresh token.
    static constexpr std::chrono::seconds clockLeeway{30};

    // InvalidInput when the secret is shorter than minSecretBytes or the issuer or audience is
    // empty.
    static Result<JwtSigner> create(QByteArray secret, QString issuer, QString audience);

    // An access token ("typ":"access") for the session, valid from now for lifetime.
    QString sign(qint64 userId, const QString &sessionId, std::chrono::seconds lifetime,
                 QDateTime now = QDateTime::currentDateTimeUtc()) const;
    // Unauthorized, with a message that says why and never contains the token, when the token
    // is malformed, not HS256, badly signed, not an access token, for another issuer or
    // audience, expired (no leeway), not yet valid or issued in the future (clockLeeway), or
    // missing its subject or session.
    Result<JwtClaims> verify(QStringView token,
                             QDateTime now = QDateTime::currentDateTimeUtc()) const;

private:
    JwtSigner(QByteArray secret, QString issuer, QString audience);
    QByteArray mac(QByteArrayView signingInput) const;

    QByteArray m_secret;
    QString m_issuer;
    QString m_audience;
};

} // namespace confab
