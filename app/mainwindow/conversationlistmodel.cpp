#include "conversationlistmodel.h"

#include "chat/chatservice.h"
#include "storage/conversationstore.h"

#include <algorithm>

namespace confab {

ConversationListModel::ConversationListModel(ChatService &service, QObject *parent)
    : QAbstractListModel(parent)
    , m_service(service)
{
    connect(&service, &ChatService::conversationAdded, this, &ConversationListModel::upsert);
    connect(&service, &ChatService::conversationChanged, this, &ConversationListModel::upsert);
    connect(&service, &ChatService::conversationRemoved, this, &ConversationListModel::remove);
    connect(&service, &ChatService::conversationsReset, this, &ConversationListModel::reload);
    // A new message moves its conversation to the top.
    connect(&service, &ChatService::messageAdded, this, [this](const Message &message) {
        const QModelIndex index = indexOf(message.conversationId);
        if (!index.isValid())
            return;
        Conversation conversation = m_rows.at(index.row());
        conversation.updatedAt
            = message.createdAt.isValid() ? message.createdAt : QDateTime::currentDateTimeUtc();
        ++conversation.messageCount;
        upsert(conversation);
    });
}

void ConversationListModel::setFilter(const QString &search, bool archived)
{
    if (search == m_search && archived == m_archived)
        return;
    m_search = search;
    m_archived = archived;
    reload();
}

void ConversationListModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_nextCursor.clear();
    endResetModel();
    ++m_generation;
    m_loading = false;
    load({});
}

void ConversationListModel::load(const QString &cursor)
{
    ConversationQuery query;
    query.archived = m_archived;
    query.search = m_search.trimmed();
    query.cursor = cursor;
    query.limit = 100;
    m_loading = true;
    m_service.listConversations(
        query, this, [this, generation = m_generation](Result<Page<Conversation>> page) {
            if (generation != m_generation)
                return;
            m_loading = false;
            if (!page)
                return emit loadFailed(page.error());
            m_nextCursor = page->nextCursor;
            const QList<Conversation> rows = visible(page->items);
            if (rows.isEmpty())
                return;
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
            m_rows.append(rows);
            endInsertRows();
        });
}

QList<Conversation> ConversationListModel::visible(const QList<Conversation> &conversations) const
{
    QList<Conversation> rows;
    for (const Conversation &conversation : conversations) {
        if (!m_hidden.contains(conversation.id) && !indexOf(conversation.id).isValid())
            rows.append(conversation);
    }
    return rows;
}

void ConversationListModel::setHidden(qint64 id, bool hidden)
{
    if (hidden) {
        m_hidden.insert(id);
        remove(id);
        return;
    }
    m_hidden.remove(id);
    m_service.conversation(id, this, [this](Result<Conversation> conversation) {
        if (conversation)
            upsert(*conversation);
    });
}

std::optional<Conversation> ConversationListModel::conversation(qint64 id) const
{
    const QModelIndex index = indexOf(id);
    return index.isValid() ? std::optional(m_rows.at(index.row())) : std::nullopt;
}

QModelIndex ConversationListModel::indexOf(qint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == id)
            return index(row);
    }
    return {};
}

bool ConversationListModel::matchesFilter(const Conversation &conversation) const
{
    if (conversation.archived != m_archived || m_hidden.contains(conversation.id))
        return false;
    // A search result set comes from the store; a changed conversation stays in it only if
    // its title still matches (message text matches are found again on the next search).
    return m_search.trimmed().isEmpty()
        || conversation.title.contains(m_search.trimmed(), Qt::CaseInsensitive)
        || indexOf(conversation.id).isValid();
}

void ConversationListModel::upsert(const Conversation &conversation)
{
    const QModelIndex existing = indexOf(conversation.id);
    if (!matchesFilter(conversation)) {
        if (existing.isValid())
            remove(conversation.id);
        return;
    }
    // Keep the store's order: most recently updated first.
    const auto newer = [&conversation](const Conversation &row) {
        return row.updatedAt > conversation.updatedAt
            || (row.updatedAt == conversation.updatedAt && row.id > conversation.id);
    };
    if (existing.isValid()) {
        const int from = existing.row();
        m_rows[from] = conversation;
        int to = int(std::count_if(m_rows.cbegin(), m_rows.cend(), newer));
        if (to != from && beginMoveRows({}, from, from, {}, to > from ? to + 1 : to)) {
            m_rows.move(from, to);
            endMoveRows();
        }
        const QModelIndex moved = index(to);
        emit dataChanged(moved, moved);
        return;
    }
    const int row = int(std::count_if(m_rows.cbegin(), m_rows.cend(), newer));
    beginInsertRows({}, row, row);
    m_rows.insert(row, conversation);
    endInsertRows();
}

void ConversationListModel::remove(qint64 id)
{
    const QModelIndex index = indexOf(id);
    if (!index.isValid())
        return;
    beginRemoveRows({}, index.row(), index.row());
    m_rows.removeAt(index.row());
    endRemoveRows();
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Conversation &conversation = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return conversation.title.isEmpty() ? tr("New chat") : conversation.title;
    case Qt::ToolTipRole:
        return conversation.title;
    case IdRole:
        return conversation.id;
    case ArchivedRole:
        return conversation.archived;
    case UpdatedRole:
        return conversation.updatedAt;
    default:
        return {};
    }
}

bool ConversationListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_loading && !m_nextCursor.isEmpty();
}

void ConversationListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        load(m_nextCursor);
}

} // namespace confab
