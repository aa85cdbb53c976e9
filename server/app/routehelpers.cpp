#include "routehelpers.h"

#include "http/jsonwriter.h"
#include "ops/serverconfig.h"
#include "services.h"

#include <charconv>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// toIsoUtc()'s text ("2026-01-31T12:00:00.000Z") without QDateTime::toString's machinery.
void writeTime(JsonWriter &json, const QDateTime &time)
{
    constexpr qint64 msPerDay = 86400000;
    constexpr qint64 unixEpochJulianDay = 2440588;
    const qint64 ms = time.toMSecsSinceEpoch();
    const qint64 dayMs = ((ms % msPerDay) + msPerDay) % msPerDay;
    int year = 0;
    int month = 0;
    int day = 0;
    QDate::fromJulianDay((ms - dayMs) / msPerDay + unixEpochJulianDay).getDate(&year, &month, &day);
    if (!time.isValid() || year < 1 || year > 9999)
        return json.string(toIsoUtc(time));
    const auto put = [](char *out, qint64 value, int width) {
        for (int i = width - 1; i >= 0; --i, value /= 10)
            out[i] = char('0' + value % 10);
    };
    char text[] = "0000-00-00T00:00:00.000Z";
    put(text, year, 4);
    put(text + 5, month, 2);
    put(text + 8, day, 2);
    put(text + 11, dayMs / 3600000, 2);
    put(text + 14, dayMs / 60000 % 60, 2);
    put(text + 17, dayMs / 1000 % 60, 2);
    put(text + 20, dayMs % 1000, 3);
    json.string(QLatin1StringView(text, sizeof text - 1));
}

// An id as Message::toJson() writes it: a string of digits.
void writeId(JsonWriter &json, qint64 id)
{
    char digits[20];
    const char *end = std::to_chars(digits, digits + sizeof digits, id).ptr;
    json.string(QLatin1StringView(digits, end));
}

// Message::toJson(), its keys in QJsonObject's sorted order.
void writeMessage(JsonWriter &json, const Message &message)
{
    json.beginObject();
    json.key("content");
    json.string(message.content);
    json.key("conversation_id");
    writeId(json, message.conversationId);
    json.key("created_at");
    writeTime(json, message.createdAt);
    if (!message.errorMessage.isEmpty()) {
        json.key("error");
        json.string(message.errorMessage);
    }
    json.key("finish_reason");
    if (message.finishReason.isEmpty())
        json.null();
    else
        json.string(message.finishReason);
    json.key("id");
    writeId(json, message.id);
    json.key("incomplete");
    json.boolean(message.incomplete());
    json.key("reasoning");
    json.string(message.reasoning);
    json.key("role");
    json.string(roleName(message.role));
    json.key("state");
    json.string(messageStateName(message.state));
    json.key("usage");
    if (message.usage) {
        json.beginObject();
        json.key("completion_tokens");
        json.number(message.usage->completionTokens);
        json.key("prompt_tokens");
        json.number(message.usage->promptTokens);
        json.key("total_tokens");
        json.number(message.usage->totalTokens);
        json.endObject();
    } else {
        json.null();
    }
    json.endObject();
}

} // namespace

QByteArray messagePageJson(const QList<Message> &messages, const QString &nextCursor)
{
    JsonWriter json;
    json.beginObject();
    json.key("items");
    json.beginArray();
    for (const Message &message : messages)
        writeMessage(json, message);
    json.endArray();
    json.key("next_cursor");
    if (nextCursor.isEmpty())
        json.null();
    else
        json.string(nextCursor);
    json.endObject();
    return json.take();
}

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
