#include "messagelistmodel.h"

#include "chat/chatservice.h"
#include "common/logging.h"
#include "storage/messagestore.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab {

MessageListModel::MessageListModel(ChatService &service, qint64 conversationId, QObject *parent,
                                   int pageSize)
    : QAbstractListModel(parent)
    , m_service(service)
    , m_conversationId(conversationId)
    , m_pageSize(pageSize)
{
    connect(&service, &ChatService::messageAdded, this, &MessageListModel::onMessageAdded);
    connect(&service, &ChatService::messageDelta, this, &MessageListModel::onMessageDelta);
    connect(&service, &ChatService::messageUpdated, this, &MessageListModel::onMessageUpdated);
    connect(&service, &ChatService::messagesRemoved, this, &MessageListModel::onMessagesRemoved);
    connect(&service, &ChatService::conversationsReset, this, &MessageListModel::reload);
    requestPage({}, false);
}

MessageListModel::~MessageListModel() = default;

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QModelIndex MessageListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, quintptr(m_rows.at(row).message.id));
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const Message &message = row.message;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
    case ContentRole:
        return message.content;
    case IdRole:
        return message.id;
    case RoleRole:
        return int(message.role);
    case ReasoningRole:
        return message.reasoning;
    case StateRole:
        return int(message.state);
    case FinishReasonRole:
        return message.finishReason;
    case ErrorMessageRole:
        return message.errorMessage;
    case CreatedAtRole:
        return message.createdAt;
    case RevisionRole:
        return row.revision;
    case IsLastRole:
        return index.row() == m_rows.size() - 1;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "id");
    names.insert(RoleRole, "role");
    names.insert(ContentRole, "content");
    names.insert(ReasoningRole, "reasoning");
    names.insert(StateRole, "state");
    names.insert(FinishReasonRole, "finishReason");
    names.insert(ErrorMessageRole, "errorMessage");
    names.insert(CreatedAtRole, "createdAt");
    names.insert(RevisionRole, "revision");
    names.insert(IsLastRole, "isLast");
    return names;
}

bool MessageListModel::canFetchOlder() const
{
    return m_loaded && !m_loading && !m_olderCursor.isEmpty();
}

void MessageListModel::fetchOlder()
{
    if (canFetchOlder())
        requestPage(m_olderCursor, true);
}

const Message *MessageListModel::messageAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return nullptr;
    return &m_rows.at(row).message;
}

const Message *MessageListModel::messageById(qint64 id) const
{
    return messageAt(rowOf(id));
}

void MessageListModel::reload()
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    m_olderCursor.clear();
    m_loaded = false;
    endResetModel();
    requestPage({}, false);
}

void MessageListModel::requestPage(const QString &before, bool older)
{
    m_loading = true;
    MessageQuery query;
    query.before = before;
    query.limit = m_pageSize;
    const quint64 generation = m_generation;
    m_service.messages(m_conversationId, query, this,
                       [this, older, generation](Result<Page<Message>> page) {
                           if (generation != m_generation)
                               return;
                           m_loading = false;
                           if (!page) {
                               qCWarning(lcGui) << "could not load messages of conversation"
                                                << m_conversationId << page.error().toString();
                               emit loadFailed(page.error().message);
                               return;
                           }
                           applyPage(*page, older);
                       });
}

void MessageListModel::applyPage(const Page<Message> &page, bool older)
{
    m_olderCursor = page.nextCursor;
    const bool first = !m_loaded;
    m_loaded = true;

    // Messages announced by signals while the page was on its way may be in it too.
    QList<Row> fresh;
    fresh.reserve(page.items.size());
    for (const Message &message : page.items) {
        if (message.conversationId == m_conversationId && !m_rowById.contains(message.id))
            fresh.append(Row{message, ++m_revisionCounter});
    }
    const int count = int(fresh.size());
    if (count > 0) {
        const bool allOlder
            = m_rows.isEmpty() || std::all_of(fresh.cbegin(), fresh.cend(), [this](const Row &row) {
                  return row.message.id < m_rows.constFirst().message.id;
              });
        if (allOlder) {
            beginInsertRows({}, 0, count - 1);
            fresh.append(std::move(m_rows));
            m_rows = std::move(fresh);
            rebuildIndex();
            endInsertRows();
        } else {
            // Interleaved (a remote service answered late): merge by id, which is creation order.
            beginResetModel();
            m_rows.append(std::move(fresh));
            std::sort(m_rows.begin(), m_rows.end(),
                      [](const Row &a, const Row &b) { return a.message.id < b.message.id; });
            rebuildIndex();
            endResetModel();
        }
    }
    emit pageLoaded(!first && older, count);
}

void MessageListModel::onMessageAdded(const Message &message)
{
    if (message.conversationId != m_conversationId)
        return;
    if (const int row = rowOf(message.id); row >= 0) {
        m_rows[row].message = message;
        rowChanged(row, {});
        return;
    }
    int row = int(m_rows.size());
    if (!m_rows.isEmpty() && message.id < m_rows.constLast().message.id) {
        // Older than what is loaded: the page that holds it will bring it.
        if (message.id < m_rows.constFirst().message.id)
            return;
        row = int(std::lower_bound(m_rows.cbegin(), m_rows.cend(), message.id,
                                   [](const Row &r, qint64 id) { return r.message.id < id; })
                  - m_rows.cbegin());
    }
    const bool appended = row == m_rows.size();
    beginInsertRows({}, row, row);
    m_rows.insert(row, Row{message, ++m_revisionCounter});
    rebuildIndex(row);
    endInsertRows();
    if (appended && row > 0)
        rowChanged(row - 1, {IsLastRole});
}

void MessageListModel::onMessageDelta(qint64 conversationId, qint64 messageId,
                                      const QString &content, const QString &reasoning)
{
    if (conversationId != m_conversationId)
        return;
    const auto found = m_rowById.constFind(messageId);
    if (found == m_rowById.cend())
        return;
    const int row = found.value();
    Row &target = m_rows[row];
    target.message.content += content;
    target.message.reasoning += reasoning;
    QList<int> roles{Qt::DisplayRole, Qt::AccessibleTextRole};
    if (!content.isEmpty())
        roles.append(ContentRole);
    if (!reasoning.isEmpty())
        roles.append(ReasoningRole);
    rowChanged(row, roles);
}

void MessageListModel::onMessageUpdated(const Message &message)
{
    if (message.conversationId != m_conversationId)
        return;
    const int row = rowOf(message.id);
    if (row < 0) {
        // An answer whose start we missed (the tab opened while it streamed) is still ours.
        if (m_loaded && (m_rows.isEmpty() || message.id > m_rows.constLast().message.id))
            onMessageAdded(message);
        return;
    }
    m_rows[row].message = message;
    rowChanged(row, {});
}

void MessageListModel::onMessagesRemoved(qint64 conversationId, const QList<qint64> &messageIds)
{
    if (conversationId != m_conversationId)
        return;
    QList<int> rows;
    for (qint64 id : messageIds) {
        if (const int row = rowOf(id); row >= 0)
            rows.append(row);
    }
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    const bool lastRemoved = rows.constLast() == m_rows.size() - 1;
    // Contiguous runs, removed from the end so earlier row numbers stay valid.
    int end = int(rows.size()) - 1;
    while (end >= 0) {
        int start = end;
        while (start > 0 && rows.at(start - 1) == rows.at(start) - 1)
            --start;
        const int first = rows.at(start);
        const int last = rows.at(end);
        beginRemoveRows({}, first, last);
        for (int row = first; row <= last; ++row)
            m_rowById.remove(m_rows.at(row).message.id);
        m_rows.remove(first, last - first + 1);
        rebuildIndex(first);
        endRemoveRows();
        end = start - 1;
    }
    if (lastRemoved && !m_rows.isEmpty())
        rowChanged(int(m_rows.size()) - 1, {IsLastRole});
}

void MessageListModel::rebuildIndex(int fromRow)
{
    if (fromRow == 0)
        m_rowById.clear();
    for (int row = fromRow; row < m_rows.size(); ++row)
        m_rowById.insert(m_rows.at(row).message.id, row);
}

void MessageListModel::rowChanged(int row, const QList<int> &roles)
{
    // Even a change of IsLastRole alone changes what the row shows (Regenerate, Retry).
    m_rows[row].revision = ++m_revisionCounter;
    QList<int> changedRoles = roles;
    if (!changedRoles.isEmpty() && !changedRoles.contains(RevisionRole))
        changedRoles.append(RevisionRole);
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, changedRoles);
}

} // namespace confab
