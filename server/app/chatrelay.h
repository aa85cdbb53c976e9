#pragma once

#include "apierror.h"
#include "common/types.h"
#include "storage/user.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <memory>

// One answer of the model to a user's message, relayed from upstream to whichever client
// asked (SSE, WebSocket, JSON) and saved as it streams. ChatRelay applies the server's rules
// before anything is sent: ownership, one answer per conversation at a time, the live
// conversation limit, quotas and the throttle; then it commits the user's message, builds the
// context (the preset's system prompt and the last N messages of this login) and starts the
// upstream call.

namespace confab {

class AnswerRecorder;
class ConversationStore;
class Database;
class LiveConversations;
class MessageStore;
class PresetStore;
class QuotaGuard;
class QuotaTicket;
class RequestThrottle;
class ServerMetrics;
class ServerSettings;
class UpstreamPool;

struct TurnRequest
{
    User user;
    QString sessionId;                // the answer stops when this session ends
    qint64 contextStartMessageId = 0; // the session's fresh context
    qint64 conversationId = 0;
    QString content;
    ChatParams params;   // overrides the conversation's for this request only
    quint64 ownerId = 0; // the WebSocket connection, or 0 for plain HTTP
    // Send appends content as a new message. Regenerate answers the last user message again,
    // dropping what followed it; Edit gives editedMessageId the new content, drops every later
    // message and answers it.
    enum class Kind { Send, Regenerate, Edit };
    Kind kind = Kind::Send;
    qint64 editedMessageId = 0;
};

// Reads what a send body or chat.send frame asks for: content, params, and "regenerate": true
// or "edit_message_id". An error when they are malformed.
std::optional<ApiError> readTurnBody(const QJsonObject &body, TurnRequest &request);

class ChatTurn final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatTurn)

public:
    ~ChatTurn() override;

    qint64 userId() const { return m_userId; }
    qint64 conversationId() const { return m_userMessage.conversationId; }
    const QString &sessionId() const { return m_sessionId; }
    quint64 ownerId() const { return m_ownerId; }
    const Message &userMessage() const { return m_userMessage; }
    // Messages a regenerate or an edit deleted, oldest first.
    const QList<qint64> &removedMessageIds() const { return m_removedMessageIds; }
    // The answer's saved row as it stands (streaming until finished()).
    const Message &answer() const;
    // Stops the upstream call; finished() follows with the partial answer saved.
    void cancel(const Error &reason);

signals:
    void delta(const QString &content, const QString &reasoning);
    // The answer as saved; error is set when it is incomplete.
    void finished(const confab::Message &answer, const std::optional<confab::Error> &error);

private:
    friend class ChatRelay;
    ChatTurn(const TurnRequest &request, Message userMessage, QObject *parent);

    qint64 m_userId;
    QString m_sessionId;
    quint64 m_ownerId;
    Message m_userMessage;
    QList<qint64> m_removedMessageIds;
    AnswerRecorder *m_recorder = nullptr;
    std::unique_ptr<QuotaTicket> m_ticket;
    QElapsedTimer m_clock;
    bool m_sawFirstToken = false;
};

class ChatRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatRelay)

public:
    struct Dependencies
    {
        Database &database;
        ConversationStore &conversations;
        MessageStore &messages;
        PresetStore &presets;
        ServerSettings &settings;
        RequestThrottle &throttle;
        QuotaGuard &quota;
        LiveConversations &live;
        UpstreamPool &upstream;
        ServerMetrics &metrics;
    };

    explicit ChatRelay(Dependencies dependencies, QObject *parent = nullptr);
    ~ChatRelay() override;

    // Checks, saves the user's message and starts the answer. The turn belongs to the relay
    // and is deleted after finished().
    ApiResult<ChatTurn *> start(const TurnRequest &request);

    ChatTurn *turnFor(qint64 userId, qint64 conversationId) const;
    // Each returns how many answers it stopped.
    int cancel(qint64 userId, qint64 conversationId, const Error &reason);
    int cancelSession(const QString &sessionId, const Error &reason);
    int cancelUser(qint64 userId, const Error &reason);
    int cancelOwner(quint64 ownerId, const Error &reason);
    int cancelAll(const Error &reason);
    int activeCount() const { return int(m_turns.size()); }

signals:
    void idle(); // the last answer in flight finished

private:
    ApiResult<std::unique_ptr<QuotaTicket>> admit(const TurnRequest &request);
    // Inside the turn's transaction: the message to answer, saved as the request asks.
    ApiResult<Message> saveUserMessage(const TurnRequest &request, Conversation &conversation,
                                       QList<qint64> &removed);
    int contextSize(const TurnRequest &request, const Conversation &conversation) const;
    QString systemPrompt(const QString &presetId) const;
    void onTurnFinished(ChatTurn *turn, const Message &answer);
    template<typename Predicate>
    int cancelWhere(Predicate predicate, const Error &reason);

    Dependencies m_deps;
    QHash<QPair<qint64, qint64>, ChatTurn *> m_turns; // (user, conversation)
};

} // namespace confab
