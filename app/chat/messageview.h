#pragma once

#include "chat/messagedelegate.h"

#include <QElapsedTimer>
#include <QHash>
#include <QListView>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QMenu;

namespace confab {

class MessageListModel;

// The messages of one conversation: a QListView drawn by MessageDelegate (not a widget per
// message). It follows the bottom while an answer streams only if the user was at the bottom,
// keeps its place when older pages arrive at the top, lets the user select and copy text, and
// turns clicks on links and message actions into signals. It opens nothing itself: allowed
// links (http, https, mailto) come out of linkActivated(); everything else is ignored.
class MessageView final : public QListView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageView)

public:
    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    // The view works with a MessageListModel only.
    void setModel(QAbstractItemModel *model) override;
    MessageListModel *messageModel() const { return m_model; }
    MessageDelegate *messageDelegate() const { return m_delegate; }

    // Whether new text scrolls the view (the user is at the bottom).
    bool isFollowingBottom() const { return m_followBottom; }
    // While the conversation streams, messages offer no actions that change it.
    void setBusy(bool busy);

    // Applies the queued content changes now instead of at the next frame (tests, benchmarks).
    void flushPendingChanges();

    // The selected text, or empty.
    QString selectedText() const;
    void clearTextSelection();
    // Copies the selection, or else the current message, to the clipboard.
    void copy();
    void copyMessage(qint64 messageId);
    // What a click on an href in a message does: copy a code block, announce an allowed
    // link, or nothing. Returns whether it did something.
    bool activateLink(const QString &href, qint64 messageId);
    // Runs an action of a message as its link or menu entry does.
    void triggerAction(MessageDelegate::Action action, qint64 messageId);
    // The context menu of the message at pos (viewport coordinates); the caller owns it.
    QMenu *createContextMenu(const QModelIndex &index, QPoint pos);

    QStyleOptionViewItem optionFor(const QModelIndex &index) const;

signals:
    void linkActivated(const QUrl &url);
    void editRequested(qint64 messageId, const QString &content);
    // Regenerate the last answer (also Retry of an incomplete one).
    void regenerateRequested();
    void deleteRequested(qint64 messageId);

protected:
    void dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                     const QList<int> &roles = QList<int>()) override;
    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override;
    void hideEvent(QHideEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void scheduleFlush();
    void onRangeChanged(int min, int max);
    void onScrolled(int value);
    void maybeFetchOlder();
    void onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void setHovered(qint64 messageId);
    void updateMessage(qint64 messageId);
    void updateCursorShape(const MessageDelegate::Hit &hit);
    void publishSelection();

    MessageDelegate *m_delegate = nullptr;
    QPointer<MessageListModel> m_model;
    // Messages changed since the last frame, with the height the list laid them out at
    // (-1: unknown).
    QHash<qint64, int> m_pending;
    QTimer m_flushTimer;
    QElapsedTimer m_sinceFlush;
    bool m_followBottom = true;
    bool m_adjustingScroll = false;
    // Set while older rows arrive at the top: the distance from the bottom to keep.
    int m_keepFromBottom = -1;
    int m_lastWidth = -1;

    // A press on text starts a selection; one without movement is a click.
    QPersistentModelIndex m_pressIndex;
    MessageDelegate::Hit m_pressHit;
    QPoint m_pressPos;
    bool m_dragging = false;
};

} // namespace confab
