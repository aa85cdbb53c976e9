#pragma once

#include <QCache>
#include <QColor>
#include <QList>
#include <QRect>
#include <QSet>
#include <QStringList>
#include <QStyledItemDelegate>

#include <memory>
#include <optional>

class QTextDocument;

namespace confab {

class SafeTextDocument;

// Draws one message of a MessageListModel: markdown through MarkdownRenderer into a
// SafeTextDocument, the user's messages in a tinted bubble, answers full width, code blocks in
// a monospace box with a Copy link, reasoning as a collapsible muted section, the state of an
// unfinished answer and the per-message actions. One layout() feeds paint(), sizeHint() and
// hit-testing; documents and layouts sit in bounded LRU caches keyed by message id, so a
// streamed delta re-renders one message and scrolling re-renders nothing.
class MessageDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageDelegate)

public:
    enum class Part { None, Content, Reasoning };
    enum class Action { None, Copy, Edit, Regenerate, Delete, Retry, ToggleReasoning };
    Q_ENUM(Action)

    // What is under a point of a message.
    struct Hit
    {
        qint64 messageId = 0;
        Action action = Action::None;
        Part part = Part::None;  // the text under the point, when it is text
        QString anchor;          // the href of the link under the point
        int cursorPosition = -1; // in the document of `part`
    };

    // The text a user has selected in one part of one message.
    struct Selection
    {
        qint64 messageId = 0;
        Part part = Part::None;
        int anchor = 0;
        int position = 0;

        bool isEmpty() const { return messageId == 0 || anchor == position; }
    };

    explicit MessageDelegate(QObject *parent = nullptr);
    ~MessageDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // option.rect is the item's rect and pos a point in the same (viewport) coordinates.
    Hit hitTest(const QStyleOptionViewItem &option, const QModelIndex &index, QPoint pos) const;
    // The cursor position in `part` of the message nearest to pos, for extending a selection
    // that strayed outside the text.
    int cursorPositionAt(const QStyleOptionViewItem &option, const QModelIndex &index, Part part,
                         QPoint pos) const;
    // The document shown for a part (rendered on demand), for selections and tests.
    QTextDocument *document(const QStyleOptionViewItem &option, const QModelIndex &index,
                            Part part) const;
    // The text of code block n of a message, as its Copy link copies it.
    QString codeBlock(const QStyleOptionViewItem &option, const QModelIndex &index, int n) const;
    // The line shown under an unfinished answer ("Stopped", the provider's error and a hint).
    QString statusText(const QModelIndex &index) const;
    // The actions a message offers, in the order shown.
    QList<Action> actionsFor(const QModelIndex &index) const;
    static QString actionLabel(Action action);

    // The height of a message's layout still in the cache (what the view laid out last).
    std::optional<int> cachedHeight(qint64 messageId) const;
    // A message changed: its layout goes, and its documents once their text differs.
    void invalidate(qint64 messageId);
    // A message is gone.
    void forget(qint64 messageId);
    // The width changed: layouts go, documents stay.
    void clearLayouts();
    // The font or palette changed: everything goes.
    void clearAll();
    // The view is hidden: rendered documents go, layouts (heights) stay.
    void releaseDocuments();

    void setHoveredMessage(qint64 messageId) { m_hovered = messageId; }
    // While the conversation streams, messages offer only Copy (the service would refuse).
    void setBusy(bool busy) { m_busy = busy; }
    bool isBusy() const { return m_busy; }
    qint64 hoveredMessage() const { return m_hovered; }
    bool isReasoningExpanded(qint64 messageId) const;
    void setReasoningExpanded(qint64 messageId, bool expanded);
    void setSelection(const Selection &selection) { m_selection = selection; }
    const Selection &selection() const { return m_selection; }
    // The selected text as plain text.
    QString selectedText(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    // How many markdown renders and layouts were computed (tests and benchmarks check that a
    // delta re-renders one message, not all).
    int renderCount() const { return m_renderCount; }
    int layoutCount() const { return m_layoutCount; }
    int cachedDocumentCount() const { return m_documents.count(); }
    // A cached document as it is, without rendering or laying out (tests).
    const QTextDocument *cachedDocument(qint64 messageId, Part part) const;
    // The caches' bounds (tests make them small to exercise eviction).
    void setCacheLimits(int documents, int layouts);
    int cachedLayoutCount() const { return m_layouts.count(); }

private:
    struct Documents;
    struct Layout;
    struct Style;

    Documents *documents(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    const Layout &layout(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    const Style &style(const QStyleOptionViewItem &option) const;
    // Where the actions (and the time, as Action::None) of a message go, in item coordinates.
    QList<std::pair<Action, QRect>> placeActions(const QStyleOptionViewItem &option,
                                                 const QModelIndex &index, const Layout &l) const;
    std::unique_ptr<SafeTextDocument> renderDocument(const QString &markdown, bool hardBreaks,
                                                     const QStyleOptionViewItem &option,
                                                     QStringList *codeBlocks,
                                                     QList<std::pair<int, int>> *codeRuns) const;
    void paintDocument(QPainter *painter, QTextDocument *document, QPoint origin,
                       const QColor &textColor, const QRect &clip, Part part, qint64 id,
                       const QStyleOptionViewItem &option) const;
    static int viewportWidth(const QStyleOptionViewItem &option);

    mutable QCache<qint64, Documents> m_documents;
    mutable QCache<qint64, Layout> m_layouts;
    mutable std::unique_ptr<Style> m_style;
    QSet<qint64> m_expandedReasoning;
    Selection m_selection;
    qint64 m_hovered = 0;
    bool m_busy = false;
    mutable int m_renderCount = 0;
    mutable int m_layoutCount = 0;
};

} // namespace confab
