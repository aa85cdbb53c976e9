#pragma once

#include "common/types.h"

#include <QAbstractListModel>
#include <QSet>

namespace confab {

class ChatService;

// The sidebar's list of conversations, newest activity first: loaded page by page from the
// ChatService with a search text and the archived filter, and kept in step with the
// service's signals. Conversations pending deletion (undo window) are hidden.
class ConversationListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConversationListModel)

public:
    enum Roles { IdRole = Qt::UserRole + 1, ArchivedRole, UpdatedRole };

    explicit ConversationListModel(ChatService &service, QObject *parent = nullptr);

    // Reloads from the first page.
    void setFilter(const QString &search, bool archived);
    QString search() const { return m_search; }
    bool archived() const { return m_archived; }
    void reload();

    void setHidden(qint64 id, bool hidden);
    std::optional<Conversation> conversation(qint64 id) const;
    QModelIndex indexOf(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loadFailed(const confab::Error &error);

private:
    void load(const QString &cursor);
    void upsert(const Conversation &conversation);
    void remove(qint64 id);
    bool matchesFilter(const Conversation &conversation) const;
    QList<Conversation> visible(const QList<Conversation> &conversations) const;

    ChatService &m_service;
    QList<Conversation> m_rows;
    QSet<qint64> m_hidden;
    QString m_search;
    bool m_archived = false;
    QString m_nextCursor;
    bool m_loading = false;
    quint64 m_generation = 0; // answers to an older filter are dropped
};

} // namespace confab
