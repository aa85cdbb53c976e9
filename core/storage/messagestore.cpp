#include "messagestore.h"

#include "database.h"
#include "importwriter.h"
#include "messagerows.h"
#include "searchbacklog.h"
#include "searchpattern.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Ownership goes through the conversation; EXISTS keeps it one primary-key lookup.
const QString ownedByUser
    = u"EXISTS (SELECT 1 FROM conversations c WHERE c.id = messages.conversation_id "
      "AND c.user_id = ?)"_s;

Error messageNotFound()
{
    return Error{ErrorCode::NotFound, u"no such message"_s};
}

Error conversationNotFound()
{
    return Error{ErrorCode::NotFound, u"no such conversation"_s};
}

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

} // namespace

QJsonObject SearchHit::toJson() const
{
    return {{u"conversation_id"_s, QString::number(conversationId)},
            {u"message_id"_s, QString::number(messageId)},
            {u"conversation_title"_s, conversationTitle},
            {u"snippet"_s, snippet},
            {u"created_at"_s, toIsoUtc(createdAt)}};
}

MessageStore::MessageStore(Database &db)
    : m_db(db)
{}

Result<void> MessageStore::checkConversation(qint64 userId, qint64 conversationId)
{
    auto query = m_db.exec(u"SELECT 1 FROM conversations WHERE id = ? AND user_id = ?"_s,
                           {conversationId, userId}, u"read the conversation"_s);
    if (!query)
        return query.error();
    if (!query->next())
        return conversationNotFound();
    return {};
}

Error MessageStore::notUpdated(qint64 userId, qint64 id)
{
    auto existing = get(userId, id);
    if (!existing)
        return existing.error();
    return Error{ErrorCode::Conflict, u"the message is not being streamed"_s};
}

Result<Message> MessageStore::append(qint64 userId, const Message &message)
{
    const qint64 now = Database::toStoredTime(m_db.now());
    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    // Bumping the conversation first also proves the user owns it.
    auto bumped
        = m_db.exec(u"UPDATE conversations SET updated_at = ? WHERE id = ? AND user_id = ?"_s,
                    {now, message.conversationId, userId}, u"save the message"_s);
    if (!bumped)
        return bumped.error();
    if (bumped->numRowsAffected() == 0)
        return conversationNotFound();

    auto insert = m_db.statement(messagerows::insertSql, u"save the message"_s);
    if (!insert)
        return insert.error();
    messagerows::bindInsert(*insert, message, message.conversationId, now);
    if (auto inserted = m_db.execPrepared(*insert, u"save the message"_s); !inserted)
        return inserted.error();
    Message saved = message;
    saved.id = insert->lastInsertId().toLongLong();
    saved.createdAt = Database::fromStoredTime(now);
    insert->finish();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return saved;
}

Result<Message> MessageStore::get(qint64 userId, qint64 id)
{
    auto query
        = m_db.exec(u"SELECT "_s + messagerows::columns
                        + u" FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                          "WHERE m.id = ? AND c.user_id = ?"_s,
                    {id, userId}, u"read the message"_s);
    if (!query)
        return query.error();
    if (!query->next())
        return messageNotFound();
    return messagerows::messageFromRow(*query);
}

Result<Page<Message>> MessageStore::list(qint64 userId, qint64 conversationId,
                                         const MessageQuery &request)
{
    const int limit = qBound(1, request.limit, 500);
    qint64 before = std::numeric_limits<qint64>::max();
    if (!request.before.isEmpty()) {
        bool ok = false;
        before = request.before.toLongLong(&ok);
        if (!ok || before <= 0)
            return Error{ErrorCode::InvalidInput, u"invalid cursor"_s};
    }
    if (auto owned = checkConversation(userId, conversationId); !owned)
        return owned.error();
    auto query = m_db.exec(u"SELECT "_s + messagerows::columns
                               + u" FROM messages m WHERE m.conversation_id = ? AND m.id < ? "
                                 "ORDER BY m.id DESC LIMIT ?"_s,
                           {conversationId, before, limit + 1}, u"read the messages"_s);
    if (!query)
        return query.error();
    Page<Message> page;
    while (query->next())
        page.items.append(messagerows::messageFromRow(*query));
    if (page.items.size() > limit) {
        page.items.removeLast();
        page.nextCursor = QString::number(page.items.constLast().id);
    }
    std::reverse(page.items.begin(), page.items.end());
    return page;
}

Result<QList<Message>> MessageStore::all(qint64 userId, qint64 conversationId)
{
    if (auto owned = checkConversation(userId, conversationId); !owned)
        return owned.error();
    auto query = m_db.exec(u"SELECT "_s + messagerows::columns
                               + u" FROM messages m WHERE m.conversation_id = ? ORDER BY m.id"_s,
                           {conversationId}, u"read the messages"_s);
    if (!query)
        return query.error();
    QList<Message> messages;
    while (query->next())
        messages.append(messagerows::messageFromRow(*query));
    return messages;
}

Result<QList<Message>> MessageStore::lastMessages(qint64 userId, qint64 conversationId, int n,
                                                  qint64 sinceMessageId)
{
    if (auto owned = checkConversation(userId, conversationId); !owned)
        return owned.error();
    QList<Message> messages;
    if (n <= 0)
        return messages;
    auto query = m_db.exec(u"SELECT "_s + messagerows::columns
                               + u" FROM messages m WHERE m.conversation_id = ? AND m.id >= ? "
                                 "ORDER BY m.id DESC LIMIT ?"_s,
                           {conversationId, sinceMessageId, n}, u"read the messages"_s);
    if (!query)
        return query.error();
    while (query->next())
        messages.append(messagerows::messageFromRow(*query));
    std::reverse(messages.begin(), messages.end());
    return messages;
}

Result<void> MessageStore::updateStreaming(qint64 userId, qint64 id, const QString &content,
                                           const QString &reasoning)
{
    // finish() writes the final text durably; this one is superseded within a second.
    RelaxedDurability relaxed(m_db);
    auto updated
        = m_db.exec(u"UPDATE messages SET content = coalesce(?, ''), reasoning = coalesce(?, '') "
                    "WHERE id = ? AND state = 'streaming' AND "_s
                        + ownedByUser,
                    {content, reasoning, id, userId}, u"save the answer so far"_s);
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 0)
        return notUpdated(userId, id);
    return {};
}

Result<Message> MessageStore::finish(qint64 userId, qint64 id, MessageState state,
                                     const QString &finishReason, const QString &errorMessage,
                                     std::optional<Usage> usage, const QString &content,
                                     const QString &reasoning)
{
    if (state == MessageState::Streaming)
        return Error{ErrorCode::InvalidInput, u"a finished message cannot be streaming"_s};
    const QVariant nullNumber(QMetaType::fromType<qint64>());
    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    auto updated = m_db.exec(
        u"UPDATE messages SET state = ?, finish_reason = ?, error_message = ?, prompt_tokens = ?, "
        "completion_tokens = ?, total_tokens = ?, content = coalesce(?, ''), "
        "reasoning = coalesce(?, '') "
        "WHERE id = ? AND state = 'streaming' AND "_s
            + ownedByUser,
        {messageStateName(state), nullableText(finishReason), nullableText(errorMessage),
         usage ? QVariant(usage->promptTokens) : nullNumber,
         usage ? QVariant(usage->completionTokens) : nullNumber,
         usage ? QVariant(usage->totalTokens) : nullNumber, content, reasoning, id, userId},
        u"save the answer"_s);
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 0)
        return notUpdated(userId, id);
    auto bumped = m_db.exec(u"UPDATE conversations SET updated_at = ? WHERE id = "
                            "(SELECT conversation_id FROM messages WHERE id = ?)"_s,
                            {Database::toStoredTime(m_db.now()), id}, u"save the answer"_s);
    if (!bumped)
        return bumped.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return get(userId, id);
}

Result<void> MessageStore::updateContent(qint64 userId, qint64 id, const QString &content)
{
    auto updated = m_db.exec(u"UPDATE messages SET content = coalesce(?, '') WHERE id = ? AND "_s
                                 + ownedByUser,
                             {content, id, userId}, u"edit the message"_s);
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 0)
        return messageNotFound();
    return {};
}

Result<void> MessageStore::remove(qint64 userId, qint64 id)
{
    auto removed = m_db.exec(u"DELETE FROM messages WHERE id = ? AND "_s + ownedByUser,
                             {id, userId}, u"delete the message"_s);
    if (!removed)
        return removed.error();
    if (removed->numRowsAffected() == 0)
        return messageNotFound();
    return {};
}

Result<int> MessageStore::removeFrom(qint64 userId, qint64 conversationId, qint64 messageId)
{
    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    auto found = m_db.exec(u"SELECT 1 FROM messages WHERE id = ? AND conversation_id = ? AND "_s
                               + ownedByUser,
                           {messageId, conversationId, userId}, u"delete the messages"_s);
    if (!found)
        return found.error();
    if (!found->next())
        return messageNotFound();
    found->finish();
    auto removed = m_db.exec(u"DELETE FROM messages WHERE conversation_id = ? AND id >= ?"_s,
                             {conversationId, messageId}, u"delete the messages"_s);
    if (!removed)
        return removed.error();
    const int count = removed->numRowsAffected();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return count;
}

Result<QList<SearchHit>> MessageStore::search(qint64 userId, const QString &text, int limit)
{
    QList<SearchHit> hits;
    const SearchPattern pattern(text);
    if (pattern.isEmpty())
        return hits;
    limit = qBound(1, limit, 200);

    const auto run = [&]() -> Result<Statement> {
        const QString columns = u"m.id, m.conversation_id, c.title, m.content, m.created_at "_s;
        if (!pattern.usesIndex()) {
            // Short texts scan every message, indexed or not.
            return m_db.exec(u"SELECT "_s + columns
                                 + u"FROM messages m JOIN conversations c "
                                   "ON c.id = m.conversation_id "
                                   "WHERE c.user_id = ? AND m.state <> 'streaming' "
                                   "AND m.content LIKE ? ESCAPE '\\' ORDER BY m.id DESC LIMIT ?"_s,
                             {userId, pattern.likePattern(), limit}, u"search the messages"_s);
        }
        // FTS5 walks its candidates newest first (ORDER BY rowid DESC); LIKE keeps the real
        // matches, and the walk stops at the limit.
        const QString indexed = u"SELECT "_s + columns
            + u"FROM messages_fts f JOIN messages m ON m.id = f.rowid "
              "JOIN conversations c ON c.id = m.conversation_id "
              "WHERE messages_fts MATCH ? AND m.content LIKE ? ESCAPE '\\' "
              "AND c.user_id = ? ORDER BY f.rowid DESC LIMIT ?"_s;
        const QVariantList indexedValues{pattern.ftsQuery(), pattern.likePattern(), userId, limit};

        // Without a backlog (nearly always) the index answers alone. An import that another
        // connection commits right after this look is missed, as by a search a moment earlier.
        auto waiting = m_db.exec(u"SELECT EXISTS (SELECT 1 FROM search_backlog)"_s, {},
                                 u"search the messages"_s);
        if (!waiting)
            return waiting.error();
        const bool backlog = waiting->next() && waiting->value(0).toBool();
        waiting->finish();
        if (!backlog)
            return m_db.exec(indexed, indexedValues, u"search the messages"_s);

        // Messages in the index and messages in the backlog are disjoint, and one statement
        // reads both from one snapshot: a message the indexer moves meanwhile is found once.
        // Each part walks newest first and stops at the limit; CROSS JOIN keeps the backlog's
        // walk on the messages' rowid.
        const QString waitingOnes = u"SELECT "_s + columns
            + u"FROM messages m CROSS JOIN conversations c ON c.id = m.conversation_id WHERE "_s
            + searchbacklog::pendingCondition
            + u" AND m.state <> 'streaming' AND m.content LIKE ? ESCAPE '\\' "
              "AND c.user_id = ? ORDER BY m.id DESC LIMIT ?"_s;
        return m_db.exec(u"SELECT * FROM ("_s + indexed + u") UNION ALL SELECT * FROM ("_s
                             + waitingOnes + u") ORDER BY 1 DESC LIMIT ?"_s,
                         indexedValues + QVariantList{pattern.likePattern(), userId, limit, limit},
                         u"search the messages"_s);
    };
    auto query = run();
    if (!query)
        return query.error();
    while (query->next()) {
        SearchHit hit;
        hit.messageId = query->value(0).toLongLong();
        hit.conversationId = query->value(1).toLongLong();
        hit.conversationTitle = query->value(2).toString();
        hit.snippet = pattern.snippet(query->value(3).toString());
        hit.createdAt = Database::fromStoredTime(query->value(4));
        hits.append(hit);
    }
    return hits;
}

Result<Conversation> MessageStore::importConversation(qint64 userId,
                                                      const Conversation &conversation,
                                                      const QList<Message> &messages)
{
    ImportWriter writer(m_db);
    if (auto begun = writer.begin(); !begun)
        return begun.error();
    auto added = writer.add(userId, conversation, messages);
    if (!added)
        return added.error();
    if (auto committed = writer.commit(); !committed)
        return committed.error();
    return added;
}

} // namespace confab
