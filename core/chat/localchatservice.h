#pragma once

#include "chat/chatservice.h"

#include <QHash>

#include <chrono>
#include <memory>

namespace confab {

class AnswerRecorder;
class ConversationStore;
class Database;
class MessageStore;
class PresetStore;
class Provider;
class SearchIndexer;
class UsageStore;

// ChatService on this machine (direct mode): history in the local SQLite file, answers from
// the user's own provider. The user's message is committed before the request goes out; the
// answer is saved as it streams and kept, marked incomplete, when it is cut short.
class LocalChatService final : public ChatService
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalChatService)

public:
    struct Options
    {
        int defaultContextMessages = 15;
        std::chrono::milliseconds saveInterval{1000};
        QList<Preset> builtInPresets; // shown first; their system prompts are used by id
        // After the first answer, ask the model for a better title than the first message.
        bool generateTitles = true;
    };

    // database and provider must outlive the service; userId is the local user's row
    // (UserStore::ensureLocalUser).
    LocalChatService(Database &database, Provider &provider, qint64 userId, Options options,
                     QObject *parent = nullptr);
    ~LocalChatService() override;

    qint64 userId() const { return m_userId; }
    // Indexes imported messages for search in the background (started by the service after an
    // import, and at construction when a backlog is left); for showing its progress.
    SearchIndexer &searchIndexer() const { return *m_searchIndexer; }
    void setBuiltInPresets(const QList<Preset> &presets);

    void createConversation(const NewConversation &spec, QObject *context,
                            Handler<Conversation> handler) override;
    void conversation(qint64 id, QObject *context, Handler<Conversation> handler) override;
    void listConversations(const ConversationQuery &query, QObject *context,
                           Handler<Page<Conversation>> handler) override;
    void updateConversation(const Conversation &conversation, QObject *context,
                            Handler<Conversation> handler) override;
    void deleteConversation(qint64 id, QObject *context, Handler<void> handler) override;

    void messages(qint64 conversationId, const MessageQuery &query, QObject *context,
                  Handler<Page<Message>> handler) override;
    void allMessages(qint64 conversationId, QObject *context,
                     Handler<QList<Message>> handler) override;
    void deleteMessage(qint64 messageId, QObject *context, Handler<void> handler) override;

    void sendMessage(qint64 conversationId, const QString &content, QObject *context,
                     Handler<Message> handler) override;
    void regenerate(qint64 conversationId, QObject *context, Handler<void> handler) override;
    void editAndResend(qint64 messageId, const QString &content, QObject *context,
                       Handler<Message> handler) override;
    void cancel(qint64 conversationId) override;
    bool isStreaming(qint64 conversationId) const override;

    void search(const QString &query, QObject *context, Handler<QList<SearchHit>> handler) override;
    void presets(QObject *context, Handler<QList<Preset>> handler) override;
    void savePreset(const Preset &preset, QObject *context, Handler<Preset> handler) override;
    void deletePreset(const QString &presetId, QObject *context, Handler<void> handler) override;
    void importConversations(const QList<ImportedConversation> &conversations,
                             std::function<void(qsizetype, qsizetype)> progress, QObject *context,
                             Handler<int> handler) override;

private:
    Result<Message> saveUserMessage(qint64 conversationId, const QString &content);
    // Starts the answer to the conversation's history as it stands.
    Result<void> startAnswer(const Conversation &conversation);
    Result<void> ensureIdle(qint64 conversationId) const;
    void onAnswerFinished(AnswerRecorder *recorder, const std::optional<Error> &error);
    QString systemPromptFor(const QString &presetId) const;
    bool isBuiltInPreset(const QString &presetId) const;
    void titleFromFirstMessage(Conversation conversation, const QString &content);
    // Replaces a provisional title with the model's, if nobody renamed it meanwhile.
    void generateTitle(const Message &firstAnswer);
    void countUsage(const std::optional<Usage> &usage);

    Database &m_database;
    Provider &m_provider;
    Options m_options;
    std::unique_ptr<ConversationStore> m_conversations;
    std::unique_ptr<MessageStore> m_messages;
    std::unique_ptr<PresetStore> m_presetStore;
    std::unique_ptr<UsageStore> m_usage;
    std::unique_ptr<SearchIndexer> m_searchIndexer;
    qint64 m_userId = 0;
    QHash<qint64, AnswerRecorder *> m_streams; // by conversation id
};

} // namespace confab
