#include "localchatservice.h"

#include "api/chatreply.h"
#include "api/provider.h"
#include "chat/answerrecorder.h"
#include "chat/contextwindow.h"
#include "chat/conversationtitle.h"
#include "common/logging.h"
#include "io/chatgptimporter.h"
#include "storage/conversationstore.h"
#include "storage/importwriter.h"
#include "storage/messagestore.h"
#include "storage/presetstore.h"
#include "storage/searchindexer.h"
#include "storage/usagestore.h"

#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Long enough for pasted documents, short enough that one message cannot exhaust memory.
constexpr qsizetype MaxMessageLength = 1'000'000;

Error conflict(const QString &message)
{
    return Error{ErrorCode::Conflict, message};
}

} // namespace

LocalChatService::LocalChatService(Database &database, Provider &provider, qint64 userId,
                                   Options options, QObject *parent)
    : ChatService(parent)
    , m_database(database)
    , m_provider(provider)
    , m_options(std::move(options))
    , m_conversations(std::make_unique<ConversationStore>(database))
    , m_messages(std::make_unique<MessageStore>(database))
    , m_presetStore(std::make_unique<PresetStore>(database))
    , m_usage(std::make_unique<UsageStore>(database))
    , m_searchIndexer(std::make_unique<SearchIndexer>(database))
    , m_userId(userId)
{
    // An earlier run may have left imported messages unindexed (they are searchable, slowly).
    m_searchIndexer->start();
}

LocalChatService::~LocalChatService()
{
    // Each recorder saves its partial answer, marked incomplete, while the stores still exist.
    qDeleteAll(m_streams);
}

void LocalChatService::setBuiltInPresets(const QList<Preset> &presets)
{
    m_options.builtInPresets = presets;
}

void LocalChatService::createConversation(const NewConversation &spec, QObject *context,
                                          Handler<Conversation> handler)
{
    Conversation conversation;
    conversation.title = spec.title.trimmed();
    conversation.presetId = spec.presetId;
    conversation.params = spec.params;
    conversation.contextMessages = spec.contextMessages;
    auto created = m_conversations->create(m_userId, conversation);
    if (created)
        emit conversationAdded(*created);
    deliver(context, std::move(handler), std::move(created));
}

void LocalChatService::conversation(qint64 id, QObject *context, Handler<Conversation> handler)
{
    deliver(context, std::move(handler), m_conversations->get(m_userId, id));
}

void LocalChatService::listConversations(const ConversationQuery &query, QObject *context,
                                         Handler<Page<Conversation>> handler)
{
    deliver(context, std::move(handler), m_conversations->list(m_userId, query));
}

void LocalChatService::updateConversation(const Conversation &conversation, QObject *context,
                                          Handler<Conversation> handler)
{
    auto updated = m_conversations->update(m_userId, conversation);
    if (updated)
        emit conversationChanged(*updated);
    deliver(context, std::move(handler), std::move(updated));
}

void LocalChatService::deleteConversation(qint64 id, QObject *context, Handler<void> handler)
{
    if (AnswerRecorder *recorder = m_streams.take(id)) {
        delete recorder; // saves the partial answer; the row goes with the conversation
        emit streamingChanged(id, false);
    }
    Result<void> removed = m_conversations->remove(m_userId, id);
    if (removed)
        emit conversationRemoved(id);
    deliver(context, std::move(handler), std::move(removed));
}

void LocalChatService::messages(qint64 conversationId, const MessageQuery &query, QObject *context,
                                Handler<Page<Message>> handler)
{
    deliver(context, std::move(handler), m_messages->list(m_userId, conversationId, query));
}

void LocalChatService::allMessages(qint64 conversationId, QObject *context,
                                   Handler<QList<Message>> handler)
{
    deliver(context, std::move(handler), m_messages->all(m_userId, conversationId));
}

void LocalChatService::deleteMessage(qint64 messageId, QObject *context, Handler<void> handler)
{
    const auto message = m_messages->get(m_userId, messageId);
    if (!message)
        return deliver<void>(context, std::move(handler), message.error());
    if (auto idle = ensureIdle(message->conversationId); !idle)
        return deliver(context, std::move(handler), std::move(idle));
    Result<void> removed = m_messages->remove(m_userId, messageId);
    if (removed)
        emit messagesRemoved(message->conversationId, {messageId});
    deliver(context, std::move(handler), std::move(removed));
}

void LocalChatService::sendMessage(qint64 conversationId, const QString &content, QObject *context,
                                   Handler<Message> handler)
{
    if (auto idle = ensureIdle(conversationId); !idle)
        return deliver<Message>(context, std::move(handler), idle.error());
    auto conversation = m_conversations->get(m_userId, conversationId);
    if (!conversation)
        return deliver<Message>(context, std::move(handler), conversation.error());

    auto userMessage = saveUserMessage(conversationId, content);
    if (!userMessage)
        return deliver(context, std::move(handler), std::move(userMessage));
    titleFromFirstMessage(*conversation, content);

    // The user's message is saved either way; a failure to start is reported with it.
    if (auto started = startAnswer(*conversation); !started)
        return deliver<Message>(context, std::move(handler), started.error());
    deliver(context, std::move(handler), std::move(userMessage));
}

void LocalChatService::regenerate(qint64 conversationId, QObject *context, Handler<void> handler)
{
    if (auto idle = ensureIdle(conversationId); !idle)
        return deliver(context, std::move(handler), std::move(idle));
    auto conversation = m_conversations->get(m_userId, conversationId);
    if (!conversation)
        return deliver<void>(context, std::move(handler), conversation.error());
    auto history = m_messages->all(m_userId, conversationId);
    if (!history)
        return deliver<void>(context, std::move(handler), history.error());

    // Everything after the last user message is the answer being replaced.
    const auto lastUser = std::find_if(history->crbegin(), history->crend(),
                                       [](const Message &m) { return m.role == Role::User; });
    if (lastUser == history->crend())
        return deliver<void>(context, std::move(handler),
                             Error{ErrorCode::InvalidInput, tr("There is no message to answer.")});
    QList<qint64> replaced;
    for (auto it = history->crbegin(); it != lastUser; ++it)
        replaced.prepend(it->id);
    if (!replaced.isEmpty()) {
        if (auto removed = m_messages->removeFrom(m_userId, conversationId, replaced.first());
            !removed)
            return deliver<void>(context, std::move(handler), removed.error());
        emit messagesRemoved(conversationId, replaced);
    }
    deliver(context, std::move(handler), startAnswer(*conversation));
}

void LocalChatService::editAndResend(qint64 messageId, const QString &content, QObject *context,
                                     Handler<Message> handler)
{
    auto message = m_messages->get(m_userId, messageId);
    if (!message)
        return deliver(context, std::move(handler), std::move(message));
    if (message->role != Role::User)
        return deliver<Message>(
            context, std::move(handler),
            Error{ErrorCode::InvalidInput, tr("Only your own messages can be edited.")});
    if (content.trimmed().isEmpty() || content.size() > MaxMessageLength)
        return deliver<Message>(
            context, std::move(handler),
            Error{ErrorCode::InvalidInput, tr("The message is empty or too long.")});
    const qint64 conversationId = message->conversationId;
    if (auto idle = ensureIdle(conversationId); !idle)
        return deliver<Message>(context, std::move(handler), idle.error());
    auto conversation = m_conversations->get(m_userId, conversationId);
    auto history = m_messages->all(m_userId, conversationId);
    if (!conversation || !history)
        return deliver<Message>(context, std::move(handler),
                                !conversation ? conversation.error() : history.error());

    // Save the new text first, then drop what followed: a failure loses nothing typed.
    if (auto edited = m_messages->updateContent(m_userId, messageId, content); !edited)
        return deliver<Message>(context, std::move(handler), edited.error());
    message->content = content;
    emit messageUpdated(*message);

    QList<qint64> later;
    for (const Message &m : std::as_const(*history)) {
        if (m.id > messageId)
            later.append(m.id);
    }
    if (!later.isEmpty()) {
        if (auto removed = m_messages->removeFrom(m_userId, conversationId, later.first());
            !removed)
            return deliver<Message>(context, std::move(handler), removed.error());
        emit messagesRemoved(conversationId, later);
    }
    if (auto started = startAnswer(*conversation); !started)
        return deliver<Message>(context, std::move(handler), started.error());
    deliver(context, std::move(handler), std::move(message));
}

void LocalChatService::cancel(qint64 conversationId)
{
    if (AnswerRecorder *recorder = m_streams.value(conversationId))
        recorder->cancel(Error{ErrorCode::Cancelled, tr("Stopped.")});
}

bool LocalChatService::isStreaming(qint64 conversationId) const
{
    return m_streams.contains(conversationId);
}

void LocalChatService::search(const QString &query, QObject *context,
                              Handler<QList<SearchHit>> handler)
{
    constexpr int MaxHits = 100;
    deliver(context, std::move(handler), m_messages->search(m_userId, query, MaxHits));
}

void LocalChatService::presets(QObject *context, Handler<QList<Preset>> handler)
{
    auto own = m_presetStore->list(m_userId);
    if (!own)
        return deliver(context, std::move(handler), std::move(own));
    QList<Preset> all = m_options.builtInPresets;
    all.append(*own);
    deliver<QList<Preset>>(context, std::move(handler), std::move(all));
}

void LocalChatService::savePreset(const Preset &preset, QObject *context, Handler<Preset> handler)
{
    if (isBuiltInPreset(preset.id))
        return deliver<Preset>(
            context, std::move(handler),
            Error{ErrorCode::Forbidden, tr("Built-in presets cannot be changed.")});
    Preset own = preset;
    own.builtIn = false;
    if (own.id.isEmpty())
        own.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto saved = m_presetStore->upsert(m_userId, own);
    if (saved)
        emit presetsChanged();
    deliver(context, std::move(handler), std::move(saved));
}

void LocalChatService::deletePreset(const QString &presetId, QObject *context,
                                    Handler<void> handler)
{
    if (isBuiltInPreset(presetId))
        return deliver<void>(
            context, std::move(handler),
            Error{ErrorCode::Forbidden, tr("Built-in presets cannot be deleted.")});
    Result<void> removed = m_presetStore->remove(m_userId, presetId);
    if (removed)
        emit presetsChanged();
    deliver(context, std::move(handler), std::move(removed));
}

void LocalChatService::importConversations(const QList<ImportedConversation> &conversations,
                                           std::function<void(qsizetype, qsizetype)> progress,
                                           QObject *context, Handler<int> handler)
{
    ImportWriter writer(m_database);
    if (auto begun = writer.begin(); !begun)
        return deliver<int>(context, std::move(handler), begun.error());
    const qsizetype total = conversations.size();
    for (qsizetype done = 0; done < total; ++done) {
        if (progress)
            progress(done, total);
        const ImportedConversation &imported = conversations.at(done);
        Conversation conversation;
        conversation.title = imported.title;
        conversation.createdAt = imported.createdAt;
        conversation.updatedAt = imported.updatedAt;
        // Nothing is written unless every conversation is: the writer rolls back.
        if (auto added = writer.add(m_userId, conversation, imported.messages); !added)
            return deliver<int>(context, std::move(handler), added.error());
    }
    if (auto committed = writer.commit(); !committed)
        return deliver<int>(context, std::move(handler), committed.error());
    if (progress)
        progress(total, total);
    m_searchIndexer->start();
    emit conversationsReset();
    deliver<int>(context, std::move(handler), writer.conversationCount());
}

Result<Message> LocalChatService::saveUserMessage(qint64 conversationId, const QString &content)
{
    if (content.trimmed().isEmpty())
        return Error{ErrorCode::InvalidInput, tr("The message is empty.")};
    if (content.size() > MaxMessageLength)
        return Error{ErrorCode::InvalidInput,
                     tr("The message is too long (at most %L1 characters).").arg(MaxMessageLength)};
    Message message;
    message.conversationId = conversationId;
    message.role = Role::User;
    message.content = content;
    auto saved = m_messages->append(m_userId, message);
    if (saved)
        emit messageAdded(*saved);
    return saved;
}

Result<void> LocalChatService::startAnswer(const Conversation &conversation)
{
    const int window = conversation.contextMessages > 0 ? conversation.contextMessages
                                                        : m_options.defaultContextMessages;
    // ContextWindow skips a few kinds of message (failed empty answers, system rows), so
    // fetch a margin beyond the window itself.
    auto history = m_messages->lastMessages(m_userId, conversation.id, window * 2 + 10);
    if (!history)
        return history.error();

    Message placeholder;
    placeholder.conversationId = conversation.id;
    placeholder.role = Role::Assistant;
    placeholder.state = MessageState::Streaming;
    auto answer = m_messages->append(m_userId, placeholder);
    if (!answer)
        return answer.error();
    emit messageAdded(*answer);

    ChatRequest request;
    request.messages
        = ContextWindow::build(systemPromptFor(conversation.presetId), *history, window);
    request.params = conversation.params;
    request.stream = true;

    auto *recorder = new AnswerRecorder(*m_messages, m_userId, *answer, m_provider.send(request),
                                        m_options.saveInterval, this);
    connect(recorder, &AnswerRecorder::delta, this,
            [this](const Message &message, const QString &content, const QString &reasoning) {
                emit messageDelta(message.conversationId, message.id, content, reasoning);
            });
    connect(recorder, &AnswerRecorder::finished, this,
            [this, recorder](const Message &, const std::optional<Error> &error) {
                onAnswerFinished(recorder, error);
            });
    m_streams.insert(conversation.id, recorder);
    emit streamingChanged(conversation.id, true);
    return {};
}

Result<void> LocalChatService::ensureIdle(qint64 conversationId) const
{
    if (m_streams.contains(conversationId))
        return conflict(tr("An answer is still being written in this conversation."));
    return {};
}

void LocalChatService::onAnswerFinished(AnswerRecorder *recorder, const std::optional<Error> &error)
{
    const Message &answer = recorder->answer();
    m_streams.remove(answer.conversationId);
    if (error)
        qCInfo(lcChat) << "answer" << answer.id << "incomplete:" << error->toString();

    countUsage(answer.usage);
    emit messageUpdated(answer);
    emit streamingChanged(answer.conversationId, false);
    if (!error && m_options.generateTitles)
        generateTitle(answer);
    recorder->deleteLater();
}

void LocalChatService::countUsage(const std::optional<Usage> &usage)
{
    const Usage counted = usage.value_or(Usage{});
    const QDate today = QDateTime::currentDateTimeUtc().date();
    if (auto added
        = m_usage->add(m_userId, today, 1, counted.promptTokens, counted.completionTokens);
        !added)
        qCWarning(lcChat) << "could not count usage:" << added.error().toString();
}

void LocalChatService::generateTitle(const Message &firstAnswer)
{
    const auto conversation = m_conversations->get(m_userId, firstAnswer.conversationId);
    const auto history = m_messages->lastMessages(m_userId, firstAnswer.conversationId, 3);
    // Only a conversation's first exchange, and only a title Confab chose itself.
    if (!conversation || !history || history->size() != 2 || history->first().role != Role::User)
        return;
    const QString provisional = ConversationTitle::provisional(history->first().content);
    if (conversation->title != provisional)
        return;

    ChatReply *reply = m_provider.send(ConversationTitle::request(
        history->first().content, firstAnswer.content, conversation->params));
    reply->setParent(this); // cancelled with the service
    connect(reply, &ChatReply::finished, this, [this, reply, id = conversation->id, provisional] {
        reply->deleteLater();
        const ChatResult &result = reply->result();
        if (result.error)
            return; // the provisional title stays; nothing the user needs to see
        countUsage(result.usage);
        const QString title = ConversationTitle::cleaned(result.content);
        auto current = m_conversations->get(m_userId, id);
        if (title.isEmpty() || !current || current->title != provisional)
            return;
        current->title = title;
        if (auto updated = m_conversations->update(m_userId, *current))
            emit conversationChanged(*updated);
    });
}

bool LocalChatService::isBuiltInPreset(const QString &presetId) const
{
    return std::any_of(m_options.builtInPresets.cbegin(), m_options.builtInPresets.cend(),
                       [&presetId](const Preset &preset) { return preset.id == presetId; });
}

QString LocalChatService::systemPromptFor(const QString &presetId) const
{
    if (presetId.isEmpty())
        return {};
    for (const Preset &preset : std::as_const(m_options.builtInPresets)) {
        if (preset.id == presetId)
            return preset.systemPrompt;
    }
    const auto own = m_presetStore->get(m_userId, presetId);
    return own ? own->systemPrompt : QString();
}

void LocalChatService::titleFromFirstMessage(Conversation conversation, const QString &content)
{
    if (!conversation.title.isEmpty())
        return;
    conversation.title = ConversationTitle::provisional(content);
    if (auto updated = m_conversations->update(m_userId, conversation))
        emit conversationChanged(*updated);
}

} // namespace confab
