#include "chatrelay.h"
#include "http/router.h"
#include "ops/metrics.h"
#include "routehelpers.h"
#include "routes.h"
#include "services.h"
#include "storage/database.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Healthy when the database answers a query; 503 otherwise, for load balancers and systemd.
void health(Services &services, const HttpExchangePtr &exchange)
{
    const auto checked
        = services.database.exec(u"SELECT count(*) FROM users"_s, {}, u"health check"_s);
    if (!checked)
        return exchange->reply(503,
                               QJsonObject{{u"status"_s, u"unavailable"_s},
                                           {u"database"_s, checked.error().codeName()}});
    exchange->reply(200,
                    QJsonObject{{u"status"_s, u"ok"_s},
                                {u"database"_s, u"ok"_s},
                                {u"active_streams"_s, services.relay.activeCount()},
                                {u"version"_s, QStringLiteral(CONFAB_VERSION)}});
}

void metrics(Services &services, const HttpExchangePtr &exchange)
{
    exchange->replyBytes(200, services.metrics.render(), "text/plain; version=0.0.4");
}

void openApi(Services &, const HttpExchangePtr &exchange)
{
    QFile file(u":/confab/server/openapi.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        return replyApiError(
            exchange, ApiError::make(500, u"internal"_s, u"The API description is missing."_s));
    exchange->replyBytes(200, file.readAll(), "application/json");
}

// /api/v1/ws answers upgrades in the connection guard; a plain GET (a proxy that dropped the
// Upgrade header) learns what is wrong instead of getting a puzzling 404.
void webSocketWithoutUpgrade(Services &, const HttpExchangePtr &exchange)
{
    exchange->replyError(426, u"invalid_request"_s,
                         u"This is the WebSocket endpoint: send an Upgrade: websocket request."_s,
                         {}, {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}});
}

} // namespace

void addOpsRoutes(Router &router, Services &services)
{
    router.add("GET", u"/health", bound<health>(services));
    router.add("GET", u"/metrics", bound<metrics>(services));
    router.add("GET", u"/openapi.json", bound<openApi>(services));
    router.add("GET", u"/api/v1/ws", bound<webSocketWithoutUpgrade>(services));
}

} // namespace confab
