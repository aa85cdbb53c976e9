#include "conversationsidebar.h"

#include "chat/chatservice.h"
#include "conversationlistmodel.h"

#include <QApplication>
#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr int UndoMilliseconds = 8000;
constexpr int SearchDelayMilliseconds = 200;

// Roomier rows than the style's own, without a style sheet: a widget with one keeps the palette
// it was polished with, so the list would miss a change of theme.
class PaddedItemDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        return QStyledItemDelegate::sizeHint(option, index)
            + QSize(2 * HorizontalPadding, 2 * VerticalPadding);
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        // The selection spans the whole row; only the text keeps clear of its edges.
        QStyleOptionViewItem row = option;
        initStyleOption(&row, index);
        QStyle *style = option.widget ? option.widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &row, painter, option.widget);
        QStyleOptionViewItem text = option;
        text.rect.adjust(HorizontalPadding, 0, -HorizontalPadding, 0);
        QStyledItemDelegate::paint(painter, text, index);
    }

private:
    static constexpr int HorizontalPadding = 4;
    static constexpr int VerticalPadding = 5;
};

} // namespace

ConversationSidebar::ConversationSidebar(ChatService &service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_model(new ConversationListModel(service, this))
    , m_searchEdit(new QLineEdit(this))
    , m_archivedCheck(new QCheckBox(this))
    , m_conversationList(new QListView(this))
    , m_undoBar(new QWidget(this))
    , m_undoLabel(new QLabel(m_undoBar))
    , m_undoButton(new QPushButton(m_undoBar))
    , m_searchTimer(new QTimer(this))
{
    m_searchEdit->setObjectName(u"m_searchEdit"_s);
    m_archivedCheck->setObjectName(u"m_archivedCheck"_s);
    m_conversationList->setObjectName(u"m_conversationList"_s);
    m_undoBar->setObjectName(u"m_undoBar"_s);
    m_undoLabel->setObjectName(u"m_undoLabel"_s);
    m_undoButton->setObjectName(u"m_undoButton"_s);

    m_searchEdit->setClearButtonEnabled(true);
    m_conversationList->setModel(m_model);
    m_conversationList->setUniformItemSizes(true);
    m_conversationList->setContextMenuPolicy(Qt::CustomContextMenu);
    m_conversationList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_conversationList->setTextElideMode(Qt::ElideRight);
    m_conversationList->setItemDelegate(new PaddedItemDelegate(m_conversationList));

    auto *undoLayout = new QHBoxLayout(m_undoBar);
    undoLayout->setContentsMargins(6, 4, 6, 4);
    undoLayout->addWidget(m_undoLabel, 1);
    undoLayout->addWidget(m_undoButton);
    m_undoBar->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 0, 6);
    layout->setSpacing(6);
    layout->addWidget(m_searchEdit);
    layout->addWidget(m_conversationList, 1);
    layout->addWidget(m_undoBar);
    layout->addWidget(m_archivedCheck);

    // Search as you type, without a query per keystroke.
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(SearchDelayMilliseconds);
    connect(m_searchEdit, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_searchTimer, &QTimer::timeout, this,
            [this] { m_model->setFilter(m_searchEdit->text(), m_archivedCheck->isChecked()); });
    connect(m_archivedCheck, &QCheckBox::toggled, this,
            [this](bool archived) { m_model->setFilter(m_searchEdit->text(), archived); });
    connect(m_conversationList, &QListView::activated, this, [this](const QModelIndex &index) {
        emit conversationActivated(index.data(ConversationListModel::IdRole).toLongLong());
    });
    connect(m_conversationList, &QListView::clicked, this, [this](const QModelIndex &index) {
        emit conversationActivated(index.data(ConversationListModel::IdRole).toLongLong());
    });
    connect(m_conversationList, &QListView::customContextMenuRequested, this,
            &ConversationSidebar::showContextMenu);
    connect(m_undoButton, &QPushButton::clicked, this, &ConversationSidebar::undoDeletion);

    retranslate();
    m_model->reload();
}

ConversationSidebar::~ConversationSidebar()
{
    commitPendingDeletions();
}

void ConversationSidebar::retranslate()
{
    m_searchEdit->setPlaceholderText(tr("Search conversations"));
    m_archivedCheck->setText(tr("Show archived"));
    m_undoButton->setText(tr("Undo"));
    m_undoLabel->setText(tr("Conversation deleted."));
}

void ConversationSidebar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ConversationSidebar::selectConversation(qint64 id)
{
    const QModelIndex index = m_model->indexOf(id);
    if (index.isValid())
        m_conversationList->setCurrentIndex(index);
    else
        m_conversationList->clearSelection();
}

void ConversationSidebar::focusSearch()
{
    m_searchEdit->setFocus(Qt::ShortcutFocusReason);
    m_searchEdit->selectAll();
}

void ConversationSidebar::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_conversationList->indexAt(position);
    if (!index.isValid())
        return;
    const qint64 id = index.data(ConversationListModel::IdRole).toLongLong();
    const bool archived = index.data(ConversationListModel::ArchivedRole).toBool();

    QMenu menu(this);
    menu.addAction(tr("Open"), this, [this, id] { emit conversationActivated(id); });
    menu.addAction(tr("Rename…"), this, [this, id] { renameConversation(id); });
    menu.addAction(archived ? tr("Unarchive") : tr("Archive"), this,
                   [this, id, archived] { setArchived(id, !archived); });
    menu.addAction(tr("Export…"), this, [this, id] { emit exportRequested(id); });
    menu.addSeparator();
    menu.addAction(tr("Delete"), this, [this, id] { deleteWithUndo(id); });
    menu.exec(m_conversationList->viewport()->mapToGlobal(position));
}

void ConversationSidebar::renameConversation(qint64 id)
{
    const auto conversation = m_model->conversation(id);
    if (!conversation)
        return;
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Rename conversation"), tr("Title:"),
                                                QLineEdit::Normal, conversation->title, &ok)
                              .trimmed();
    if (!ok || title.isEmpty() || title == conversation->title)
        return;
    Conversation renamed = *conversation;
    renamed.title = title.left(200);
    m_service.updateConversation(renamed, this, {});
}

void ConversationSidebar::setArchived(qint64 id, bool archived)
{
    m_service.conversation(id, this, [this, archived](Result<Conversation> conversation) {
        if (!conversation)
            return;
        conversation->archived = archived;
        m_service.updateConversation(*conversation, this, {});
    });
}

void ConversationSidebar::deleteWithUndo(qint64 id)
{
    if (m_pendingDeletions.contains(id))
        return;
    m_model->setHidden(id, true);
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setInterval(UndoMilliseconds);
    connect(timer, &QTimer::timeout, this, [this, id] { commitDeletion(id); });
    timer->start();
    m_pendingDeletions.insert(id, timer);
    m_lastDeleted = id;
    m_undoBar->show();
    emit conversationDeleted(id);
}

void ConversationSidebar::undoDeletion()
{
    QTimer *timer = m_pendingDeletions.take(m_lastDeleted);
    if (!timer)
        return;
    delete timer;
    m_model->setHidden(m_lastDeleted, false);
    m_lastDeleted = 0;
    m_undoBar->setVisible(!m_pendingDeletions.isEmpty());
}

void ConversationSidebar::commitDeletion(qint64 id)
{
    if (QTimer *timer = m_pendingDeletions.take(id))
        timer->deleteLater();
    m_service.deleteConversation(id, this, {});
    if (m_lastDeleted == id)
        m_lastDeleted = 0;
    m_undoBar->setVisible(!m_pendingDeletions.isEmpty() && m_lastDeleted != 0);
}

void ConversationSidebar::commitPendingDeletions()
{
    const QList<qint64> ids = m_pendingDeletions.keys();
    for (qint64 id : ids)
        commitDeletion(id);
}

} // namespace confab
