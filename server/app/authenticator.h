#pragma once

#include "apierror.h"
#include "storage/sessionstore.h"
#include "storage/user.h"

#include <QByteArrayView>

#include <optional>

// Who is asking: a Bearer access token checked against its session row and its user on every
// request, so a logout, a second login, a password change or a disable takes effect at once.

namespace confab {

class ApiTokenStore;
class JwtSigner;
class UserStore;

struct Identity
{
    User user;
    Session session;

    bool isAdmin() const { return user.role == UserRole::Admin; }
};

class Authenticator final
{
public:
    Authenticator(const JwtSigner &jwt, SessionStore &sessions, UserStore &users,
                  ApiTokenStore &apiTokens);

    // From an "Authorization: Bearer <access token>" header value. 401 unauthorized,
    // session_replaced (another device logged in) or account_disabled.
    ApiResult<Identity> authenticate(QByteArrayView authorization) const;
    // The session behind an open WebSocket, read again (it may have ended meanwhile).
    ApiResult<Identity> authenticateSession(const QString &sessionId) const;
    // From "Authorization: Bearer cfb_..." (a personal API token for the /v1 gateway).
    ApiResult<User> authenticateApiToken(QByteArrayView authorization) const;

    // The bearer credential of an Authorization header value; empty when there is none.
    static QString bearerToken(QByteArrayView authorization);

private:
    ApiResult<User> activeUser(qint64 userId) const;
    // Why this account may not be used now (disabled, not approved yet); nullopt when it may.
    static std::optional<ApiError> refusal(const User &user);

    const JwtSigner &m_jwt;
    SessionStore &m_sessions;
    UserStore &m_users;
    ApiTokenStore &m_apiTokens;
};

} // namespace confab
