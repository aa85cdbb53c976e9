#include "messagerows.h"

#include "database.h"

using namespace Qt::StringLiterals;

namespace confab::messagerows {

const QString columns
    = u"m.id, m.conversation_id, m.role, m.content, m.reasoning, m.state, m.finish_reason, "
      "m.error_message, m.prompt_tokens, m.completion_tokens, m.total_tokens, m.created_at"_s;

const QString insertSql
    = u"INSERT INTO messages (conversation_id, role, content, reasoning, state, finish_reason, "
      "error_message, prompt_tokens, completion_tokens, total_tokens, created_at) "
      "VALUES (?, ?, coalesce(?, ''), coalesce(?, ''), ?, ?, ?, ?, ?, ?, ?)"_s;

Message messageFromRow(const QSqlQuery &row)
{
    Message message;
    message.id = row.value(0).toLongLong();
    message.conversationId = row.value(1).toLongLong();
    message.role = roleFromName(row.value(2).toString()).value_or(Role::User);
    message.content = row.value(3).toString();
    message.reasoning = row.value(4).toString();
    message.state
        = messageStateFromName(row.value(5).toString()).value_or(MessageState::Incomplete);
    message.finishReason = row.value(6).toString();
    message.errorMessage = row.value(7).toString();
    if (!row.value(8).isNull()) {
        message.usage = Usage{row.value(8).toLongLong(), row.value(9).toLongLong(),
                              row.value(10).toLongLong()};
    }
    message.createdAt = Database::fromStoredTime(row.value(11));
    return message;
}

void bindInsert(QSqlQuery &query, const Message &message, qint64 conversationId, qint64 createdAtMs)
{
    const QVariant nullText(QMetaType::fromType<QString>());
    const QVariant nullNumber(QMetaType::fromType<qint64>());
    query.bindValue(0, conversationId);
    query.bindValue(1, roleName(message.role));
    query.bindValue(2, message.content);
    query.bindValue(3, message.reasoning);
    query.bindValue(4, messageStateName(message.state));
    query.bindValue(5, message.finishReason.isEmpty() ? nullText : QVariant(message.finishReason));
    query.bindValue(6, message.errorMessage.isEmpty() ? nullText : QVariant(message.errorMessage));
    query.bindValue(7, message.usage ? QVariant(message.usage->promptTokens) : nullNumber);
    query.bindValue(8, message.usage ? QVariant(message.usage->completionTokens) : nullNumber);
    query.bindValue(9, message.usage ? QVariant(message.usage->totalTokens) : nullNumber);
    query.bindValue(10, createdAtMs);
}

} // namespace confab::messagerows
