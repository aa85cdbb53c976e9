#include "admission.h"
#include "api/chatreply.h"
#include "api/provider.h"
#include "common/logging.h"
#include "http/httpexchange.h"
#include "http/router.h"
#include "ops/metrics.h"
#include "ops/quotaguard.h"
#include "routehelpers.h"
#include "routes.h"
#include "serversettings.h"
#include "services.h"
#include "upstreammetrics.h"
#include "upstreampool.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

// The OpenAI-compatible gateway: POST /v1/chat/completions and GET /v1/models with personal
// API tokens, so any OpenAI client can use the team's upstream without its key. The same
// throttle, quotas and usage accounting apply; only allow-listed fields go upstream.

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr qsizetype MaxMessages = 1000;

// OpenAI's error body, which its clients parse: {"error":{"message","type","code"}}.
void replyOpenAiError(const HttpExchangePtr &exchange, const ApiError &error)
{
    ApiError shaped = error;
    shaped.details.insert(u"type"_s,
                          error.status >= 500 ? u"server_error"_s : u"invalid_request_error"_s);
    replyApiError(exchange, shaped);
}

Result<QString> textContent(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    if (!content.isArray())
        return Error{ErrorCode::InvalidInput, u"A message's content must be text."_s};
    QString text;
    for (const QJsonValue &part : content.toArray()) {
        const QJsonObject object = part.toObject();
        if (object.value("type"_L1).toString() != "text"_L1)
            return Error{ErrorCode::InvalidInput, u"Only text content parts are supported."_s};
        text += object.value("text"_L1).toString();
    }
    return text;
}

// The request body as a ChatRequest: messages, model and the sampling parameters; anything
// else the client sent stays here.
Result<ChatRequest> parseCompletionRequest(const QJsonObject &body)
{
    const QJsonArray messages = body.value("messages"_L1).toArray();
    if (messages.isEmpty() || messages.size() > MaxMessages)
        return Error{ErrorCode::InvalidInput, u"messages must be a non-empty list."_s};
    ChatRequest request;
    for (const QJsonValue &value : messages) {
        const QJsonObject message = value.toObject();
        QString roleName = message.value("role"_L1).toString();
        if (roleName == "developer"_L1)
            roleName = u"system"_s;
        const auto role = roleFromName(roleName);
        if (!role)
            return Error{ErrorCode::InvalidInput,
                         u"Unsupported message role: %1."_s.arg(roleName.left(40))};
        auto content = textContent(message.value("content"_L1));
        if (!content)
            return content.error();
        request.messages.append(PromptMessage{*role, *content});
    }
    QJsonObject params;
    static const QStringList passed{u"model"_s,      u"temperature"_s,      u"top_p"_s,
                                    u"max_tokens"_s, u"presence_penalty"_s, u"frequency_penalty"_s};
    for (const QString &key : passed) {
        if (body.contains(key) && !body.value(key).isNull())
            params.insert(key, body.value(key));
    }
    if (const QJsonValue limit = body.value("max_completion_tokens"_L1); limit.isDouble())
        params.insert(u"max_tokens"_s, limit);
    if (const QJsonValue stop = body.value("stop"_L1); stop.isString())
        params.insert(u"stop"_s, QJsonArray{stop});
    else if (stop.isArray())
        params.insert(u"stop"_s, stop);
    auto parsed = ChatParams::fromJson(params);
    if (!parsed)
        return parsed.error();
    request.params = *parsed;
    request.stream = true; // always streamed upstream: deadlines and usage work the same
    return request;
}

// One gateway call: relays the upstream's answer in OpenAI's shapes and counts its usage.
class GatewayCall final : public QObject
{
public:
    GatewayCall(Services &services, HttpExchangePtr exchange, std::unique_ptr<QuotaTicket> ticket,
                bool stream, bool includeUsage)
        : m_services(services)
        , m_exchange(std::move(exchange))
        , m_ticket(std::move(ticket))
        , m_stream(stream)
        , m_includeUsage(includeUsage)
        , m_id(u"chatcmpl-"_s + QUuid::createUuid().toString(QUuid::Id128))
        , m_created(QDateTime::currentSecsSinceEpoch())
    {
        m_clock.start();
    }

    void start(const ChatRequest &request)
    {
        m_model = request.params.model.isEmpty() ? m_services.upstream.config().defaultModel
                                                 : request.params.model;
        m_services.metrics.activeStreams().inc();
        m_reply = m_services.upstream.send(request);
        m_reply->setParent(this);
        connect(m_reply, &ChatReply::delta, this, &GatewayCall::onDelta);
        connect(m_reply, &ChatReply::finished, this, &GatewayCall::onFinished);
        if (!m_stream)
            return;
        m_body = m_exchange->startStream(200,
                                         {{"Content-Type", "text/event-stream"},
                                          {"Cache-Control", "no-cache"},
                                          {"X-Accel-Buffering", "no"}});
        // Deleting the reply aborts the upstream call; usage is still counted.
        connect(m_body, &ResponseStream::clientGone, this, [this] { m_reply->cancel(); });
    }

private:
    QJsonObject chunk(const QJsonObject &delta, const QJsonValue &finishReason) const
    {
        return {{u"id"_s, m_id},
                {u"object"_s, u"chat.completion.chunk"_s},
                {u"created"_s, m_created},
                {u"model"_s, m_model},
                {u"choices"_s,
                 QJsonArray{QJsonObject{
                     {u"index"_s, 0}, {u"delta"_s, delta}, {u"finish_reason"_s, finishReason}}}}};
    }

    void writeEvent(const QJsonObject &data)
    {
        m_body->write("data: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n");
    }

    void onDelta(const QString &content, const QString &reasoning)
    {
        if (!m_sawFirstToken) {
            m_sawFirstToken = true;
            m_services.metrics.upstreamFirstToken().observe(double(m_clock.nsecsElapsed()) / 1e9);
        }
        if (!m_stream)
            return;
        QJsonObject delta{{u"content"_s, content}};
        if (!reasoning.isEmpty())
            delta.insert(u"reasoning_content"_s, reasoning);
        if (!m_sentRole) {
            m_sentRole = true;
            delta.insert(u"role"_s, u"assistant"_s);
        }
        writeEvent(chunk(delta, QJsonValue()));
    }

    void onFinished()
    {
        const ChatResult &result = m_reply->result();
        const Usage usage = result.usage.value_or(Usage{});
        // A stream cut before its usage chunk still counts as a request.
        if (auto counted = m_ticket->commit(usage.promptTokens, usage.completionTokens); !counted)
            qCWarning(lcHttp) << "could not count usage:" << counted.error().toString();
        recordUpstreamEnd(m_services.metrics, m_clock, usage, result.error);
        m_services.metrics.activeStreams().dec();
        if (!result.model.isEmpty())
            m_model = result.model;
        const QJsonObject usageJson{
            {u"prompt_tokens"_s, usage.promptTokens},
            {u"completion_tokens"_s, usage.completionTokens},
            {u"total_tokens"_s, usage.promptTokens + usage.completionTokens}};
        const QString finishReason
            = result.finishReason.isEmpty() ? u"stop"_s : result.finishReason;
        if (m_stream)
            finishStream(result, finishReason, usageJson);
        else if (result.error)
            replyOpenAiError(m_exchange, ApiError::fromUpstreamError(*result.error));
        else
            m_exchange->reply(
                200,
                QJsonObject{{u"id"_s, m_id},
                            {u"object"_s, u"chat.completion"_s},
                            {u"created"_s, m_created},
                            {u"model"_s, m_model},
                            {u"choices"_s,
                             QJsonArray{QJsonObject{{u"index"_s, 0},
                                                    {u"message"_s,
                                                     QJsonObject{{u"role"_s, u"assistant"_s},
                                                                 {u"content"_s, result.content}}},
                                                    {u"finish_reason"_s, finishReason}}}},
                            {u"usage"_s, usageJson}});
        deleteLater();
    }

    void finishStream(const ChatResult &result, const QString &finishReason,
                      const QJsonObject &usageJson)
    {
        if (result.error) {
            // Mid-stream errors arrive as an event carrying "error", which OpenAI's clients
            // raise as an APIError.
            writeEvent(ApiError::fromUpstreamError(*result.error).toJson());
        } else {
            writeEvent(chunk(QJsonObject{}, finishReason));
            if (m_includeUsage) {
                QJsonObject last = chunk({}, QJsonValue());
                last.insert(u"choices"_s, QJsonArray());
                last.insert(u"usage"_s, usageJson);
                writeEvent(last);
            }
            m_body->write("data: [DONE]\n\n");
        }
        m_body->finish();
    }

    Services &m_services;
    HttpExchangePtr m_exchange;
    std::unique_ptr<QuotaTicket> m_ticket;
    bool m_stream;
    bool m_includeUsage;
    QString m_id;
    qint64 m_created;
    QString m_model;
    ChatReply *m_reply = nullptr;
    ResponseStream *m_body = nullptr;
    QElapsedTimer m_clock;
    bool m_sawFirstToken = false;
    bool m_sentRole = false;
};

void chatCompletions(Services &services, const HttpExchangePtr &exchange)
{
    auto user = services.auth.authenticateApiToken(exchange->header("authorization"));
    if (auto *error = std::get_if<ApiError>(&user))
        return replyOpenAiError(exchange, *error);
    auto body = exchange->jsonObject();
    if (!body)
        return replyOpenAiError(exchange, ApiError::fromError(body.error()));
    auto request = parseCompletionRequest(*body);
    if (!request)
        return replyOpenAiError(exchange, ApiError::fromError(request.error()));
    auto admitted = admitRequest(services.quota, services.throttle,
                                 services.settings.values().minInterval, std::get<User>(user));
    if (auto *error = std::get_if<ApiError>(&admitted))
        return replyOpenAiError(exchange, *error);
    const bool stream = body->value("stream"_L1).toBool();
    const bool includeUsage
        = body->value("stream_options"_L1).toObject().value("include_usage"_L1).toBool();
    auto *call = new GatewayCall(services, exchange,
                                 std::get<std::unique_ptr<QuotaTicket>>(std::move(admitted)),
                                 stream, includeUsage);
    call->setParent(&services.context);
    call->start(*request);
}

void models(Services &services, const HttpExchangePtr &exchange)
{
    auto user = services.auth.authenticateApiToken(exchange->header("authorization"));
    if (auto *error = std::get_if<ApiError>(&user))
        return replyOpenAiError(exchange, *error);
    services.upstream.models(&services.context, [exchange](Result<QStringList> models) {
        if (!models)
            return replyOpenAiError(exchange, ApiError::fromUpstreamError(models.error()));
        QJsonArray data;
        for (const QString &model : std::as_const(*models))
            data.append(QJsonObject{{u"id"_s, model},
                                    {u"object"_s, u"model"_s},
                                    {u"created"_s, 0},
                                    {u"owned_by"_s, u"confab"_s}});
        exchange->reply(200, QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, data}});
    });
}

} // namespace

void addGatewayRoutes(Router &router, Services &services)
{
    router.add("POST", u"/v1/chat/completions", bound<chatCompletions>(services));
    router.add("GET", u"/v1/models", bound<models>(services));
}

} // namespace confab
