#include "jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <optional>
#include <sodium.h>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Ours are ~300 bytes; this spares decoding whatever a client sends.
constexpr qsizetype maxTokenLength = 4096;

Error refused(const QString &why)
{
    return Error{ErrorCode::Unauthorized, u"invalid access token: %1"_s.arg(why)};
}

QByteArray encodePart(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray encodeJson(const QJsonObject &object)
{
    return encodePart(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Strictly base64url without padding, as JWS compact serialization has it.
std::optional<QByteArray> decodePart(QStringView part)
{
    if (part.isEmpty())
        return std::nullopt;
    for (const QChar c : part) {
        const char16_t u = c.unicode();
        const bool valid = (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z')
            || (u >= u'0' && u <= u'9') || u == u'-' || u == u'_';
        if (!valid)
            return std::nullopt;
    }
    auto decoded = QByteArray::fromBase64Encoding(
        part.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(decoded.decoded);
}

std::optional<QJsonObject> decodeObject(QStringView part)
{
    const auto bytes = decodePart(part);
    if (!bytes)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

// A NumericDate: seconds since the epoch, possibly fractional (RFC 7519 §2).
std::optional<qint64> numericDate(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double seconds = value.toDouble();
    // Beyond year 30000 is nonsense, and would overflow milliseconds.
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 9.0e11)
        return std::nullopt;
    return qint64(std::floor(seconds));
}

} // namespace

JwtSigner::JwtSigner(QByteArray secret, QString issuer, QString audience)
    : m_secret(std::move(secret))
    , m_issuer(std::move(issuer))
    , m_audience(std::move(audience))
{}

Result<JwtSigner> JwtSigner::create(QByteArray secret, QString issuer, QString audience)
{
    if (secret.size() < minSecretBytes) {
        return Error{ErrorCode::InvalidInput,
                     u"the JWT secret must have at least %1 bytes (it has %2)"_s.arg(minSecretBytes)
                         .arg(secret.size())};
    }
    if (issuer.isEmpty() || audience.isEmpty())
        return Error{ErrorCode::InvalidInput, u"a JWT issuer and audience are needed"_s};
    if (sodium_init() < 0)
        return Error{ErrorCode::Internal, u"libsodium could not initialize"_s};
    return JwtSigner(std::move(secret), std::move(issuer), std::move(audience));
}

QByteArray JwtSigner::mac(QByteArrayView signingInput) const
{
    crypto_auth_hmacsha256_state state;
    QByteArray out(crypto_auth_hmacsha256_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char *>(m_secret.data()),
                                size_t(m_secret.size()));
    crypto_auth_hmacsha256_update(&state,
                                  reinterpret_cast<const unsigned char *>(signingInput.data()),
                                  quint64(signingInput.size()));
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char *>(out.data()));
    sodium_memzero(&state, sizeof state);
    return out;
}

QString JwtSigner::sign(qint64 userId, const QString &sessionId, std::chrono::seconds lifetime,
                        QDateTime now) const
{
    const qint64 issued = now.toSecsSinceEpoch();
    const QJsonObject header{{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}};
    const QJsonObject payload{{u"iss"_s, m_issuer},
                              {u"aud"_s, m_audience},
                              {u"sub"_s, QString::number(userId)},
                              {u"sid"_s, sessionId},
                              {u"typ"_s, u"access"_s},
                              {u"iat"_s, issued},
                              {u"nbf"_s, issued},
                              {u"exp"_s, issued + qint64(lifetime.count())}};
    const QByteArray signingInput = encodeJson(header) + '.' + encodeJson(payload);
    return QString::fromLatin1(signingInput + '.' + encodePart(mac(signingInput)));
}

Result<JwtClaims> JwtSigner::verify(QStringView token, QDateTime now) const
{
    if (token.size() > maxTokenLength)
        return refused(u"too long"_s);
    const qsizetype firstDot = token.indexOf(u'.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf(u'.', firstDot + 1);
    if (secondDot < 0 || token.indexOf(u'.', secondDot + 1) >= 0)
        return refused(u"not three dot-separated parts"_s);
    const QStringView headerPart = token.first(firstDot);
    const QStringView payloadPart = token.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QStringView signaturePart = token.sliced(secondDot + 1);

    // The algorithm is fixed, whatever the header asks for ("none", RS256 with our secret as a
    // "public key"...): the header is only checked to say so.
    const auto header = decodeObject(headerPart);
    if (!header)
        return refused(u"malformed header"_s);
    if (header->value("alg"_L1) != u"HS256"_s)
        return refused(u"unsupported algorithm (only HS256 is accepted)"_s);
    if (header->contains("typ"_L1) && header->value("typ"_L1) != u"JWT"_s)
        return refused(u"unsupported token type"_s);
    if (header->contains("crit"_L1))
        return refused(u"unsupported critical header"_s);

    const auto signature = decodePart(signaturePart);
    if (!signature || signature->size() != crypto_auth_hmacsha256_BYTES)
        return refused(u"malformed signature"_s);
    const QByteArray expected = mac(token.first(secondDot).toLatin1());
    if (sodium_memcmp(expected.constData(), signature->constData(), size_t(expected.size())) != 0)
        return refused(u"bad signature"_s);

    const auto payload = decodeObject(payloadPart);
    if (!payload)
        return refused(u"malformed payload"_s);
    if (payload->value("typ"_L1) != u"access"_s)
        return refused(u"not an access token"_s);
    if (payload->value("iss"_L1) != m_issuer)
        return refused(u"wrong issuer"_s);
    const QJsonValue audience = payload->value("aud"_L1);
    // RFC 7519 allows one audience or several.
    if (audience != m_audience
        && !(audience.isArray() && audience.toArray().contains(QJsonValue(m_audience))))
        return refused(u"wrong audience"_s);

    const auto expires = numericDate(payload->value("exp"_L1));
    const auto notBefore = numericDate(payload->value("nbf"_L1));
    const auto issued = numericDate(payload->value("iat"_L1));
    if (!expires || !notBefore || !issued)
        return refused(u"missing or malformed exp, nbf or iat"_s);
    const qint64 nowMs = now.toMSecsSinceEpoch();
    if (*expires * 1000 <= nowMs)
        return refused(u"expired"_s);
    const qint64 leewayMs = std::chrono::milliseconds(clockLeeway).count();
    if (*notBefore * 1000 > nowMs + leewayMs)
        return refused(u"not valid yet"_s);
    if (*issued * 1000 > nowMs + leewayMs)
        return refused(u"issued in the future"_s);

    JwtClaims claims;
    bool numeric = false;
    claims.userId = payload->value("sub"_L1).toString().toLongLong(&numeric);
    if (!numeric || claims.userId <= 0)
        return refused(u"missing or malformed subject"_s);
    claims.sessionId = payload->value("sid"_L1).toString();
    if (claims.sessionId.isEmpty())
        return refused(u"missing session"_s);
    claims.issuedAt = QDateTime::fromSecsSinceEpoch(*issued, Qt::UTC);
    claims.notBefore = QDateTime::fromSecsSinceEpoch(*notBefore, Qt::UTC);
    claims.expiresAt = QDateTime::fromSecsSinceEpoch(*expires, Qt::UTC);
    return claims;
}

} // namespace confab
