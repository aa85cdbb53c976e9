#include "chatrelay.h"

#include "admission.h"
#include "api/chatreply.h"
#include "api/provider.h"
#include "chat/answerrecorder.h"
#include "chat/contextwindow.h"
#include "chat/conversationtitle.h"
#include "common/logging.h"
#include "ops/liveconversations.h"
#include "ops/metrics.h"
#include "ops/quotaguard.h"
#include "ops/requestthrottle.h"
#include "serversettings.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/messagestore.h"
#include "storage/presetstore.h"
#include "upstreammetrics.h"
#include "upstreampool.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace confab {

namespace {

// Long enough for pasted documents, short enough that one message cannot exhaust memory.
constexpr qsizetype MaxMessageLength = 1'000'000;
constexpr auto SaveInterval = 1000ms;

} // namespace

std::optional<ApiError> readTurnBody(const QJsonObject &body, TurnRequest &request)
{
    request.content = body.value("content"_L1).toString();
    if (body.contains("params"_L1)) {
        if (!body.value("params"_L1).isObject())
            return ApiError::make(400, u"invalid_request"_s, u"params must be an object."_s);
        auto parsed = ChatParams::fromJson(body.value("params"_L1).toObject());
        if (!parsed)
            return ApiError::fromError(parsed.error());
        request.params = *parsed;
    }
    const QJsonValue edited = body.value("edit_message_id"_L1);
    if (body.value("regenerate"_L1).toBool()) {
        request.kind = TurnRequest::Kind::Regenerate;
    } else if (!edited.isUndefined() && !edited.isNull()) {
        bool ok = false;
        request.editedMessageId = edited.toString().toLongLong(&ok);
        if (!ok || request.editedMessageId <= 0)
            return ApiError::make(400, u"invalid_request"_s,
                                  u"edit_message_id must be a message id."_s);
        request.kind = TurnRequest::Kind::Edit;
    }
    return std::nullopt;
}

ChatTurn::ChatTurn(const TurnRequest &request, Message userMessage, QObject *parent)
    : QObject(parent)
    , m_userId(request.user.id)
    , m_sessionId(request.sessionId)
    , m_ownerId(request.ownerId)
    , m_userMessage(std::move(userMessage))
{
    m_clock.start();
}

const Message &ChatTurn::answer() const
{
    return m_recorder->answer();
}

ChatTurn::~ChatTurn() = default;

void ChatTurn::cancel(const Error &reason)
{
    if (!m_recorder->isFinished())
        m_recorder->cancel(reason);
}

ChatRelay::ChatRelay(Dependencies dependencies, QObject *parent)
    : QObject(parent)
    , m_deps(dependencies)
{}

// Deleting the recorders saves every partial answer, marked incomplete.
ChatRelay::~ChatRelay()
{
    const auto turns = m_turns.values();
    m_turns.clear();
    qDeleteAll(turns);
}

ApiResult<ChatTurn *> ChatRelay::start(const TurnRequest &request)
{
    const bool hasContent = request.kind != TurnRequest::Kind::Regenerate;
    if (hasContent && request.content.trimmed().isEmpty())
        return ApiError::make(400, u"invalid_request"_s, u"The message is empty."_s);
    if (hasContent && request.content.size() > MaxMessageLength)
        return ApiError::make(
            400, u"invalid_request"_s,
            u"The message is too long (at most %1 characters)."_s.arg(MaxMessageLength));
    const qint64 userId = request.user.id;
    auto conversation = m_deps.conversations.get(userId, request.conversationId);
    if (!conversation)
        return ApiError::fromError(conversation.error());
    if (turnFor(userId, request.conversationId))
        return ApiError::make(409, u"conflict"_s,
                              u"An answer is still being written in this conversation."_s);

    auto admitted = admit(request);
    if (auto *error = std::get_if<ApiError>(&admitted))
        return *error;

    // The user's message, the title and the answer's placeholder: one commit, one disk flush,
    // done before anything goes upstream.
    Transaction transaction(m_deps.database);
    if (!transaction.ok())
        return ApiError::fromError(transaction.error());
    QList<qint64> removed;
    auto saved = saveUserMessage(request, *conversation, removed);
    if (auto *error = std::get_if<ApiError>(&saved))
        return *error;

    const int window = contextSize(request, *conversation);
    // ContextWindow skips some rows (system rows, failed empty answers): fetch a margin.
    auto history = m_deps.messages.lastMessages(userId, request.conversationId, window * 2 + 10,
                                                request.contextStartMessageId);
    if (!history)
        return ApiError::fromError(history.error());

    Message placeholder;
    placeholder.conversationId = request.conversationId;
    placeholder.role = Role::Assistant;
    placeholder.state = MessageState::Streaming;
    auto answer = m_deps.messages.append(userId, placeholder);
    if (!answer)
        return ApiError::fromError(answer.error());
    if (auto committed = transaction.commit(); !committed)
        return ApiError::fromError(committed.error());

    ChatRequest upstreamRequest;
    upstreamRequest.messages
        = ContextWindow::build(systemPrompt(conversation->presetId), *history, window);
    upstreamRequest.params = request.params.mergedOnto(conversation->params);
    upstreamRequest.stream = true;

    auto *turn = new ChatTurn(request, std::get<Message>(std::move(saved)), this);
    turn->m_removedMessageIds = removed;
    turn->m_ticket = std::get<std::unique_ptr<QuotaTicket>>(std::move(admitted));
    turn->m_recorder
        = new AnswerRecorder(m_deps.messages, userId, *answer,
                             m_deps.upstream.send(upstreamRequest), SaveInterval, turn);
    connect(turn->m_recorder, &AnswerRecorder::delta, turn,
            [this, turn](const Message &, const QString &content, const QString &reasoning) {
                if (!turn->m_sawFirstToken) {
                    turn->m_sawFirstToken = true;
                    m_deps.metrics.upstreamFirstToken().observe(double(turn->m_clock.nsecsElapsed())
                                                                / 1e9);
                }
                emit turn->delta(content, reasoning);
            });
    connect(turn->m_recorder, &AnswerRecorder::finished, turn,
            [this, turn](const Message &recorded, const std::optional<Error> &error) {
                const Usage usage = recorded.usage.value_or(Usage{});
                // A stream cut before its usage chunk still counts as a request.
                if (auto counted
                    = turn->m_ticket->commit(usage.promptTokens, usage.completionTokens);
                    !counted)
                    qCWarning(lcChat) << "could not count usage:" << counted.error().toString();
                recordUpstreamEnd(m_deps.metrics, turn->m_clock, usage, error);
                if (error)
                    qCInfo(lcChat) << "answer" << recorded.id << "incomplete:" << error->toString();
                emit turn->finished(recorded, error);
                onTurnFinished(turn, recorded);
            });
    m_turns.insert({userId, request.conversationId}, turn);
    m_deps.metrics.activeStreams().inc();
    return turn;
}

ApiResult<Message> ChatRelay::saveUserMessage(const TurnRequest &request,
                                              Conversation &conversation, QList<qint64> &removed)
{
    const qint64 userId = request.user.id;
    const qint64 conversationId = request.conversationId;
    if (request.kind == TurnRequest::Kind::Send) {
        Message userMessage;
        userMessage.conversationId = conversationId;
        userMessage.role = Role::User;
        userMessage.content = request.content;
        auto saved = m_deps.messages.append(userId, userMessage);
        if (!saved)
            return ApiError::fromError(saved.error());
        if (conversation.title.isEmpty()) {
            conversation.title = ConversationTitle::provisional(request.content);
            if (auto titled = m_deps.conversations.update(userId, conversation); !titled)
                qCWarning(lcChat) << "could not title conversation:" << titled.error().toString();
        }
        return *saved;
    }

    auto history = m_deps.messages.all(userId, conversationId);
    if (!history)
        return ApiError::fromError(history.error());
    std::optional<Message> answered;
    for (const Message &message : std::as_const(*history)) {
        const bool isTarget = request.kind == TurnRequest::Kind::Edit
            ? message.id == request.editedMessageId
            : message.role == Role::User;
        if (isTarget) {
            answered = message;
            removed.clear();
        } else if (answered) {
            removed.append(message.id);
        }
    }
    if (!answered)
        return request.kind == TurnRequest::Kind::Edit
            ? ApiError::make(404, u"not_found"_s, u"No such message in this conversation."_s)
            : ApiError::make(400, u"invalid_request"_s, u"There is no message to answer."_s);
    if (answered->role != Role::User)
        return ApiError::make(400, u"invalid_request"_s,
                              u"Only your own messages can be edited."_s);
    if (request.kind == TurnRequest::Kind::Edit) {
        if (auto edited = m_deps.messages.updateContent(userId, answered->id, request.content);
            !edited)
            return ApiError::fromError(edited.error());
        answered->content = request.content;
    }
    if (!removed.isEmpty()) {
        if (auto dropped = m_deps.messages.removeFrom(userId, conversationId, removed.first());
            !dropped)
            return ApiError::fromError(dropped.error());
    }
    return *answered;
}

ApiResult<std::unique_ptr<QuotaTicket>> ChatRelay::admit(const TurnRequest &request)
{
    const qint64 userId = request.user.id;
    // A refused request must not keep a conversation open that it opened.
    const bool wasOpen = m_deps.live.openFor(userId).contains(request.conversationId);
    if (auto opened = m_deps.live.open(userId, request.conversationId, request.ownerId); !opened)
        return ApiError::make(
            409, u"too_many_conversations"_s,
            u"At most %1 conversations can be open at once; close one first."_s.arg(
                m_deps.settings.values().maxLiveConversations));
    m_deps.live.touch(userId, request.conversationId);

    auto admitted = admitRequest(m_deps.quota, m_deps.throttle,
                                 m_deps.settings.values().minInterval, request.user);
    if (!wasOpen && std::holds_alternative<ApiError>(admitted))
        m_deps.live.close(userId, request.conversationId);
    return admitted;
}

int ChatRelay::contextSize(const TurnRequest &request, const Conversation &conversation) const
{
    // The server's N caps what a user or a conversation may ask for.
    int limit = m_deps.settings.values().contextMessages;
    if (request.user.contextMessages && *request.user.contextMessages > 0)
        limit = std::min(limit, *request.user.contextMessages);
    if (conversation.contextMessages > 0)
        limit = std::min(limit, conversation.contextMessages);
    return limit;
}

QString ChatRelay::systemPrompt(const QString &presetId) const
{
    if (presetId.isEmpty())
        return {};
    const auto presets = m_deps.presets.serverPresets();
    if (!presets)
        return {};
    for (const Preset &preset : *presets) {
        if (preset.id == presetId)
            return preset.systemPrompt;
    }
    return {};
}

void ChatRelay::onTurnFinished(ChatTurn *turn, const Message &answer)
{
    m_turns.remove({turn->userId(), answer.conversationId});
    m_deps.metrics.activeStreams().dec();
    turn->deleteLater();
    if (m_turns.isEmpty())
        emit idle();
}

ChatTurn *ChatRelay::turnFor(qint64 userId, qint64 conversationId) const
{
    return m_turns.value({userId, conversationId});
}

template<typename Predicate>
int ChatRelay::cancelWhere(Predicate predicate, const Error &reason)
{
    QList<ChatTurn *> matching;
    for (ChatTurn *turn : std::as_const(m_turns)) {
        if (predicate(*turn))
            matching.append(turn);
    }
    for (ChatTurn *turn : std::as_const(matching))
        turn->cancel(reason);
    return int(matching.size());
}

int ChatRelay::cancel(qint64 userId, qint64 conversationId, const Error &reason)
{
    return cancelWhere(
        [&](const ChatTurn &turn) {
            return turn.userId() == userId && turn.conversationId() == conversationId;
        },
        reason);
}

int ChatRelay::cancelSession(const QString &sessionId, const Error &reason)
{
    return cancelWhere([&](const ChatTurn &turn) { return turn.sessionId() == sessionId; }, reason);
}

int ChatRelay::cancelUser(qint64 userId, const Error &reason)
{
    return cancelWhere([&](const ChatTurn &turn) { return turn.userId() == userId; }, reason);
}

int ChatRelay::cancelOwner(quint64 ownerId, const Error &reason)
{
    return cancelWhere([&](const ChatTurn &turn) { return turn.ownerId() == ownerId; }, reason);
}

int ChatRelay::cancelAll(const Error &reason)
{
    return cancelWhere([](const ChatTurn &) { return true; }, reason);
}

} // namespace confab
