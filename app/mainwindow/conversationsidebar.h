#pragma once

#include <QHash>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QTimer;

namespace confab {

class ChatService;
class ConversationListModel;

// The list of conversations beside the tabs: search as you type (titles and message text),
// the archived filter, and rename / archive / delete from a context menu. A deletion can be
// undone for a few seconds before it reaches the store.
class ConversationSidebar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConversationSidebar)

public:
    explicit ConversationSidebar(ChatService &service, QWidget *parent = nullptr);
    ~ConversationSidebar() override;

    ConversationListModel *model() const { return m_model; }
    void selectConversation(qint64 id);
    void focusSearch();
    // Starts the undo window for deleting conversation id.
    void deleteWithUndo(qint64 id);
    void renameConversation(qint64 id);
    void setArchived(qint64 id, bool archived);
    // Carries out deletions still waiting for their undo window (before quitting).
    void commitPendingDeletions();

signals:
    void conversationActivated(qint64 id);
    void exportRequested(qint64 id);
    void conversationDeleted(qint64 id);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void showContextMenu(const QPoint &position);
    void undoDeletion();
    void commitDeletion(qint64 id);

    ChatService &m_service;
    ConversationListModel *m_model;
    QLineEdit *m_searchEdit;
    QCheckBox *m_archivedCheck;
    QListView *m_conversationList;
    QWidget *m_undoBar;
    QLabel *m_undoLabel;
    QPushButton *m_undoButton;
    QTimer *m_searchTimer;
    QHash<qint64, QTimer *> m_pendingDeletions;
    qint64 m_lastDeleted = 0;
};

} // namespace confab
