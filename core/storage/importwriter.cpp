#include "importwriter.h"

#include "database.h"
#include "messagerows.h"
#include "searchbacklog.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

const QString what = u"import the conversations"_s;

} // namespace

ImportWriter::ImportWriter(Database &db)
    : m_db(db)
{}

ImportWriter::~ImportWriter()
{
    reset();
}

void ImportWriter::reset()
{
    // Statements first: SQLite cannot roll back under a statement that is still running.
    m_insertConversation = QSqlQuery();
    m_insertMessage = QSqlQuery();
    m_transaction.reset();
}

Result<void> ImportWriter::begin()
{
    if (m_transaction)
        return Error{ErrorCode::Internal, u"the import has begun already"_s};
    auto transaction = std::make_unique<Transaction>(m_db);
    if (!transaction->ok())
        return transaction->error();

    // An enclosing import on this connection holds the open range already and closes it.
    auto open = m_db.exec(u"SELECT 1 FROM search_backlog WHERE last_id = ?"_s,
                          {searchbacklog::openEnd}, what);
    if (!open)
        return open.error();
    const bool enclosingImport = open->next();
    open->finish();
    if (!enclosingImport) {
        // sqlite_sequence, not max(id): AUTOINCREMENT never reuses the ids of deleted messages,
        // and an older range may still cover them.
        auto start = m_db.exec(
            u"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0), "
            "coalesce((SELECT max(id) FROM messages), 0)) + 1"_s,
            {}, what);
        if (!start)
            return start.error();
        m_backlogFrom = start->next() ? start->value(0).toLongLong() : 1;
        start->finish();
        if (auto opened
            = m_db.exec(u"INSERT INTO search_backlog (first_id, last_id) VALUES (?, ?)"_s,
                        {m_backlogFrom, searchbacklog::openEnd}, what);
            !opened)
            return opened.error();
    }

    auto conversation = m_db.prepare(
        u"INSERT INTO conversations (user_id, title, preset_id, params, context_messages, "
        "archived, created_at, updated_at) VALUES (?, coalesce(?, ''), ?, ?, ?, ?, ?, ?)"_s,
        what);
    if (!conversation)
        return conversation.error();
    auto message = m_db.prepare(messagerows::insertSql, what);
    if (!message)
        return message.error();
    m_insertConversation = std::move(*conversation);
    m_insertMessage = std::move(*message);
    m_transaction = std::move(transaction);
    return {};
}

Result<Conversation> ImportWriter::add(qint64 userId, const Conversation &conversation,
                                       const QList<Message> &messages)
{
    if (!m_transaction)
        return Error{ErrorCode::Internal, u"add before begin"_s};
    auto result = addRows(userId, conversation, messages);
    if (!result)
        m_failed = true;
    return result;
}

Result<Conversation> ImportWriter::addRows(qint64 userId, const Conversation &conversation,
                                           const QList<Message> &messages)
{

    const QDateTime now = m_db.now();
    Conversation saved = conversation;
    saved.userId = userId;
    if (!saved.createdAt.isValid())
        saved.createdAt = messages.isEmpty() || !messages.constFirst().createdAt.isValid()
            ? now
            : messages.constFirst().createdAt;
    if (!saved.updatedAt.isValid())
        saved.updatedAt = messages.isEmpty() || !messages.constLast().createdAt.isValid()
            ? saved.createdAt
            : messages.constLast().createdAt;
    saved.messageCount = int(messages.size());

    m_insertConversation.bindValue(0, userId);
    m_insertConversation.bindValue(1, saved.title);
    m_insertConversation.bindValue(2,
                                   saved.presetId.isEmpty()
                                       ? QVariant(QMetaType::fromType<QString>())
                                       : QVariant(saved.presetId));
    m_insertConversation.bindValue(
        3, QString::fromUtf8(QJsonDocument(saved.params.toJson()).toJson(QJsonDocument::Compact)));
    m_insertConversation.bindValue(4, saved.contextMessages);
    m_insertConversation.bindValue(5, saved.archived ? 1 : 0);
    m_insertConversation.bindValue(6, Database::toStoredTime(saved.createdAt));
    m_insertConversation.bindValue(7, Database::toStoredTime(saved.updatedAt));
    if (auto inserted = m_db.execPrepared(m_insertConversation, what); !inserted) {
        if (inserted.error().code == ErrorCode::Conflict)
            return Error{ErrorCode::NotFound, u"no such user"_s};
        return inserted.error();
    }
    saved.id = m_insertConversation.lastInsertId().toLongLong();
    m_insertConversation.finish();

    for (const Message &message : messages) {
        Message row = message;
        if (row.state == MessageState::Streaming)
            row.state = MessageState::Incomplete;
        const QDateTime createdAt = row.createdAt.isValid() ? row.createdAt : saved.createdAt;
        messagerows::bindInsert(m_insertMessage, row, saved.id, Database::toStoredTime(createdAt));
        if (auto inserted = m_db.execPrepared(m_insertMessage, what); !inserted)
            return inserted.error();
        m_insertMessage.finish();
    }
    ++m_conversations;
    m_messages += messages.size();
    return saved;
}

Result<void> ImportWriter::commit()
{
    if (!m_transaction)
        return Error{ErrorCode::Internal, u"commit before begin"_s};
    if (m_failed) {
        reset();
        return Error{ErrorCode::Internal, u"an import that failed cannot be committed"_s};
    }
    if (m_backlogFrom >= 0) {
        // Close the range at the last id written inside this transaction: later messages are
        // indexed as they come, by the triggers.
        auto last = m_db.exec(
            u"SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0)"_s, {},
            what);
        if (!last)
            return last.error();
        const qint64 lastId = last->next() ? last->value(0).toLongLong() : 0;
        last->finish();
        auto closed = lastId >= m_backlogFrom
            ? m_db.exec(u"UPDATE search_backlog SET last_id = ? WHERE first_id = ?"_s,
                        {lastId, m_backlogFrom}, what)
            : m_db.exec(u"DELETE FROM search_backlog WHERE first_id = ?"_s, {m_backlogFrom}, what);
        if (!closed)
            return closed.error();
    }
    m_insertConversation = QSqlQuery();
    m_insertMessage = QSqlQuery();
    auto committed = m_transaction->commit();
    m_transaction.reset();
    return committed;
}

} // namespace confab
