#include "conversationstore.h"

#include "common/logging.h"
#include "database.h"
#include "searchbacklog.h"
#include "searchpattern.h"

#include <QJsonDocument>

#include <limits>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

const QString selectColumns
    = u"SELECT c.id, c.user_id, c.title, c.preset_id, c.params, c.context_messages, c.archived, "
      "c.created_at, c.updated_at, "
      "(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) "
      "FROM conversations c "_s;

QString paramsToText(const ChatParams &params)
{
    return QString::fromUtf8(QJsonDocument(params.toJson()).toJson(QJsonDocument::Compact));
}

ChatParams paramsFromText(const QString &text, qint64 conversationId)
{
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    auto params = ChatParams::fromJson(document.object());
    if (!params) {
        // Written by this code, so only a hand-edited file gets here; the conversation stays
        // usable with the defaults.
        qCWarning(lcDb) << "ignoring unreadable params of conversation" << conversationId << ":"
                        << params.error().message;
        return {};
    }
    return *params;
}

Conversation conversationFromRow(const QSqlQuery &row)
{
    Conversation conversation;
    conversation.id = row.value(0).toLongLong();
    conversation.userId = row.value(1).toLongLong();
    conversation.title = row.value(2).toString();
    conversation.presetId = row.value(3).toString();
    conversation.params = paramsFromText(row.value(4).toString(), conversation.id);
    conversation.contextMessages = row.value(5).toInt();
    conversation.archived = row.value(6).toBool();
    conversation.createdAt = Database::fromStoredTime(row.value(7));
    conversation.updatedAt = Database::fromStoredTime(row.value(8));
    conversation.messageCount = row.value(9).toInt();
    return conversation;
}

// The cursor is the last item's sort key, (updated_at, id), opaque to clients.
QString encodeCursor(const Conversation &last)
{
    const QByteArray key = QByteArray::number(Database::toStoredTime(last.updatedAt)) + '.'
        + QByteArray::number(last.id);
    return QString::fromLatin1(
        key.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<std::pair<qint64, qint64>> decodeCursor(const QString &cursor)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QList<QByteArray> parts = decoded.decoded.split('.');
    if (parts.size() != 2)
        return std::nullopt;
    bool timeOk = false;
    bool idOk = false;
    const qint64 time = parts[0].toLongLong(&timeOk);
    const qint64 id = parts[1].toLongLong(&idOk);
    if (!timeOk || !idOk)
        return std::nullopt;
    return std::pair{time, id};
}

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

Error notFound()
{
    return Error{ErrorCode::NotFound, u"no such conversation"_s};
}

Result<void> validate(const Conversation &conversation)
{
    if (conversation.title.size() > 1000)
        return Error{ErrorCode::InvalidInput, u"a title has at most 1000 characters"_s};
    if (conversation.contextMessages < 0)
        return Error{ErrorCode::InvalidInput, u"context_messages cannot be negative"_s};
    return {};
}

} // namespace

ConversationStore::ConversationStore(Database &db)
    : m_db(db)
{}

Result<Conversation> ConversationStore::create(qint64 userId, const Conversation &conversation)
{
    if (auto valid = validate(conversation); !valid)
        return valid.error();
    const qint64 now = Database::toStoredTime(m_db.now());
    auto inserted = m_db.exec(
        u"INSERT INTO conversations (user_id, title, preset_id, params, context_messages, "
        "archived, created_at, updated_at) VALUES (?, coalesce(?, ''), ?, ?, ?, ?, ?, ?)"_s,
        {userId, conversation.title, nullableText(conversation.presetId),
         paramsToText(conversation.params), conversation.contextMessages,
         conversation.archived ? 1 : 0, now, now},
        u"create the conversation"_s);
    if (!inserted) {
        // The only constraint a valid conversation can break is its owner's foreign key.
        if (inserted.error().code == ErrorCode::Conflict)
            return Error{ErrorCode::NotFound, u"no such user"_s};
        return inserted.error();
    }
    return get(userId, inserted->lastInsertId().toLongLong());
}

Result<Conversation> ConversationStore::get(qint64 userId, qint64 id)
{
    auto query = m_db.exec(selectColumns + u"WHERE c.id = ? AND c.user_id = ?"_s, {id, userId},
                           u"read the conversation"_s);
    if (!query)
        return query.error();
    if (!query->next())
        return notFound();
    return conversationFromRow(*query);
}

Result<Page<Conversation>> ConversationStore::list(qint64 userId, const ConversationQuery &request)
{
    const int limit = qBound(1, request.limit, 200);
    qint64 afterTime = std::numeric_limits<qint64>::max();
    qint64 afterId = std::numeric_limits<qint64>::max();
    if (!request.cursor.isEmpty()) {
        const auto key = decodeCursor(request.cursor);
        if (!key)
            return Error{ErrorCode::InvalidInput, u"invalid cursor"_s};
        std::tie(afterTime, afterId) = *key;
    }

    QString sql = selectColumns
        + u"WHERE c.user_id = ? AND c.archived = ? AND (c.updated_at, c.id) < (?, ?) "_s;
    QVariantList values{userId, request.archived ? 1 : 0, afterTime, afterId};
    const SearchPattern pattern(request.search);
    if (!pattern.isEmpty()) {
        sql += u"AND (c.title LIKE ? ESCAPE '\\' OR "_s;
        values << pattern.likePattern();
        if (pattern.usesIndex()) {
            // The index, and a scan of the messages still waiting in the search backlog.
            sql += u"c.id IN (SELECT m.conversation_id FROM messages_fts f "
                   "JOIN messages m ON m.id = f.rowid "
                   "WHERE messages_fts MATCH ? AND m.content LIKE ? ESCAPE '\\') "
                   "OR c.id IN (SELECT m.conversation_id FROM messages m WHERE "_s
                + searchbacklog::pendingCondition
                + u" AND m.state <> 'streaming' AND m.content LIKE ? ESCAPE '\\')) "_s;
            values << pattern.ftsQuery() << pattern.likePattern() << pattern.likePattern();
        } else {
            sql += u"EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id "
                   "AND m.state <> 'streaming' AND m.content LIKE ? ESCAPE '\\')) "_s;
            values << pattern.likePattern();
        }
    }
    // One extra row tells whether there is a next page.
    sql += u"ORDER BY c.updated_at DESC, c.id DESC LIMIT ?"_s;
    values << limit + 1;

    auto query = m_db.exec(sql, values, u"list conversations"_s);
    if (!query)
        return query.error();
    Page<Conversation> page;
    while (query->next())
        page.items.append(conversationFromRow(*query));
    if (page.items.size() > limit) {
        page.items.removeLast();
        page.nextCursor = encodeCursor(page.items.constLast());
    }
    return page;
}

Result<Conversation> ConversationStore::update(qint64 userId, const Conversation &conversation)
{
    if (auto valid = validate(conversation); !valid)
        return valid.error();
    auto updated = m_db.exec(u"UPDATE conversations SET title = coalesce(?, ''), preset_id = ?, "
                             u"params = ?, context_messages = ?, "
                             "archived = ? WHERE id = ? AND user_id = ?"_s,
                             {conversation.title, nullableText(conversation.presetId),
                              paramsToText(conversation.params), conversation.contextMessages,
                              conversation.archived ? 1 : 0, conversation.id, userId},
                             u"update the conversation"_s);
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 0)
        return notFound();
    return get(userId, conversation.id);
}

Result<void> ConversationStore::touch(qint64 userId, qint64 id)
{
    auto touched
        = m_db.exec(u"UPDATE conversations SET updated_at = ? WHERE id = ? AND user_id = ?"_s,
                    {Database::toStoredTime(m_db.now()), id, userId}, u"update the conversation"_s);
    if (!touched)
        return touched.error();
    if (touched->numRowsAffected() == 0)
        return notFound();
    return {};
}

Result<void> ConversationStore::remove(qint64 userId, qint64 id)
{
    auto removed = m_db.exec(u"DELETE FROM conversations WHERE id = ? AND user_id = ?"_s,
                             {id, userId}, u"delete the conversation"_s);
    if (!removed)
        return removed.error();
    if (removed->numRowsAffected() == 0)
        return notFound();
    return {};
}

} // namespace confab
