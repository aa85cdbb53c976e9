#pragma once

#include "common/types.h"

#include <QSqlQuery>

#include <memory>

// Writes many conversations in one transaction (an import of a ChatGPT export): statements
// prepared once, and the search index left to SearchIndexer: the commit records the new
// messages in the search backlog instead of indexing them (searches scan the backlog).

namespace confab {

class Database;
class Transaction;

class ImportWriter final
{
public:
    explicit ImportWriter(Database &db);
    // Rolls back everything not committed.
    ~ImportWriter();
    Q_DISABLE_COPY_MOVE(ImportWriter)

    Result<void> begin();
    // Adds one conversation and its messages, in order. Times set on the conversation and
    // the messages (the export's own) are kept; missing ones are derived or now. Messages
    // cannot be imported as 'streaming': such a state becomes 'incomplete'.
    Result<Conversation> add(qint64 userId, const Conversation &conversation,
                             const QList<Message> &messages);
    // Commits the rows, the new messages marked as waiting for the search index (a
    // SearchIndexer indexes them). After a failed add() nothing is committed: the import is
    // all or nothing.
    Result<void> commit();

    int conversationCount() const { return m_conversations; }
    qint64 messageCount() const { return m_messages; }

private:
    void reset();
    Result<Conversation> addRows(qint64 userId, const Conversation &conversation,
                                 const QList<Message> &messages);

    Database &m_db;
    std::unique_ptr<Transaction> m_transaction;
    QSqlQuery m_insertConversation;
    QSqlQuery m_insertMessage;
    // The first id of the backlog range this import holds open; -1 when an enclosing import
    // on the connection holds it.
    qint64 m_backlogFrom = -1;
    int m_conversations = 0;
    qint64 m_messages = 0;
    bool m_failed = false;
};

} // namespace confab
