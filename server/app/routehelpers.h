#pragma once

#include "apierror.h"
#include "authenticator.h"
#include "common/types.h"
#include "http/httpexchange.h"

#include <QJsonArray>

#include <optional>

// Small steps every route takes: answer an ApiError, require a signed-in user or an admin,
// read an id from the path, page replies, the client's address.

namespace confab {

struct Services;

void replyApiError(const HttpExchangePtr &exchange, const ApiError &error);
// Replies 401 (or 403 for pending accounts) and returns nullopt when not signed in.
std::optional<Identity> requireIdentity(Services &services, const HttpExchangePtr &exchange);
// Like requireIdentity, and 403 forbidden for anyone not an admin right now.
std::optional<Identity> requireAdmin(Services &services, const HttpExchangePtr &exchange);
// A positive integer path parameter, or a 404 reply (an id that cannot exist is not found).
std::optional<qint64> idParam(const HttpExchangePtr &exchange, QStringView name = u"id");
// Replies 400 and returns nullopt when the body is not a JSON object.
std::optional<QJsonObject> requireJsonObject(const HttpExchangePtr &exchange);

// {"items":[...],"next_cursor":null|"..."}
template<typename T>
QJsonObject pageJson(const QList<T> &items, const QString &nextCursor)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(item.toJson());
    return {{QStringLiteral("items"), array},
            {QStringLiteral("next_cursor"),
             nextCursor.isEmpty() ? QJsonValue() : QJsonValue(nextCursor)}};
}

// pageJson(messages, nextCursor) as compact JSON bytes, written without building QJsonObjects:
// the history route's reply, where they cost most of the request.
QByteArray messagePageJson(const QList<Message> &messages, const QString &nextCursor);

// A route handler calling Handler(services, exchange).
template<auto Handler>
std::function<void(const HttpExchangePtr &)> bound(Services &services)
{
    return [&services](const HttpExchangePtr &exchange) { Handler(services, exchange); };
}

// The peer, or the first X-Forwarded-For hop when the peer is a trusted proxy.
QString clientAddress(const Services &services, const HttpExchange &exchange);

} // namespace confab
