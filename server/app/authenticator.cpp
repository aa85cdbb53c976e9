#include "authenticator.h"

#include "auth/jwt.h"
#include "storage/apitokenstore.h"
#include "storage/userstore.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

ApiError unauthorized(const QString &message)
{
    return ApiError::make(401, u"unauthorized"_s, message);
}

} // namespace

Authenticator::Authenticator(const JwtSigner &jwt, SessionStore &sessions, UserStore &users,
                             ApiTokenStore &apiTokens)
    : m_jwt(jwt)
    , m_sessions(sessions)
    , m_users(users)
    , m_apiTokens(apiTokens)
{}

QString Authenticator::bearerToken(QByteArrayView authorization)
{
    const QByteArrayView trimmed = authorization.trimmed();
    constexpr QByteArrayView scheme = "bearer ";
    if (trimmed.size() <= scheme.size()
        || QByteArrayView(trimmed.first(scheme.size())).compare(scheme, Qt::CaseInsensitive) != 0)
        return {};
    return QString::fromLatin1(trimmed.sliced(scheme.size()).trimmed());
}

ApiResult<Identity> Authenticator::authenticate(QByteArrayView authorization) const
{
    const QString token = bearerToken(authorization);
    if (token.isEmpty())
        return unauthorized(u"Sign in first: an access token is missing."_s);
    const auto claims = m_jwt.verify(token);
    if (!claims)
        return unauthorized(u"The access token is not valid: %1"_s.arg(claims.error().message));
    auto identity = authenticateSession(claims->sessionId);
    if (auto *found = std::get_if<Identity>(&identity); found && found->user.id != claims->userId)
        return unauthorized(u"The access token is not valid."_s);
    return identity;
}

ApiResult<Identity> Authenticator::authenticateSession(const QString &sessionId) const
{
    auto found = m_sessions.getWithUser(sessionId);
    if (!found) {
        if (found.error().code == ErrorCode::NotFound)
            return unauthorized(u"The session has ended."_s);
        return ApiError::fromError(found.error());
    }
    auto &[session, user] = *found;
    if (!session.isActive(QDateTime::currentDateTimeUtc())) {
        if (session.revokeReason == "session_replaced"_L1)
            return ApiError::make(401, u"session_replaced"_s,
                                  u"You signed in on another device."_s);
        if (session.revokeReason == "account_disabled"_L1)
            return ApiError::make(401, u"account_disabled"_s, u"This account is disabled."_s);
        return unauthorized(u"The session has ended; sign in again."_s);
    }
    if (auto refused = refusal(user))
        return *refused;
    return Identity{std::move(user), std::move(session)};
}

ApiResult<User> Authenticator::authenticateApiToken(QByteArrayView authorization) const
{
    const QString secret = bearerToken(authorization);
    if (secret.isEmpty())
        return unauthorized(u"An API token is missing (Authorization: Bearer cfb_...)."_s);
    const auto token = m_apiTokens.authenticate(secret);
    if (!token) {
        if (token.error().code == ErrorCode::Unauthorized)
            return unauthorized(u"The API token is not valid."_s);
        return ApiError::fromError(token.error());
    }
    return activeUser(token->userId);
}

ApiResult<User> Authenticator::activeUser(qint64 userId) const
{
    auto user = m_users.get(userId);
    if (!user) {
        if (user.error().code == ErrorCode::NotFound)
            return unauthorized(u"The account no longer exists."_s);
        return ApiError::fromError(user.error());
    }
    if (auto refused = refusal(*user))
        return *refused;
    return std::move(user).value();
}

std::optional<ApiError> Authenticator::refusal(const User &user)
{
    if (user.status == UserStatus::Disabled)
        return ApiError::make(401, u"account_disabled"_s, u"This account is disabled."_s);
    if (user.status == UserStatus::Pending)
        return ApiError::make(403, u"pending_approval"_s,
                              u"An administrator has not approved this account yet."_s);
    return std::nullopt;
}

} // namespace confab
