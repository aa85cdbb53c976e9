#include "chatrelay.h"
#include "http/httpexchange.h"
#include "http/router.h"
#include "routehelpers.h"
#include "routes.h"
#include "services.h"
#include "storage/conversationstore.h"
#include "turnevents.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

bool wantsEventStream(const HttpExchange &exchange)
{
    return exchange.header("accept").contains("text/event-stream");
}

// SSE: the saved user message, then deltas, then the saved answer or an error with the
// partial answer. A client that leaves stops the upstream call; what arrived is kept.
void streamTurn(const HttpExchangePtr &exchange, ChatTurn *turn)
{
    ResponseStream *stream = exchange->startStream(200,
                                                   {{"Content-Type", "text/event-stream"},
                                                    {"Cache-Control", "no-cache"},
                                                    {"X-Accel-Buffering", "no"}});
    stream->write(TurnEvents::sse("message", turn->userMessage().toJson()));
    QObject::connect(stream, &ResponseStream::clientGone, turn, [turn] {
        turn->cancel(Error{ErrorCode::Cancelled, u"The client disconnected."_s});
    });
    QObject::connect(
        turn, &ChatTurn::delta, stream, [stream](const QString &content, const QString &reasoning) {
            stream->write(TurnEvents::sse("delta", TurnEvents::delta(content, reasoning)));
        });
    // The exchange lives until the stream has ended.
    QObject::connect(
        turn, &ChatTurn::finished, stream,
        [stream, exchange](const Message &answer, const std::optional<Error> &error) {
            if (error)
                stream->write(TurnEvents::sse(
                    "error", TurnEvents::error(ApiError::fromUpstreamError(*error), answer)));
            else
                stream->write(TurnEvents::sse("done", answer.toJson()));
            stream->finish();
        });
}

void replyWhenDone(const HttpExchangePtr &exchange, ChatTurn *turn)
{
    const QJsonObject userMessage = turn->userMessage().toJson();
    QObject::connect(
        turn, &ChatTurn::finished, turn,
        [exchange, userMessage](const Message &answer, const std::optional<Error> &error) {
            if (!error)
                return exchange->reply(200,
                                       QJsonObject{{u"user_message"_s, userMessage},
                                                   {u"assistant_message"_s, answer.toJson()}});
            const ApiError apiError = ApiError::fromUpstreamError(*error);
            exchange->replyError(
                apiError.status, apiError.code, apiError.message,
                {{u"user_message"_s, userMessage}, {u"assistant_message"_s, answer.toJson()}});
        });
}

void sendMessage(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto id = identity ? idParam(exchange) : std::nullopt;
    const auto body = id ? requireJsonObject(exchange) : std::nullopt;
    if (!body)
        return;
    TurnRequest request;
    request.user = identity->user;
    request.sessionId = identity->session.id;
    request.contextStartMessageId = identity->session.contextStartMessageId;
    request.conversationId = *id;
    if (auto error = readTurnBody(*body, request))
        return replyApiError(exchange, *error);
    auto started = services.relay.start(request);
    if (auto *error = std::get_if<ApiError>(&started))
        return replyApiError(exchange, *error);
    ChatTurn *turn = std::get<ChatTurn *>(started);
    if (wantsEventStream(*exchange))
        streamTurn(exchange, turn);
    else
        replyWhenDone(exchange, turn);
}

void cancelAnswer(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto id = identity ? idParam(exchange) : std::nullopt;
    if (!id)
        return;
    const int stopped = services.relay.cancel(
        identity->user.id, *id, Error{ErrorCode::Cancelled, u"Stopped by the user."_s});
    if (stopped == 0 && !services.relay.turnFor(identity->user.id, *id)) {
        // Nothing streaming: still a 404 for a conversation that is not the user's.
        if (auto owned = services.conversations.get(identity->user.id, *id); !owned)
            return replyApiError(exchange, ApiError::fromError(owned.error()));
    }
    exchange->reply(200, QJsonObject{{u"cancelled"_s, stopped > 0}});
}

} // namespace

void addChatRoutes(Router &router, Services &services)
{
    router.add("POST", u"/api/v1/conversations/{id}/messages", bound<sendMessage>(services));
    router.add("POST", u"/api/v1/conversations/{id}/cancel", bound<cancelAnswer>(services));
}

} // namespace confab
