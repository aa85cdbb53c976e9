#include "routehelpers.h"

#include "ops/serverconfig.h"
#include "services.h"

using namespace Qt::StringLiterals;

namespace confab {

void replyApiError(const HttpExchangePtr &exchange, const ApiError &error)
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (error.retryAfterSeconds)
        headers.append(std::pair<QByteArray, QByteArray>(
            "Retry-After", QByteArray::number(*error.retryAfterSeconds)));
    if (error.status == 401)
        headers.append(std::pair<QByteArray, QByteArray>("WWW-Authenticate", "Bearer"));
    exchange->replyError(error.status, error.code, error.message, error.details, headers);
}

std::optional<Identity> requireIdentity(Services &services, const HttpExchangePtr &exchange)
{
    auto identity = services.auth.authenticate(exchange->header("authorization"));
    if (auto *error = std::get_if<ApiError>(&identity)) {
        replyApiError(exchange, *error);
        return std::nullopt;
    }
    return std::get<Identity>(std::move(identity));
}

std::optional<Identity> requireAdmin(Services &services, const HttpExchangePtr &exchange)
{
    auto identity = requireIdentity(services, exchange);
    if (identity && !identity->isAdmin()) {
        replyApiError(exchange,
                      ApiError::make(403, u"forbidden"_s, u"This needs an administrator."_s));
        return std::nullopt;
    }
    return identity;
}

std::optional<qint64> idParam(const HttpExchangePtr &exchange, QStringView name)
{
    bool ok = false;
    const qint64 id = exchange->pathParam(name).toLongLong(&ok);
    if (!ok || id <= 0) {
        replyApiError(exchange, ApiError::make(404, u"not_found"_s, u"Not found."_s));
        return std::nullopt;
    }
    return id;
}

std::optional<QJsonObject> requireJsonObject(const HttpExchangePtr &exchange)
{
    auto body = exchange->jsonObject();
    if (!body) {
        replyApiError(exchange, ApiError::fromError(body.error()));
        return std::nullopt;
    }
    return std::move(body).value();
}

QString clientAddress(const Services &services, const HttpExchange &exchange)
{
    const QHostAddress peer = exchange.peerAddress();
    const bool trusted = std::any_of(
        services.config.trustedProxies.cbegin(), services.config.trustedProxies.cend(),
        [&peer](const QHostAddress &proxy) { return proxy.isEqual(peer); });
    if (trusted) {
        const QByteArray forwarded = exchange.header("x-forwarded-for");
        // The proxy appends the address it saw last: take the hop nearest to us.
        const QByteArray nearest = forwarded.split(',').constLast().trimmed();
        if (QHostAddress candidate; candidate.setAddress(QString::fromLatin1(nearest)))
            return candidate.toString();
    }
    return peer.toString();
}

} // namespace confab
