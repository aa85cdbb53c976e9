#pragma once

#include "common/types.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>

namespace confab {

class ChatService;

// The messages of one conversation, oldest first, as a list model: the newest page first,
// older pages on request, and every change the ChatService announces for this conversation
// applied in place. A streamed delta touches one row, found by id in constant time.
class MessageListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageListModel)

public:
    enum DataRole {
        IdRole = Qt::UserRole + 1,
        RoleRole, // confab::Role as int
        ContentRole,
        ReasoningRole,
        StateRole, // confab::MessageState as int
        FinishReasonRole,
        ErrorMessageRole,
        CreatedAtRole,
        // Changes with every change of the row, so caches can tell a stale entry from a fresh one.
        RevisionRole,
        // Whether this is the conversation's last message (regenerate applies to it).
        IsLastRole,
    };

    static constexpr int DefaultPageSize = 50;

    // Loads the newest page at once; older pages come with fetchOlder().
    MessageListModel(ChatService &service, qint64 conversationId, QObject *parent = nullptr,
                     int pageSize = DefaultPageSize);
    ~MessageListModel() override;

    qint64 conversationId() const { return m_conversationId; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    // The index carries the message id, so a delegate reads it without a data() call.
    QModelIndex index(int row, int column = 0, const QModelIndex &parent = {}) const override;

    // Qt's views call fetchMore() when the *last* row shows, which in a chat is always: older
    // pages would all load at once. MessageView asks for them when scrolled to the top.
    bool canFetchOlder() const;
    void fetchOlder();
    bool isLoading() const { return m_loading; }
    // Whether the first page has arrived.
    bool isLoaded() const { return m_loaded; }
    int pageSize() const { return m_pageSize; }

    const Message *messageAt(int row) const;
    const Message *messageById(qint64 id) const;
    int rowOf(qint64 messageId) const { return m_rowById.value(messageId, -1); }
    // Reloads the newest page (after the service said many things changed).
    void reload();

signals:
    // A page arrived: the first one (older == false) or an older one, of `count` new rows.
    void pageLoaded(bool older, int count);
    void loadFailed(const QString &message);

private:
    struct Row
    {
        Message message;
        quint32 revision = 0;
    };

    void requestPage(const QString &before, bool older);
    void applyPage(const Page<Message> &page, bool older);
    void onMessageAdded(const Message &message);
    void onMessageDelta(qint64 conversationId, qint64 messageId, const QString &content,
                        const QString &reasoning);
    void onMessageUpdated(const Message &message);
    void onMessagesRemoved(qint64 conversationId, const QList<qint64> &messageIds);
    void rebuildIndex(int fromRow = 0);
    void rowChanged(int row, const QList<int> &roles);

    ChatService &m_service;
    qint64 m_conversationId = 0;
    QList<Row> m_rows;
    QHash<qint64, int> m_rowById;
    QString m_olderCursor;
    int m_pageSize = DefaultPageSize;
    bool m_loading = false;
    bool m_loaded = false;
    // Revisions come from one counter, so no two states of any row share one, even across reloads.
    quint32 m_revisionCounter = 0;
    // A reload makes pages requested before it stale.
    quint64 m_generation = 0;
};

} // namespace confab
