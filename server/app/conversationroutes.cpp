#include "chatrelay.h"
#include "http/router.h"
#include "routehelpers.h"
#include "routes.h"
#include "services.h"
#include "storage/conversationstore.h"
#include "storage/messagestore.h"
#include "storage/presetstore.h"
#include "upstreampool.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

int limitParam(const HttpExchange &exchange, int fallback)
{
    bool ok = false;
    const int limit = exchange.query().queryItemValue(u"limit"_s).toInt(&ok);
    return ok ? limit : fallback;
}

// Applies the fields a client may set; InvalidInput names the first bad one.
Result<void> applyConversationFields(Conversation &conversation, const QJsonObject &body,
                                     bool creating)
{
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        const QString &key = it.key();
        if (key == "title"_L1 && it->isString()) {
            conversation.title = it->toString().trimmed().left(200);
        } else if (key == "archived"_L1 && it->isBool()) {
            conversation.archived = it->toBool();
        } else if (key == "params"_L1 && it->isObject()) {
            auto params = ChatParams::fromJson(it->toObject());
            if (!params)
                return params.error();
            conversation.params = *params;
        } else if (key == "preset_id"_L1 && creating && (it->isString() || it->isNull())) {
            conversation.presetId = it->toString().left(100);
        } else {
            return Error{ErrorCode::InvalidInput, u"Unexpected or malformed field: %1."_s.arg(key)};
        }
    }
    return {};
}

void listConversations(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    if (!identity)
        return;
    const QUrlQuery query = exchange->query();
    ConversationQuery spec;
    spec.archived = query.queryItemValue(u"archived"_s) == "true"_L1;
    spec.search = query.queryItemValue(u"q"_s, QUrl::FullyDecoded);
    spec.cursor = query.queryItemValue(u"cursor"_s, QUrl::FullyDecoded);
    spec.limit = limitParam(*exchange, spec.limit);
    const auto page = services.conversations.list(identity->user.id, spec);
    if (!page)
        return replyApiError(exchange, ApiError::fromError(page.error()));
    exchange->reply(200, pageJson(page->items, page->nextCursor));
}

void createConversation(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto body = identity ? requireJsonObject(exchange) : std::nullopt;
    if (!body)
        return;
    Conversation conversation;
    if (auto applied = applyConversationFields(conversation, *body, true); !applied)
        return replyApiError(exchange, ApiError::fromError(applied.error()));
    const auto created = services.conversations.create(identity->user.id, conversation);
    if (!created)
        return replyApiError(exchange, ApiError::fromError(created.error()));
    exchange->reply(201, created->toJson());
}

void getConversation(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto id = identity ? idParam(exchange) : std::nullopt;
    if (!id)
        return;
    const auto conversation = services.conversations.get(identity->user.id, *id);
    if (!conversation)
        return replyApiError(exchange, ApiError::fromError(conversation.error()));
    exchange->reply(200, conversation->toJson());
}

void patchConversation(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto id = identity ? idParam(exchange) : std::nullopt;
    const auto body = id ? requireJsonObject(exchange) : std::nullopt;
    if (!body)
        return;
    auto conversation = services.conversations.get(identity->user.id, *id);
    if (!conversation)
        return replyApiError(exchange, ApiError::fromError(conversation.error()));
    if (auto applied = applyConversationFields(*conversation, *body, false); !applied)
        return replyApiError(exchange, ApiError::fromError(applied.error()));
    const auto updated = services.conversations.update(identity->user.id, *conversation);
    if (!updated)
        return replyApiError(exchange, ApiError::fromError(updated.error()));
    exchange->reply(200, updated->toJson());
}

void deleteConversation(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto id = identity ? idParam(exchange) : std::nullopt;
    if (!id)
        return;
    // The answer being written goes with its conversation.
    services.relay.cancel(identity->user.id, *id,
                          Error{ErrorCode::Cancelled, u"The conversation was deleted."_s});
    if (auto removed = services.conversations.remove(identity->user.id, *id); !removed)
        return replyApiError(exchange, ApiError::fromError(removed.error()));
    exchange->replyBytes(204, {}, {});
}

void listMessages(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto id = identity ? idParam(exchange) : std::nullopt;
    if (!id)
        return;
    MessageQuery query;
    query.before = exchange->query().queryItemValue(u"before"_s, QUrl::FullyDecoded);
    query.limit = limitParam(*exchange, query.limit);
    const auto page = services.messages.list(identity->user.id, *id, query);
    if (!page)
        return replyApiError(exchange, ApiError::fromError(page.error()));
    exchange->replyBytes(200, messagePageJson(page->items, page->nextCursor), "application/json");
}

void deleteMessage(Services &services, const HttpExchangePtr &exchange)
{
    const auto identity = requireIdentity(services, exchange);
    const auto id = identity ? idParam(exchange) : std::nullopt;
    if (!id)
        return;
    const qint64 userId = identity->user.id;
    const auto message = services.messages.get(userId, *id);
    if (!message)
        return replyApiError(exchange, ApiError::fromError(message.error()));
    if (services.relay.turnFor(userId, message->conversationId))
        return replyApiError(exchange,
                             ApiError::make(409, u"conflict"_s,
                                            u"An answer is still being written in this "
                                            "conversation."_s));
    if (auto removed = services.messages.remove(userId, *id); !removed)
        return replyApiError(exchange, ApiError::fromError(removed.error()));
    exchange->replyBytes(204, {}, {});
}

void search(Services &services, const HttpExchangePtr &exchange)
{
    constexpr int MaxHits = 100;
    const auto identity = requireIdentity(services, exchange);
    if (!identity)
        return;
    const QString text = exchange->query().queryItemValue(u"q"_s, QUrl::FullyDecoded);
    const auto hits = services.messages.search(identity->user.id, text, MaxHits);
    if (!hits)
        return replyApiError(exchange, ApiError::fromError(hits.error()));
    exchange->reply(200, pageJson(*hits, {}));
}

void listPresets(Services &services, const HttpExchangePtr &exchange)
{
    if (!requireIdentity(services, exchange))
        return;
    const auto presets = services.presets.serverPresets();
    if (!presets)
        return replyApiError(exchange, ApiError::fromError(presets.error()));
    exchange->reply(200, pageJson(*presets, {}));
}

void listModels(Services &services, const HttpExchangePtr &exchange)
{
    if (!requireIdentity(services, exchange))
        return;
    services.upstream.models(&services.context, [&services, exchange](Result<QStringList> models) {
        if (!models)
            return replyApiError(exchange, ApiError::fromUpstreamError(models.error()));
        QJsonArray items;
        for (const QString &model : std::as_const(*models))
            items.append(QJsonObject{{u"id"_s, model}});
        const QString fallback = services.upstream.config().defaultModel;
        exchange->reply(200,
                        QJsonObject{{u"items"_s, items},
                                    {u"default"_s, fallback.isEmpty() ? QJsonValue() : fallback}});
    });
}

} // namespace

void addConversationRoutes(Router &router, Services &services)
{
    router.add("GET", u"/api/v1/conversations", bound<listConversations>(services));
    router.add("POST", u"/api/v1/conversations", bound<createConversation>(services));
    router.add("GET", u"/api/v1/conversations/{id}", bound<getConversation>(services));
    router.add("PATCH", u"/api/v1/conversations/{id}", bound<patchConversation>(services));
    router.add("DELETE", u"/api/v1/conversations/{id}", bound<deleteConversation>(services));
    router.add("GET", u"/api/v1/conversations/{id}/messages", bound<listMessages>(services));
    router.add("DELETE", u"/api/v1/messages/{id}", bound<deleteMessage>(services));
    router.add("GET", u"/api/v1/search", bound<search>(services));
    router.add("GET", u"/api/v1/presets", bound<listPresets>(services));
    router.add("GET", u"/api/v1/models", bound<listModels>(services));
}

} // namespace confab
