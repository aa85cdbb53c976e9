#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// The domain values shared by storage, the provider client, the chat services, the server
// and its client. JSON forms follow DESIGN.md's API shapes (snake_case, ids as strings,
// times as ISO 8601 UTC).

namespace confab {

enum class Role { System, User, Assistant };

QString roleName(Role role);
std::optional<Role> roleFromName(QStringView name);

// Sampling parameters of a chat request; unset fields are left to the provider's defaults.
struct ChatParams
{
    QString model;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> maxTokens;
    std::optional<double> presencePenalty;
    std::optional<double> frequencyPenalty;
    QStringList stop;

    bool isEmpty() const;
    // These parameters, with every field left unset here taken from base.
    ChatParams mergedOnto(const ChatParams &base) const;

    QJsonObject toJson() const;
    // Validates names, types and ranges (the OpenAI API's bounds); unknown keys are errors.
    static Result<ChatParams> fromJson(const QJsonObject &json);

    bool operator==(const ChatParams &) const = default;
};

struct Usage
{
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 totalTokens = 0;

    QJsonObject toJson() const;
    // Reads an OpenAI usage object; nullopt when the value is not one.
    static std::optional<Usage> fromJson(const QJsonValue &json);

    bool operator==(const Usage &) const = default;
};

enum class MessageState {
    Complete,
    Streaming,  // an answer being written; never left so after a restart
    Incomplete, // cut short (cancel, error, shutdown): the partial text is kept
};

QString messageStateName(MessageState state);
std::optional<MessageState> messageStateFromName(QStringView name);

struct Message
{
    qint64 id = 0;
    qint64 conversationId = 0;
    Role role = Role::User;
    QString content;
    QString reasoning;
    QDateTime createdAt;
    MessageState state = MessageState::Complete;
    // The provider's finish_reason ("stop", "length", ...) for a complete answer; for an
    // incomplete one, the error code that cut it ("cancelled", "idle_timeout", ...).
    QString finishReason;
    QString errorMessage; // the human reason an answer is incomplete
    std::optional<Usage> usage;

    bool incomplete() const { return state != MessageState::Complete; }

    QJsonObject toJson() const;
    static Result<Message> fromJson(const QJsonObject &json);

    bool operator==(const Message &) const = default;
};

struct Conversation
{
    qint64 id = 0;
    qint64 userId = 0;
    QString title;
    QString presetId;
    ChatParams params;       // params.model is the conversation's model
    int contextMessages = 0; // how many recent messages go to the model; 0 = the default
    bool archived = false;
    QDateTime createdAt;
    QDateTime updatedAt;
    int messageCount = 0;

    QJsonObject toJson() const;
    static Result<Conversation> fromJson(const QJsonObject &json);

    bool operator==(const Conversation &) const = default;
};

// A message as sent to the model: what ContextWindow chooses and Provider sends.
struct PromptMessage
{
    Role role = Role::User;
    QString content;

    bool operator==(const PromptMessage &) const = default;
};

struct Preset
{
    QString id; // stable: a slug for built-in presets, a UUID for the user's own
    QString name;
    QString description;
    QString icon; // a resource name ("assistant") or empty
    QString systemPrompt;
    QString openingMessage;
    ChatParams params;
    bool builtIn = false;

    QJsonObject toJson() const;
    static Result<Preset> fromJson(const QJsonObject &json);

    bool operator==(const Preset &) const = default;
};

// One page of a keyset-paginated list; nextCursor is empty on the last page.
template<typename T>
struct Page
{
    QList<T> items;
    QString nextCursor;
};

// ISO 8601 UTC with milliseconds, the API's time format.
QString toIsoUtc(const QDateTime &time);
QDateTime fromIsoUtc(const QString &text);

} // namespace confab
