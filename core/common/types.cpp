#include "types.h"

#include "enumnames.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

Error invalid(const QString &message)
{
    return Error{ErrorCode::InvalidInput, message};
}

QString idToJson(qint64 id)
{
    return QString::number(id);
}

// Ids travel as strings; numbers are accepted too, for lenient clients.
std::optional<qint64> idFromJson(const QJsonValue &value)
{
    if (value.isString()) {
        bool ok = false;
        const qint64 id = value.toString().toLongLong(&ok);
        return ok ? std::optional(id) : std::nullopt;
    }
    if (value.isDouble())
        return value.toInteger();
    return std::nullopt;
}

Result<void> readNumber(const QJsonObject &json, QLatin1StringView key, double min, double max,
                        std::optional<double> &out)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        return invalid(u"%1 must be a number"_s.arg(key));
    const double number = value.toDouble();
    if (number < min || number > max)
        return invalid(u"%1 must be between %2 and %3"_s.arg(key).arg(min).arg(max));
    out = number;
    return {};
}

} // namespace

namespace {

constexpr EnumNames<Role, 3> RoleNames(
    {{{Role::User, u"user"}, {Role::System, u"system"}, {Role::Assistant, u"assistant"}}});
constexpr EnumNames<MessageState, 3> StateNames({{{MessageState::Complete, u"complete"},
                                                  {MessageState::Streaming, u"streaming"},
                                                  {MessageState::Incomplete, u"incomplete"}}});

} // namespace

QString roleName(Role role)
{
    return RoleNames.name(role);
}

std::optional<Role> roleFromName(QStringView name)
{
    return RoleNames.value(name);
}

QString messageStateName(MessageState state)
{
    return StateNames.name(state);
}

std::optional<MessageState> messageStateFromName(QStringView name)
{
    return StateNames.value(name);
}

QString toIsoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime fromIsoUtc(const QString &text)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text, Qt::ISODate);
    return time.toUTC();
}

// ---- ChatParams

bool ChatParams::isEmpty() const
{
    return *this == ChatParams{};
}

ChatParams ChatParams::mergedOnto(const ChatParams &base) const
{
    ChatParams merged = base;
    if (!model.isEmpty())
        merged.model = model;
    if (temperature)
        merged.temperature = temperature;
    if (topP)
        merged.topP = topP;
    if (maxTokens)
        merged.maxTokens = maxTokens;
    if (presencePenalty)
        merged.presencePenalty = presencePenalty;
    if (frequencyPenalty)
        merged.frequencyPenalty = frequencyPenalty;
    if (!stop.isEmpty())
        merged.stop = stop;
    return merged;
}

QJsonObject ChatParams::toJson() const
{
    QJsonObject json;
    if (!model.isEmpty())
        json.insert(u"model"_s, model);
    if (temperature)
        json.insert(u"temperature"_s, *temperature);
    if (topP)
        json.insert(u"top_p"_s, *topP);
    if (maxTokens)
        json.insert(u"max_tokens"_s, *maxTokens);
    if (presencePenalty)
        json.insert(u"presence_penalty"_s, *presencePenalty);
    if (frequencyPenalty)
        json.insert(u"frequency_penalty"_s, *frequencyPenalty);
    if (!stop.isEmpty())
        json.insert(u"stop"_s, QJsonArray::fromStringList(stop));
    return json;
}

Result<ChatParams> ChatParams::fromJson(const QJsonObject &json)
{
    static const QStringList known
        = {u"model"_s,      u"temperature"_s,      u"top_p"_s,
           u"max_tokens"_s, u"presence_penalty"_s, u"frequency_penalty"_s,
           u"stop"_s};
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key()))
            return invalid(u"unknown parameter: %1"_s.arg(it.key()));
    }

    ChatParams params;
    const QJsonValue model = json.value("model"_L1);
    if (!model.isUndefined() && !model.isNull()) {
        if (!model.isString() || model.toString().size() > 200)
            return invalid(u"model must be a string of at most 200 characters"_s);
        params.model = model.toString();
    }
    for (const auto &[key, min, max, field] :
         {std::tuple{"temperature"_L1, 0.0, 2.0, &params.temperature},
          std::tuple{"top_p"_L1, 0.0, 1.0, &params.topP},
          std::tuple{"presence_penalty"_L1, -2.0, 2.0, &params.presencePenalty},
          std::tuple{"frequency_penalty"_L1, -2.0, 2.0, &params.frequencyPenalty}}) {
        if (auto read = readNumber(json, key, min, max, *field); !read)
            return read.error();
    }
    const QJsonValue maxTokens = json.value("max_tokens"_L1);
    if (!maxTokens.isUndefined() && !maxTokens.isNull()) {
        const double value = maxTokens.toDouble(-1);
        if (!maxTokens.isDouble() || value < 1 || value > 10'000'000 || value != std::floor(value))
            return invalid(u"max_tokens must be a positive integer"_s);
        params.maxTokens = int(value);
    }
    const QJsonValue stop = json.value("stop"_L1);
    if (stop.isString()) {
        params.stop = {stop.toString()};
    } else if (stop.isArray()) {
        const QJsonArray array = stop.toArray();
        if (array.size() > 4)
            return invalid(u"stop takes at most 4 sequences"_s);
        for (const QJsonValue &item : array) {
            if (!item.isString() || item.toString().isEmpty())
                return invalid(u"stop sequences must be non-empty strings"_s);
            params.stop.append(item.toString());
        }
    } else if (!stop.isUndefined() && !stop.isNull()) {
        return invalid(u"stop must be a string or an array of strings"_s);
    }
    return params;
}

// ---- Usage

QJsonObject Usage::toJson() const
{
    return {{u"prompt_tokens"_s, promptTokens},
            {u"completion_tokens"_s, completionTokens},
            {u"total_tokens"_s, totalTokens}};
}

std::optional<Usage> Usage::fromJson(const QJsonValue &json)
{
    if (!json.isObject())
        return std::nullopt;
    const QJsonObject object = json.toObject();
    Usage usage;
    usage.promptTokens = object.value("prompt_tokens"_L1).toInteger();
    usage.completionTokens = object.value("completion_tokens"_L1).toInteger();
    usage.totalTokens
        = object.value("total_tokens"_L1).toInteger(usage.promptTokens + usage.completionTokens);
    return usage;
}

// ---- Message

QJsonObject Message::toJson() const
{
    QJsonObject json{{u"id"_s, idToJson(id)},
                     {u"conversation_id"_s, idToJson(conversationId)},
                     {u"role"_s, roleName(role)},
                     {u"content"_s, content},
                     {u"reasoning"_s, reasoning},
                     {u"created_at"_s, toIsoUtc(createdAt)},
                     {u"incomplete"_s, incomplete()},
                     {u"state"_s, messageStateName(state)},
                     {u"finish_reason"_s, finishReason.isEmpty() ? QJsonValue() : finishReason},
                     {u"usage"_s, usage ? QJsonValue(usage->toJson()) : QJsonValue()}};
    if (!errorMessage.isEmpty())
        json.insert(u"error"_s, errorMessage);
    return json;
}

Result<Message> Message::fromJson(const QJsonObject &json)
{
    Message message;
    const auto id = idFromJson(json.value("id"_L1));
    const auto conversationId = idFromJson(json.value("conversation_id"_L1));
    const auto role = roleFromName(json.value("role"_L1).toString());
    if (!id || !conversationId || !role)
        return invalid(u"a message needs id, conversation_id and role"_s);
    message.id = *id;
    message.conversationId = *conversationId;
    message.role = *role;
    message.content = json.value("content"_L1).toString();
    message.reasoning = json.value("reasoning"_L1).toString();
    message.createdAt = fromIsoUtc(json.value("created_at"_L1).toString());
    const auto state = messageStateFromName(json.value("state"_L1).toString());
    message.state = state.value_or(json.value("incomplete"_L1).toBool() ? MessageState::Incomplete
                                                                        : MessageState::Complete);
    message.finishReason = json.value("finish_reason"_L1).toString();
    message.errorMessage = json.value("error"_L1).toString();
    message.usage = Usage::fromJson(json.value("usage"_L1));
    return message;
}

// ---- Conversation

QJsonObject Conversation::toJson() const
{
    return {{u"id"_s, idToJson(id)},
            {u"title"_s, title},
            {u"preset_id"_s, presetId.isEmpty() ? QJsonValue() : presetId},
            {u"model"_s, params.model},
            {u"params"_s, params.toJson()},
            {u"context_messages"_s, contextMessages},
            {u"archived"_s, archived},
            {u"created_at"_s, toIsoUtc(createdAt)},
            {u"updated_at"_s, toIsoUtc(updatedAt)},
            {u"message_count"_s, messageCount}};
}

Result<Conversation> Conversation::fromJson(const QJsonObject &json)
{
    Conversation conversation;
    const auto id = idFromJson(json.value("id"_L1));
    if (!id)
        return invalid(u"a conversation needs an id"_s);
    conversation.id = *id;
    conversation.title = json.value("title"_L1).toString();
    conversation.presetId = json.value("preset_id"_L1).toString();
    auto params = ChatParams::fromJson(json.value("params"_L1).toObject());
    if (!params)
        return params.error();
    conversation.params = *params;
    if (conversation.params.model.isEmpty())
        conversation.params.model = json.value("model"_L1).toString();
    conversation.contextMessages = json.value("context_messages"_L1).toInt();
    conversation.archived = json.value("archived"_L1).toBool();
    conversation.createdAt = fromIsoUtc(json.value("created_at"_L1).toString());
    conversation.updatedAt = fromIsoUtc(json.value("updated_at"_L1).toString());
    conversation.messageCount = json.value("message_count"_L1).toInt();
    return conversation;
}

// ---- Preset

QJsonObject Preset::toJson() const
{
    return {{u"id"_s, id},
            {u"name"_s, name},
            {u"description"_s, description},
            {u"icon"_s, icon},
            {u"system_prompt"_s, systemPrompt},
            {u"opening_message"_s, openingMessage},
            {u"params"_s, params.toJson()},
            {u"built_in"_s, builtIn}};
}

Result<Preset> Preset::fromJson(const QJsonObject &json)
{
    Preset preset;
    preset.id = json.value("id"_L1).toString();
    preset.name = json.value("name"_L1).toString().trimmed();
    if (preset.name.isEmpty())
        return invalid(u"a preset needs a name"_s);
    if (preset.name.size() > 100)
        return invalid(u"a preset name has at most 100 characters"_s);
    preset.description = json.value("description"_L1).toString();
    preset.icon = json.value("icon"_L1).toString();
    preset.systemPrompt = json.value("system_prompt"_L1).toString();
    preset.openingMessage = json.value("opening_message"_L1).toString();
    auto params = ChatParams::fromJson(json.value("params"_L1).toObject());
    if (!params)
        return params.error();
    preset.params = *params;
    preset.builtIn = json.value("built_in"_L1).toBool();
    return preset;
}

} // namespace confab
