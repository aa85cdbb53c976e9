#pragma once

#include "common/types.h"

#include <QJsonObject>

#include <optional>

// The messages of a user's conversations: append, stream into, finish, edit, delete, page
// through and search. Every call is scoped by the user id: another user's message or
// conversation is NotFound.

namespace confab {

class Database;

struct MessageQuery
{
    QString before; // a nextCursor: the page of messages older than it; empty = the newest
    int limit = 50; // clamped to 1..500
};

struct SearchHit
{
    qint64 conversationId = 0;
    qint64 messageId = 0;
    QString conversationTitle;
    QString snippet; // the match with some context, on one line
    QDateTime createdAt;

    QJsonObject toJson() const;
    bool operator==(const SearchHit &) const = default;
};

class MessageStore final
{
public:
    explicit MessageStore(Database &db);

    // Sets id and createdAt (now) and moves the conversation to the top of the list.
    Result<Message> append(qint64 userId, const Message &message);
    Result<Message> get(qint64 userId, qint64 id);
    // The newest `limit` messages older than query.before, oldest first; nextCursor leads to
    // older ones.
    Result<Page<Message>> list(qint64 userId, qint64 conversationId,
                               const MessageQuery &query = {});
    Result<QList<Message>> all(qint64 userId, qint64 conversationId);
    // The last n messages with id >= sinceMessageId (a session's context start), oldest
    // first. n <= 0 gives none.
    Result<QList<Message>> lastMessages(qint64 userId, qint64 conversationId, int n,
                                        qint64 sinceMessageId = 0);

    // The text so far of an answer being streamed: one cheap UPDATE (streaming answers are
    // not indexed for search until finished). Conflict when the message is not streaming.
    Result<void> updateStreaming(qint64 userId, qint64 id, const QString &content,
                                 const QString &reasoning);
    // Ends a streaming answer: state Complete or Incomplete, with its final text. Conflict
    // when the message is not streaming (finished already).
    Result<Message> finish(qint64 userId, qint64 id, MessageState state,
                           const QString &finishReason, const QString &errorMessage,
                           std::optional<Usage> usage, const QString &content,
                           const QString &reasoning);
    // An edit by the user.
    Result<void> updateContent(qint64 userId, qint64 id, const QString &content);
    Result<void> remove(qint64 userId, qint64 id);
    // Deletes messageId and every later message of the conversation (edit-and-resend,
    // regenerate); returns how many were deleted.
    Result<int> removeFrom(qint64 userId, qint64 conversationId, qint64 messageId);

    // Newest first, over the text of all the user's finished messages: 3+ characters through
    // the trigram index, shorter by scanning. Literal; case-insensitive for ASCII letters.
    Result<QList<SearchHit>> search(qint64 userId, const QString &query, int limit = 50);

    // A whole conversation in one transaction (ImportWriter for many). Times are kept when set.
    Result<Conversation> importConversation(qint64 userId, const Conversation &conversation,
                                            const QList<Message> &messages);

private:
    Result<void> checkConversation(qint64 userId, qint64 conversationId);
    // After an UPDATE matched no row: NotFound, or Conflict when the message exists.
    Error notUpdated(qint64 userId, qint64 id);

    Database &m_db;
};

} // namespace confab
