#include "messageview.h"

#include "chat/messagelistmodel.h"
#include "common/types.h"
#include "markdown/markdownrenderer.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTextCursor>
#include <QTextDocument>

#include <utility>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// At most one re-layout of changed messages per frame, however fast the deltas come.
constexpr int FrameMs = 16;

} // namespace

MessageView::MessageView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new MessageDelegate(this))
{
    m_delegate->setObjectName(u"m_delegate"_s);
    setItemDelegate(m_delegate);
    setVerticalScrollMode(ScrollPerPixel);
    setHorizontalScrollMode(ScrollPerPixel);
    setUniformItemSizes(false);
    setResizeMode(Adjust);
    setLayoutMode(SinglePass);
    setSelectionMode(NoSelection);
    setEditTriggers(NoEditTriggers);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // A scroll bar that comes and goes would change the width, and with it every height.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setFrameShape(QFrame::NoFrame);
    setMouseTracking(true);
    setWordWrap(true);
    setContextMenuPolicy(Qt::DefaultContextMenu);
    verticalScrollBar()->setSingleStep(fontMetrics().height() * 2);

    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &MessageView::flushPendingChanges);
    m_sinceFlush.start();

    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &MessageView::onRangeChanged);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageView::onScrolled);
}

MessageView::~MessageView() = default;

void MessageView::setModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    QListView::setModel(model);
    m_model = qobject_cast<MessageListModel *>(model);
    m_pending.clear();
    m_delegate->setSelection({});
    m_followBottom = true;
    if (!m_model)
        return;
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this,
            &MessageView::onRowsAboutToBeInserted);
    connect(m_model, &MessageListModel::pageLoaded, this,
            [this] { QTimer::singleShot(0, this, &MessageView::maybeFetchOlder); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_delegate->setSelection({});
        m_followBottom = true;
    });
}

void MessageView::setBusy(bool busy)
{
    if (m_delegate->isBusy() == busy)
        return;
    m_delegate->setBusy(busy);
    viewport()->update();
}

QStyleOptionViewItem MessageView::optionFor(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    return option;
}

void MessageView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                              const QList<int> &roles)
{
    Q_UNUSED(roles)
    // Not QListView's: it repaints at once with the old height. The change is applied once
    // per frame instead, re-laying out only the changed messages.
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
        const QModelIndex index = model()->index(row, 0);
        const auto id = qint64(index.internalId());
        // QListView asks the delegate for heights afresh but keeps positions from its last
        // layout: the height it laid out is the one from before the first change.
        if (!m_pending.contains(id))
            m_pending.insert(id, m_delegate->cachedHeight(id).value_or(-1));
        m_delegate->invalidate(id);
    }
    scheduleFlush();
}

void MessageView::scheduleFlush()
{
    if (m_flushTimer.isActive())
        return;
    const qint64 elapsed = m_sinceFlush.elapsed();
    m_flushTimer.start(elapsed >= FrameMs ? 0 : int(FrameMs - elapsed));
}

void MessageView::flushPendingChanges()
{
    m_flushTimer.stop();
    m_sinceFlush.restart();
    const QHash<qint64, int> pending = std::exchange(m_pending, {});
    if (!m_model)
        return;
    bool heightChanged = false;
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        const int row = m_model->rowOf(it.key());
        if (row < 0)
            continue;
        const QModelIndex index = m_model->index(row);
        const QStyleOptionViewItem option = optionFor(index);
        const int height = m_delegate->sizeHint(option, index).height();
        if (height != it.value())
            heightChanged = true;
        else
            viewport()->update(option.rect);
    }
    if (heightChanged) {
        // The rows below move; QListView re-reads the (cached) heights of the others.
        scheduleDelayedItemsLayout();
        executeDelayedItemsLayout();
        viewport()->update();
    }
}

void MessageView::rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end)
{
    for (int row = start; row <= end; ++row) {
        const auto id = qint64(model()->index(row, 0, parent).internalId());
        if (m_delegate->selection().messageId == id)
            m_delegate->setSelection({});
        if (m_delegate->hoveredMessage() == id)
            m_delegate->setHoveredMessage(0);
        m_delegate->forget(id);
        m_pending.remove(id);
    }
    QListView::rowsAboutToBeRemoved(parent, start, end);
}

void MessageView::onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last)
{
    Q_UNUSED(parent)
    Q_UNUSED(last)
    // Older messages arrive above what the user reads: keep the distance from the bottom.
    if (first == 0 && m_model && m_model->rowCount() > 0 && !m_followBottom) {
        const QScrollBar *bar = verticalScrollBar();
        m_keepFromBottom = bar->maximum() - bar->value();
    }
}

void MessageView::onRangeChanged(int min, int max)
{
    Q_UNUSED(min)
    m_adjustingScroll = true;
    if (m_keepFromBottom >= 0) {
        verticalScrollBar()->setValue(max - m_keepFromBottom);
        m_keepFromBottom = -1;
    } else if (m_followBottom) {
        verticalScrollBar()->setValue(max);
    }
    m_adjustingScroll = false;
}

void MessageView::onScrolled(int value)
{
    if (m_adjustingScroll)
        return;
    const QScrollBar *bar = verticalScrollBar();
    // A few pixels of slack: a fractional layout must not unstick the view.
    m_followBottom = value >= bar->maximum() - 4;
    maybeFetchOlder();
}

void MessageView::maybeFetchOlder()
{
    if (!m_model || !m_model->canFetchOlder())
        return;
    // The scroll range must be the laid out one, not the one from before the last page.
    executeDelayedItemsLayout();
    // Before the user reaches the top, so the next page is usually there in time.
    if (verticalScrollBar()->value() <= std::max(viewport()->height() / 2, 1))
        m_model->fetchOlder();
}

void MessageView::hideEvent(QHideEvent *event)
{
    // A hidden tab keeps its heights but not its rendered documents, so memory does not grow
    // with every tab left open; showing it again renders only the rows in sight.
    m_delegate->releaseDocuments();
    QListView::hideEvent(event);
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    QListView::resizeEvent(event);
    const int width = viewport()->width();
    if (width != m_lastWidth) {
        m_lastWidth = width;
        // Heights depend on the width; the rendered documents do not.
        m_delegate->clearLayouts();
        scheduleDelayedItemsLayout();
    }
}

void MessageView::changeEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::FontChange:
    case QEvent::PaletteChange:
    case QEvent::StyleChange:
    case QEvent::LanguageChange:
        m_delegate->clearAll();
        scheduleDelayedItemsLayout();
        break;
    default:
        break;
    }
    QListView::changeEvent(event);
}

bool MessageView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::Leave) {
        setHovered(0);
        viewport()->unsetCursor();
    }
    return QListView::viewportEvent(event);
}

void MessageView::setHovered(qint64 messageId)
{
    const qint64 previous = m_delegate->hoveredMessage();
    if (previous == messageId)
        return;
    m_delegate->setHoveredMessage(messageId);
    updateMessage(previous);
    updateMessage(messageId);
}

void MessageView::updateMessage(qint64 messageId)
{
    if (!m_model || messageId == 0)
        return;
    if (const int row = m_model->rowOf(messageId); row >= 0)
        viewport()->update(visualRect(m_model->index(row)));
}

void MessageView::updateCursorShape(const MessageDelegate::Hit &hit)
{
    if (hit.action != MessageDelegate::Action::None || MarkdownRenderer::copyLinkIndex(hit.anchor)
        || MarkdownRenderer::isAllowedLink(hit.anchor))
        viewport()->setCursor(Qt::PointingHandCursor);
    else if (hit.part != MessageDelegate::Part::None)
        viewport()->setCursor(Qt::IBeamCursor);
    else
        viewport()->unsetCursor();
}

void MessageView::mousePressEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const QModelIndex index = indexAt(pos);
    setFocus(Qt::MouseFocusReason);
    if (index.isValid() && selectionModel())
        selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    if (event->button() != Qt::LeftButton) {
        event->accept();
        return;
    }
    m_pressIndex = index;
    m_pressPos = pos;
    m_dragging = false;
    m_pressHit = index.isValid() ? m_delegate->hitTest(optionFor(index), index, pos)
                                 : MessageDelegate::Hit{};
    const qint64 previous = m_delegate->selection().messageId;
    MessageDelegate::Selection selection;
    if (m_pressHit.part != MessageDelegate::Part::None
        && m_pressHit.action == MessageDelegate::Action::None) {
        selection.messageId = m_pressHit.messageId;
        selection.part = m_pressHit.part;
        selection.anchor = selection.position = m_pressHit.cursorPosition;
    }
    m_delegate->setSelection(selection);
    updateMessage(previous);
    event->accept();
}

void MessageView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (!(event->buttons() & Qt::LeftButton)) {
        const QModelIndex index = indexAt(pos);
        setHovered(index.isValid() ? qint64(index.internalId()) : 0);
        updateCursorShape(index.isValid() ? m_delegate->hitTest(optionFor(index), index, pos)
                                          : MessageDelegate::Hit{});
        event->accept();
        return;
    }
    if (!m_pressIndex.isValid() || m_pressHit.part == MessageDelegate::Part::None)
        return;
    if (!m_dragging && (pos - m_pressPos).manhattanLength() < QApplication::startDragDistance())
        return;
    m_dragging = true;
    MessageDelegate::Selection selection = m_delegate->selection();
    const int position
        = m_delegate->cursorPositionAt(optionFor(m_pressIndex), m_pressIndex, m_pressHit.part, pos);
    if (position >= 0 && selection.messageId == m_pressHit.messageId) {
        selection.position = position;
        m_delegate->setSelection(selection);
        updateMessage(selection.messageId);
    }
    event->accept();
}

void MessageView::mouseReleaseEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->button() != Qt::LeftButton || !m_pressIndex.isValid()) {
        event->accept();
        return;
    }
    if (m_dragging) {
        publishSelection();
    } else {
        // A click: on what was pressed, if it is still under the pointer.
        const QModelIndex index = indexAt(pos);
        if (index == m_pressIndex) {
            const MessageDelegate::Hit hit = m_delegate->hitTest(optionFor(index), index, pos);
            if (hit.action != MessageDelegate::Action::None && hit.action == m_pressHit.action)
                triggerAction(hit.action, hit.messageId);
            else if (!hit.anchor.isEmpty() && hit.anchor == m_pressHit.anchor)
                activateLink(hit.anchor, hit.messageId);
        }
    }
    m_pressIndex = QPersistentModelIndex();
    m_dragging = false;
    event->accept();
}

void MessageView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const QModelIndex index = indexAt(pos);
    if (event->button() != Qt::LeftButton || !index.isValid())
        return;
    const QStyleOptionViewItem option = optionFor(index);
    const MessageDelegate::Hit hit = m_delegate->hitTest(option, index, pos);
    QTextDocument *document = m_delegate->document(option, index, hit.part);
    if (!document || hit.cursorPosition < 0 || hit.action != MessageDelegate::Action::None)
        return;
    QTextCursor cursor(document);
    cursor.setPosition(hit.cursorPosition);
    cursor.select(QTextCursor::WordUnderCursor);
    m_delegate->setSelection({hit.messageId, hit.part, cursor.anchor(), cursor.position()});
    updateMessage(hit.messageId);
    publishSelection();
    // The press that follows a double click must not start a new selection.
    m_pressIndex = QPersistentModelIndex();
    event->accept();
}

void MessageView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copy();
        event->accept();
        return;
    }
    QListView::keyPressEvent(event);
}

void MessageView::contextMenuEvent(QContextMenuEvent *event)
{
    QModelIndex index;
    QPoint pos = event->pos();
    if (event->reason() == QContextMenuEvent::Keyboard) {
        index = currentIndex();
        pos = visualRect(index).center();
    } else {
        index = indexAt(pos);
    }
    if (!index.isValid())
        return;
    std::unique_ptr<QMenu> menu(createContextMenu(index, pos));
    menu->exec(event->globalPos());
}

QMenu *MessageView::createContextMenu(const QModelIndex &index, QPoint pos)
{
    auto *menu = new QMenu(this);
    menu->setObjectName(u"m_contextMenu"_s);
    const auto id = qint64(index.internalId());
    const QStyleOptionViewItem option = optionFor(index);
    const MessageDelegate::Hit hit = m_delegate->hitTest(option, index, pos);

    auto add = [menu](const QString &name, const QString &text, auto slot) {
        QAction *action = menu->addAction(text);
        action->setObjectName(name);
        connect(action, &QAction::triggered, menu, slot);
        return action;
    };
    if (m_delegate->selection().messageId == id && !m_delegate->selection().isEmpty()) {
        QAction *copySelection
            = add(u"copySelectionAction"_s, tr("Copy selection"), [this] { copy(); });
        copySelection->setShortcut(QKeySequence::Copy);
    }
    add(u"copyMessageAction"_s, tr("Copy message"), [this, id] { copyMessage(id); });
    if (MarkdownRenderer::isAllowedLink(hit.anchor)) {
        const QString href = hit.anchor;
        add(u"openLinkAction"_s, tr("Open link"), [this, href, id] { activateLink(href, id); });
        add(u"copyLinkAction"_s, tr("Copy link address"),
            [href] { QApplication::clipboard()->setText(href); });
    } else if (MarkdownRenderer::copyLinkIndex(hit.anchor)) {
        const QString href = hit.anchor;
        add(u"copyCodeAction"_s, tr("Copy code"), [this, href, id] { activateLink(href, id); });
    }

    const QList<MessageDelegate::Action> actions = m_delegate->actionsFor(index);
    const bool incompleteLast = index.data(MessageListModel::IsLastRole).toBool()
        && MessageState(index.data(MessageListModel::StateRole).toInt()) == MessageState::Incomplete
        && !m_delegate->isBusy();
    if (actions.contains(MessageDelegate::Action::Edit)
        || actions.contains(MessageDelegate::Action::Regenerate) || incompleteLast)
        menu->addSeparator();
    if (actions.contains(MessageDelegate::Action::Edit))
        add(u"editAction"_s, tr("Edit and resend…"),
            [this, id] { triggerAction(MessageDelegate::Action::Edit, id); });
    if (actions.contains(MessageDelegate::Action::Regenerate))
        add(u"regenerateAction"_s, tr("Regenerate"),
            [this, id] { triggerAction(MessageDelegate::Action::Regenerate, id); });
    if (incompleteLast)
        add(u"retryAction"_s, tr("Retry"),
            [this, id] { triggerAction(MessageDelegate::Action::Retry, id); });
    if (actions.contains(MessageDelegate::Action::Delete)) {
        menu->addSeparator();
        add(u"deleteAction"_s, tr("Delete message"),
            [this, id] { triggerAction(MessageDelegate::Action::Delete, id); });
    }
    return menu;
}

void MessageView::triggerAction(MessageDelegate::Action action, qint64 messageId)
{
    if (!m_model)
        return;
    const Message *message = m_model->messageById(messageId);
    if (!message)
        return;
    switch (action) {
    case MessageDelegate::Action::Copy:
        copyMessage(messageId);
        break;
    case MessageDelegate::Action::Edit:
        if (message->role == Role::User)
            emit editRequested(messageId, message->content);
        break;
    case MessageDelegate::Action::Regenerate:
    case MessageDelegate::Action::Retry:
        emit regenerateRequested();
        break;
    case MessageDelegate::Action::Delete:
        emit deleteRequested(messageId);
        break;
    case MessageDelegate::Action::ToggleReasoning:
        m_delegate->setReasoningExpanded(messageId, !m_delegate->isReasoningExpanded(messageId));
        scheduleDelayedItemsLayout();
        break;
    case MessageDelegate::Action::None:
        break;
    }
}

QString MessageView::selectedText() const
{
    const MessageDelegate::Selection &selection = m_delegate->selection();
    if (selection.isEmpty() || !m_model)
        return {};
    const int row = m_model->rowOf(selection.messageId);
    if (row < 0)
        return {};
    const QModelIndex index = m_model->index(row);
    return m_delegate->selectedText(optionFor(index), index);
}

void MessageView::clearTextSelection()
{
    const qint64 id = m_delegate->selection().messageId;
    m_delegate->setSelection({});
    updateMessage(id);
}

void MessageView::publishSelection()
{
    QClipboard *clipboard = QApplication::clipboard();
    if (clipboard->supportsSelection()) {
        if (const QString text = selectedText(); !text.isEmpty())
            clipboard->setText(text, QClipboard::Selection);
    }
}

void MessageView::copy()
{
    if (const QString text = selectedText(); !text.isEmpty()) {
        QApplication::clipboard()->setText(text);
        return;
    }
    if (const QModelIndex index = currentIndex(); index.isValid())
        copyMessage(qint64(index.internalId()));
}

void MessageView::copyMessage(qint64 messageId)
{
    if (!m_model)
        return;
    if (const Message *message = m_model->messageById(messageId))
        QApplication::clipboard()->setText(message->content);
}

bool MessageView::activateLink(const QString &href, qint64 messageId)
{
    if (const std::optional<int> block = MarkdownRenderer::copyLinkIndex(href)) {
        if (!m_model)
            return false;
        const int row = m_model->rowOf(messageId);
        if (row < 0)
            return false;
        const QModelIndex index = m_model->index(row);
        const QString code = m_delegate->codeBlock(optionFor(index), index, *block);
        if (code.isNull())
            return false;
        QApplication::clipboard()->setText(code);
        return true;
    }
    // The document only holds links the renderer allowed; checked again all the same, since
    // a click must never open file:, javascript: or anything else.
    if (!MarkdownRenderer::isAllowedLink(href))
        return false;
    const QUrl url(href, QUrl::StrictMode);
    if (!url.isValid())
        return false;
    emit linkActivated(url);
    return true;
}

} // namespace confab
