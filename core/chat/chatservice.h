#pragma once

#include "common/types.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace confab {

struct ConversationQuery;
struct ImportedConversation;
struct MessageQuery;
struct SearchHit;

// What a new conversation starts with; everything is optional.
struct NewConversation
{
    QString title;
    QString presetId;
    ChatParams params;
    int contextMessages = 0;
};

// The one interface the GUI talks to: conversations, messages, streaming answers, presets and
// search. LocalChatService runs it on this machine (direct mode); a remote implementation
// speaks to confab-server. The GUI never knows which one it holds.
//
// Every operation answers asynchronously, through a handler invoked on the event loop in the
// thread of `context`, and never if `context` is gone. Changes, whoever made them, are also
// announced by the signals, so several views stay in step.
class ChatService : public QObject
{
    Q_OBJECT

public:
    template<typename T>
    using Handler = std::function<void(Result<T>)>;

    using QObject::QObject;

    virtual void createConversation(const NewConversation &spec, QObject *context,
                                    Handler<Conversation> handler)
        = 0;
    virtual void conversation(qint64 id, QObject *context, Handler<Conversation> handler) = 0;
    virtual void listConversations(const ConversationQuery &query, QObject *context,
                                   Handler<Page<Conversation>> handler)
        = 0;
    // Saves title, archived, preset, parameters and context size.
    virtual void updateConversation(const Conversation &conversation, QObject *context,
                                    Handler<Conversation> handler)
        = 0;
    virtual void deleteConversation(qint64 id, QObject *context, Handler<void> handler) = 0;

    virtual void messages(qint64 conversationId, const MessageQuery &query, QObject *context,
                          Handler<Page<Message>> handler)
        = 0;
    // Every message of a conversation, oldest first (export).
    virtual void allMessages(qint64 conversationId, QObject *context,
                             Handler<QList<Message>> handler)
        = 0;
    virtual void deleteMessage(qint64 messageId, QObject *context, Handler<void> handler) = 0;

    // Saves the user's message (the handler gets it) and then streams the answer: the answer
    // appears through messageAdded, messageDelta and finally messageUpdated.
    virtual void sendMessage(qint64 conversationId, const QString &content, QObject *context,
                             Handler<Message> handler)
        = 0;
    // Replaces the last answer with a new one.
    virtual void regenerate(qint64 conversationId, QObject *context, Handler<void> handler) = 0;
    // Changes a user message, drops every later message, and sends it again.
    virtual void editAndResend(qint64 messageId, const QString &content, QObject *context,
                               Handler<Message> handler)
        = 0;
    // Stops the answer being written; its text so far is kept, marked incomplete.
    virtual void cancel(qint64 conversationId) = 0;
    virtual bool isStreaming(qint64 conversationId) const = 0;

    virtual void search(const QString &query, QObject *context, Handler<QList<SearchHit>> handler)
        = 0;
    // Built-in presets first, then the user's own.
    virtual void presets(QObject *context, Handler<QList<Preset>> handler) = 0;
    // Creates (empty id) or changes one of the user's presets; built-ins cannot be changed.
    virtual void savePreset(const Preset &preset, QObject *context, Handler<Preset> handler) = 0;
    virtual void deletePreset(const QString &presetId, QObject *context, Handler<void> handler) = 0;

    // Stores imported conversations, all or nothing; the handler gets how many were added.
    // progress(done, total) may be called along the way.
    virtual void importConversations(const QList<ImportedConversation> &conversations,
                                     std::function<void(qsizetype, qsizetype)> progress,
                                     QObject *context, Handler<int> handler)
        = 0;

    // A tab shows the conversation, or no longer does. A server limits how many conversations
    // a user keeps open at once; on this machine nothing is limited.
    virtual void setConversationOpen(qint64 conversationId, bool open)
    {
        Q_UNUSED(conversationId);
        Q_UNUSED(open);
    }
    // Whether the user's own presets can be made here (a team server's are its admins'), and
    // whether conversations can be imported.
    virtual bool canEditPresets() const { return true; }
    virtual bool canImport() const { return true; }

Q_SIGNALS:
    void conversationAdded(const confab::Conversation &conversation);
    void conversationChanged(const confab::Conversation &conversation);
    void conversationRemoved(qint64 conversationId);
    // Many conversations changed at once (an import): lists should reload.
    void conversationsReset();
    void presetsChanged();
    void messageAdded(const confab::Message &message);
    // Text appended to an answer being streamed.
    void messageDelta(qint64 conversationId, qint64 messageId, const QString &content,
                      const QString &reasoning);
    // A message's saved state changed: an answer finished (complete or not), an edit.
    void messageUpdated(const confab::Message &message);
    void messagesRemoved(qint64 conversationId, const QList<qint64> &messageIds);
    void streamingChanged(qint64 conversationId, bool streaming);

protected:
    // Delivers a result on the next turn of context's event loop, never synchronously, so
    // callers see the same order of events whichever service they hold.
    template<typename T>
    static void deliver(QObject *context, Handler<T> handler, Result<T> result)
    {
        if (!handler)
            return;
        QTimer::singleShot(0, context,
                           [handler = std::move(handler), result = std::move(result)]() mutable {
                               handler(std::move(result));
                           });
    }
};

} // namespace confab
