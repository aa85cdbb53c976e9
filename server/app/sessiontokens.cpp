#include "sessiontokens.h"

#include "auth/jwt.h"
#include "ops/serverconfig.h"
#include "routehelpers.h"
#include "services.h"
#include "sessioncontrol.h"
#include "storage/sessionstore.h"

using namespace Qt::StringLiterals;

namespace confab::SessionTokens {

void issue(Services &services, const HttpExchangePtr &exchange, const User &user, int status)
{
    QStringList replaced;
    auto issued = services.sessions.createExclusive(
        user.id, QString::fromUtf8(exchange->header("user-agent").left(200)),
        clientAddress(services, *exchange), services.config.refreshTokenLifetime, &replaced);
    if (!issued)
        return replyApiError(exchange, ApiError::fromError(issued.error()));
    services.sessionControl.ended(replaced, u"session_replaced"_s);
    reply(services, exchange, user, *issued, status);
}

void reply(Services &services, const HttpExchangePtr &exchange, const User &user,
           const IssuedSession &issued, int status)
{
    const auto lifetime = services.config.accessTokenLifetime;
    exchange->reply(
        status,
        QJsonObject{{u"access_token"_s, services.jwt.sign(user.id, issued.session.id, lifetime)},
                    {u"refresh_token"_s, issued.refreshToken},
                    {u"token_type"_s, u"Bearer"_s},
                    {u"expires_in"_s, qint64(lifetime.count())},
                    {u"user"_s, user.toJson()}});
}

} // namespace confab::SessionTokens
