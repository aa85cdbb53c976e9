#include "messagedelegate.h"

#include "chat/errorhint.h"
#include "chat/messagelistmodel.h"
#include "chat/safetextdocument.h"
#include "common/types.h"
#include "markdown/markdownrenderer.h"

#include <QAbstractItemView>
#include <QAbstractTextDocumentLayout>
#include <QFontDatabase>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocumentFragment>
#include <QTextLayout>
#include <QTextTable>
#include <QtGlobal>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Enough documents for several screens of messages; each may hold a long answer.
constexpr int MaxCachedDocuments = 300;
// Layouts are small: enough for every loaded message of a long conversation.
constexpr int MaxCachedLayouts = 20000;

QColor mix(const QColor &a, const QColor &b, qreal amountOfB)
{
    const qreal k = std::clamp(amountOfB, 0.0, 1.0);
    return QColor::fromRgbF(a.redF() * (1 - k) + b.redF() * k,
                            a.greenF() * (1 - k) + b.greenF() * k,
                            a.blueF() * (1 - k) + b.blueF() * k);
}

bool isCopyHeader(const QTextBlock &block)
{
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        if (MarkdownRenderer::copyLinkIndex(it.fragment().charFormat().anchorHref()))
            return true;
    }
    return false;
}

// The point at the end of a document's last line of text, where the streaming cursor goes.
QRectF endOfText(QTextDocument *document)
{
    for (QTextBlock block = document->lastBlock(); block.isValid(); block = block.previous()) {
        const QTextLayout *layout = block.layout();
        if (!layout || layout->lineCount() == 0 || block.text().isEmpty())
            continue;
        const QTextLine line = layout->lineAt(layout->lineCount() - 1);
        return line.naturalTextRect().translated(layout->position());
    }
    return {};
}

// When a message was written: the time today, the date and time before.
QString timeLabel(const QDateTime &created)
{
    if (!created.isValid())
        return {};
    const QDateTime local = created.toLocalTime();
    const QLocale locale;
    // Minutes are enough; some locales' short format still carries seconds.
    QString timeFormat = locale.timeFormat(QLocale::ShortFormat);
    timeFormat.remove(u":ss"_s).remove(u".ss"_s);
    const QString time = locale.toString(local.time(), timeFormat);
    if (local.date() == QDate::currentDate())
        return time;
    return locale.toString(local.date(), QLocale::ShortFormat) + u' ' + time;
}

} // namespace

struct MessageDelegate::Style
{
    QFont font;
    qint64 paletteKey = 0;
    QFont smallFont;
    QFont monoFont;
    int em = 16;
    int smallLine = 14;
    int margin = 16; // left and right of the column
    int gap = 8;     // between messages and between parts of one
    int padH = 12;   // inside a bubble and a code box
    int padV = 8;
    int maxColumn = 800;
    int actionsHeight = 20;
    QColor text;
    QColor muted;
    QColor link;
    QColor bubble;
    QColor codeBackground;
    QColor border;
    QColor warning;
    QColor highlight;
    QColor highlightedText;
    QString css;
};

struct MessageDelegate::Documents
{
    quint32 revision = 0;
    // What was rendered, to tell a change of text from a change of state (an answer
    // finishing, a row no longer the last), which needs no new rendering.
    size_t textHash = 0;
    qsizetype textSize = 0;
    bool user = false;
    std::unique_ptr<SafeTextDocument> content;
    std::unique_ptr<SafeTextDocument> reasoning;
    QStringList codeBlocks;
    // First and last block of each code box (its header and its last line).
    QList<std::pair<int, int>> codeRuns;
};

struct MessageDelegate::Layout
{
    quint32 revision = 0;
    int width = 0;
    bool expanded = false;

    QSize size;
    QRect bubble; // the user's tinted bubble; empty for answers
    QPoint contentOrigin;
    QSize contentSize;
    QList<QRectF> codeBoxes; // in the content document's coordinates
    QRect reasoningHeader;
    QString reasoningLabel;
    QPoint reasoningOrigin;
    QSize reasoningSize;
    bool reasoningShown = false;
    QRect cursor; // the streaming indicator
    QRect status;
    QString statusText;
    QRect retry;
    QRect actionsRow;
    bool actionsOnRight = false;
    QString timeText;
};

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
    , m_documents(MaxCachedDocuments)
    , m_layouts(MaxCachedLayouts)
{}

MessageDelegate::~MessageDelegate() = default;

int MessageDelegate::viewportWidth(const QStyleOptionViewItem &option)
{
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        return std::max(view->viewport()->width(), 64);
    return std::max(option.rect.width(), 64);
}

const MessageDelegate::Style &MessageDelegate::style(const QStyleOptionViewItem &option) const
{
    const qint64 paletteKey = option.palette.cacheKey();
    if (m_style && m_style->font == option.font && m_style->paletteKey == paletteKey)
        return *m_style;
    // The documents carry colours and fonts of the old style.
    m_documents.clear();
    m_layouts.clear();

    auto s = std::make_unique<Style>();
    s->font = option.font;
    s->paletteKey = paletteKey;
    const QFontMetrics metrics(option.font);
    s->em = metrics.height();
    s->smallFont = option.font;
    s->smallFont.setPointSizeF(option.font.pointSizeF() * 0.88);
    s->smallLine = QFontMetrics(s->smallFont).height();
    s->monoFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    s->monoFont.setPointSizeF(option.font.pointSizeF() * 0.92);
    s->margin = s->em;
    s->gap = std::max(4, s->em / 2);
    s->padH = int(s->em * 0.75);
    s->padV = int(s->em * 0.5);
    s->maxColumn = s->em * 46;
    s->actionsHeight = s->smallLine + s->gap / 2;

    const QPalette &palette = option.palette;
    const QColor base = palette.color(QPalette::Base);
    s->text = palette.color(QPalette::Text);
    const bool dark = base.lightness() < s->text.lightness();
    s->muted = mix(s->text, base, dark ? 0.4 : 0.45);
    s->link = palette.color(QPalette::Link);
    s->highlight = palette.color(QPalette::Highlight);
    s->highlightedText = palette.color(QPalette::HighlightedText);
    s->bubble = mix(base, s->highlight, dark ? 0.28 : 0.13);
    s->codeBackground = mix(base, s->text, dark ? 0.07 : 0.045);
    s->border = mix(base, s->text, dark ? 0.28 : 0.24);
    s->warning = dark ? QColor(0xf0, 0xb4, 0x4c) : QColor(0xa0, 0x5a, 0x00);

    const QString mono = s->monoFont.family();
    const QString smallPx = QString::number(std::max(8, int(s->smallLine * 0.8)));
    s->css = u"a { color: %1; text-decoration: none; }"
             u"code { font-family: '%2'; background-color: %3; }"
             u"pre.code { font-family: '%2'; }"
             u"p.code-header { color: %4; font-size: %5px; }"
             u"table { border-color: %6; border-style: solid; }"
             u"th { background-color: %3; }"
             u"blockquote { color: %4; }"_s.arg(s->link.name(), mono, s->codeBackground.name(),
                                                s->muted.name(), smallPx, s->border.name());
    m_style = std::move(s);
    return *m_style;
}

std::unique_ptr<SafeTextDocument>
MessageDelegate::renderDocument(const QString &markdown, bool hardBreaks,
                                const QStyleOptionViewItem &option, QStringList *codeBlocks,
                                QList<std::pair<int, int>> *codeRuns) const
{
    const Style &s = style(option);
    ++m_renderCount;
    MarkdownOptions options;
    options.copyLabel = tr("Copy");
    options.hardBreaks = hardBreaks;
    const RenderedMarkdown rendered = MarkdownRenderer::render(markdown, options);
    if (codeBlocks)
        *codeBlocks = rendered.codeBlocks;

    auto document = std::make_unique<SafeTextDocument>();
    document->setUndoRedoEnabled(false);
    document->setDocumentMargin(0);
    document->setDefaultFont(s.font);
    document->setDefaultStyleSheet(s.css);
    QTextOption textOption = document->defaultTextOption();
    // Long words, URLs and code lines wrap instead of leaving the column.
    textOption.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    document->setDefaultTextOption(textOption);
    document->setHtml(rendered.html);

    // Code blocks become boxes: padding inside, room around; the box itself is painted.
    QTextCursor cursor(document.get());
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        if (!isCopyHeader(block) && !block.blockFormat().nonBreakableLines())
            continue;
        const int first = block.blockNumber();
        QTextBlock last = block;
        if (isCopyHeader(block)) {
            while (last.next().isValid() && last.next().blockFormat().nonBreakableLines())
                last = last.next();
        } else {
            while (last.next().isValid() && last.next().blockFormat().nonBreakableLines()
                   && !isCopyHeader(last.next()))
                last = last.next();
        }
        for (QTextBlock b = block;; b = b.next()) {
            QTextBlockFormat format = b.blockFormat();
            format.setNonBreakableLines(false);
            format.setLeftMargin(s.padH);
            format.setRightMargin(s.padH);
            format.setTopMargin(b == block ? s.padV + s.gap : 0);
            format.setBottomMargin(b == last ? s.padV + s.gap : (b == block ? s.padV / 2 : 0));
            cursor.setPosition(b.position());
            cursor.setBlockFormat(format);
            if (b == last)
                break;
        }
        // A table right after the box would otherwise sit on its lower edge: a table frame does
        // not honour the bottom margin of the block before it.
        if (const QTextBlock after = last.next(); after.isValid()) {
            cursor.setPosition(after.position());
            if (QTextTable *table = cursor.currentTable();
                table && table->cellAt(after.position()).row() == 0) {
                QTextTableFormat format = table->format();
                format.setTopMargin(std::max(format.topMargin(), qreal(s.padV + s.gap)));
                table->setFormat(format);
            }
        }
        if (codeRuns)
            codeRuns->append({first, last.blockNumber()});
        block = last;
    }
    return document;
}

MessageDelegate::Documents *MessageDelegate::documents(const QStyleOptionViewItem &option,
                                                       const QModelIndex &index) const
{
    const qint64 id = qint64(index.internalId());
    const quint32 revision = index.data(MessageListModel::RevisionRole).toUInt();
    Documents *cached = m_documents.object(id);
    if (cached && cached->revision == revision)
        return cached;

    const auto role = Role(index.data(MessageListModel::RoleRole).toInt());
    const QString content = index.data(MessageListModel::ContentRole).toString();
    const QString reasoning = index.data(MessageListModel::ReasoningRole).toString();
    const size_t textHash = qHashMulti(0, content, reasoning);
    const qsizetype textSize = content.size() + reasoning.size();
    if (cached && cached->textHash == textHash && cached->textSize == textSize
        && cached->user == (role == Role::User)) {
        cached->revision = revision;
        return cached;
    }

    auto documents = std::make_unique<Documents>();
    documents->revision = revision;
    documents->textHash = textHash;
    documents->textSize = textSize;
    documents->user = role == Role::User;
    // The user's single newlines are meant as line breaks; models write markdown.
    documents->content = renderDocument(content, role == Role::User, option, &documents->codeBlocks,
                                        &documents->codeRuns);
    if (!reasoning.isEmpty())
        documents->reasoning = renderDocument(reasoning, true, option, nullptr, nullptr);
    Documents *raw = documents.get();
    m_documents.insert(id, documents.release());
    // A layout that outlived its documents (they were evicted) never set this new one's width.
    m_layouts.remove(id);
    return raw;
}

const MessageDelegate::Layout &MessageDelegate::layout(const QStyleOptionViewItem &option,
                                                       const QModelIndex &index) const
{
    const Style &s = style(option);
    const qint64 id = qint64(index.internalId());
    const int width = viewportWidth(option);
    const quint32 revision = index.data(MessageListModel::RevisionRole).toUInt();
    const bool expanded = m_expandedReasoning.contains(id);
    if (Layout *cached = m_layouts.object(id); cached && cached->revision == revision
        && cached->width == width && cached->expanded == expanded)
        return *cached;

    ++m_layoutCount;
    Documents *docs = documents(option, index);
    auto l = std::make_unique<Layout>();
    l->revision = revision;
    l->width = width;
    l->expanded = expanded;

    const auto role = Role(index.data(MessageListModel::RoleRole).toInt());
    const auto state = MessageState(index.data(MessageListModel::StateRole).toInt());
    const bool streaming = state == MessageState::Streaming;
    const bool hasContent = !index.data(MessageListModel::ContentRole).toString().isEmpty();
    const QFontMetrics small(s.smallFont);

    const int column = std::max(32, std::min(width - 2 * s.margin, s.maxColumn));
    const int left = std::max(0, (width - column) / 2);
    int y = s.gap;

    if (role == Role::User) {
        const int maxBubble = std::max(std::min(column, s.em * 12), int(column * 0.82));
        const int maxText = std::max(16, maxBubble - 2 * s.padH);
        QTextDocument *doc = docs->content.get();
        doc->setTextWidth(maxText);
        const int ideal = std::min(maxText, int(std::ceil(doc->idealWidth())) + 1);
        if (ideal < maxText)
            doc->setTextWidth(ideal);
        const QSize docSize(ideal, int(std::ceil(doc->size().height())));
        l->bubble = QRect(left + column - (docSize.width() + 2 * s.padH), y,
                          docSize.width() + 2 * s.padH, docSize.height() + 2 * s.padV);
        l->contentOrigin = l->bubble.topLeft() + QPoint(s.padH, s.padV);
        l->contentSize = docSize;
        y = l->bubble.bottom() + 1;
    } else {
        if (docs->reasoning) {
            const bool thinking = streaming && !hasContent;
            l->reasoningLabel = (expanded ? u"▾ "_s : u"▸ "_s)
                + (thinking ? tr("Thinking…")
                            : (expanded ? tr("Hide reasoning") : tr("Show reasoning")));
            l->reasoningHeader
                = QRect(left, y, small.horizontalAdvance(l->reasoningLabel) + 4, s.smallLine);
            y = l->reasoningHeader.bottom() + 1 + s.gap / 2;
            if (expanded) {
                const int indent = s.padH;
                QTextDocument *doc = docs->reasoning.get();
                doc->setTextWidth(std::max(16, column - indent));
                l->reasoningShown = true;
                l->reasoningOrigin = QPoint(left + indent, y);
                l->reasoningSize = QSize(column - indent, int(std::ceil(doc->size().height())));
                y += l->reasoningSize.height() + s.gap;
            }
        }
        QTextDocument *doc = docs->content.get();
        doc->setTextWidth(column);
        l->contentOrigin = QPoint(left, y);
        if (hasContent) {
            l->contentSize = QSize(column, int(std::ceil(doc->size().height())));
        } else if (streaming) {
            l->contentSize = QSize(column, s.em); // room for the cursor
        }
        y += l->contentSize.height();
        if (streaming) {
            QRectF end = hasContent ? endOfText(doc) : QRectF();
            if (end.isNull())
                end = QRectF(0, 0, 0, s.em);
            const int h = int(end.height() * 0.8);
            l->cursor = QRect(l->contentOrigin.x() + int(end.right()) + 2,
                              l->contentOrigin.y() + int(end.top() + (end.height() - h) / 2),
                              std::max(3, s.em / 3), h);
            if (l->cursor.right() > left + column)
                l->cursor.moveLeft(left + column - l->cursor.width());
        }
        if (state == MessageState::Incomplete) {
            l->statusText = statusText(index);
            const bool canRetry = index.data(MessageListModel::IsLastRole).toBool();
            const QString retry = actionLabel(Action::Retry);
            const int retryWidth = canRetry ? small.horizontalAdvance(retry) + s.padH : 0;
            y += s.gap / 2;
            const QRect textRect = small.boundingRect(QRect(left, y, column - retryWidth, 10000),
                                                      Qt::TextWordWrap, l->statusText);
            l->status
                = QRect(left, y, column - retryWidth, std::max(textRect.height(), s.smallLine));
            if (canRetry)
                l->retry = QRect(left + std::min(textRect.width(), column - retryWidth) + s.padH, y,
                                 small.horizontalAdvance(retry) + 2, s.smallLine);
            y = l->status.bottom() + 1;
        }
    }

    // The boxes behind code blocks, in document coordinates.
    QTextDocument *content = docs->content.get();
    for (const auto &[first, last] : std::as_const(docs->codeRuns)) {
        const QTextBlock firstBlock = content->findBlockByNumber(first);
        const QTextBlock lastBlock = content->findBlockByNumber(last);
        if (!firstBlock.isValid() || !lastBlock.isValid())
            continue;
        const QRectF top = content->documentLayout()->blockBoundingRect(firstBlock);
        const QRectF bottom = content->documentLayout()->blockBoundingRect(lastBlock);
        l->codeBoxes.append(QRectF(0, top.top() - s.padV, content->textWidth(),
                                   bottom.bottom() - top.top() + 2 * s.padV));
    }

    // The actions row is always reserved, so hovering never moves anything.
    l->actionsRow = QRect(left, y + s.gap / 4, column, s.actionsHeight);
    l->actionsOnRight = role == Role::User;
    const QDateTime created = index.data(MessageListModel::CreatedAtRole).toDateTime();
    l->timeText = timeLabel(created);
    y = l->actionsRow.bottom() + 1 + s.gap;

    l->size = QSize(width, y);
    Layout *raw = l.get();
    m_layouts.insert(id, l.release());
    return *raw;
}

QList<std::pair<MessageDelegate::Action, QRect>>
MessageDelegate::placeActions(const QStyleOptionViewItem &option, const QModelIndex &index,
                              const Layout &l) const
{
    const Style &s = style(option);
    const QFontMetrics small(s.smallFont);
    QList<std::pair<Action, QRect>> placed;
    int x = 0;
    for (Action action : actionsFor(index)) {
        const int w = small.horizontalAdvance(actionLabel(action)) + 2;
        placed.append({action, QRect(x, l.actionsRow.top(), w, s.smallLine)});
        x += w + s.padH;
    }
    // The time it was written, last and unclickable (Action::None).
    if (!l.timeText.isEmpty()) {
        const int w = small.horizontalAdvance(l.timeText) + 2;
        placed.append({Action::None, QRect(x, l.actionsRow.top(), w, s.smallLine)});
        x += w;
    }
    // Under the bubble on the right for the user, under the text on the left for answers.
    const int shift = l.actionsOnRight ? l.actionsRow.right() + 1 - x : l.actionsRow.left();
    for (auto &entry : placed)
        entry.second.translate(shift, 0);
    return placed;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (!index.isValid())
        return {};
    return layout(option, index).size;
}

void MessageDelegate::paintDocument(QPainter *painter, QTextDocument *document, QPoint origin,
                                    const QColor &textColor, const QRect &clip, Part part,
                                    qint64 id, const QStyleOptionViewItem &option) const
{
    const Style &s = style(option);
    painter->save();
    painter->translate(origin);
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = option.palette;
    context.palette.setColor(QPalette::Text, textColor);
    context.clip = QRectF(clip.translated(-origin));
    if (!m_selection.isEmpty() && m_selection.messageId == id && m_selection.part == part) {
        QTextCursor cursor(document);
        const int end = document->characterCount() - 1;
        cursor.setPosition(std::clamp(m_selection.anchor, 0, end));
        cursor.setPosition(std::clamp(m_selection.position, 0, end), QTextCursor::KeepAnchor);
        QAbstractTextDocumentLayout::Selection selection;
        selection.cursor = cursor;
        selection.format.setBackground(s.highlight);
        selection.format.setForeground(s.highlightedText);
        context.selections.append(selection);
    }
    painter->setClipRect(context.clip, Qt::IntersectClip);
    document->documentLayout()->draw(painter, context);
    painter->restore();
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    if (!index.isValid())
        return;
    const Style &s = style(option);
    Documents *docs = documents(option, index);
    const Layout &l = layout(option, index);
    const qint64 id = qint64(index.internalId());

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->translate(option.rect.topLeft());
    // What of this item is on screen, in item coordinates: long answers paint only that.
    QRect visible(QPoint(0, 0), option.rect.size());
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        visible &= view->viewport()->rect().translated(-option.rect.topLeft());

    if (!l.bubble.isEmpty()) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(s.bubble);
        const qreal radius = s.em * 0.75;
        painter->drawRoundedRect(QRectF(l.bubble), radius, radius);
    }

    if (!l.reasoningHeader.isEmpty()) {
        painter->setFont(s.smallFont);
        painter->setPen(s.muted);
        painter->drawText(l.reasoningHeader, Qt::AlignLeft | Qt::AlignVCenter, l.reasoningLabel);
    }
    if (l.reasoningShown && docs->reasoning) {
        painter->setPen(QPen(s.border, 2));
        const int barX = l.reasoningOrigin.x() - s.padH / 2;
        painter->drawLine(barX, l.reasoningOrigin.y(), barX,
                          l.reasoningOrigin.y() + l.reasoningSize.height());
        paintDocument(painter, docs->reasoning.get(), l.reasoningOrigin, s.muted,
                      visible & QRect(l.reasoningOrigin, l.reasoningSize), Part::Reasoning, id,
                      option);
    }

    if (!l.codeBoxes.isEmpty()) {
        painter->setPen(QPen(s.border, 1));
        painter->setBrush(s.codeBackground);
        const qreal radius = s.em * 0.4;
        for (const QRectF &box : l.codeBoxes)
            painter->drawRoundedRect(box.translated(l.contentOrigin).adjusted(0.5, 0.5, -0.5, -0.5),
                                     radius, radius);
    }
    if (!l.contentSize.isEmpty())
        paintDocument(painter, docs->content.get(), l.contentOrigin, s.text,
                      visible & QRect(l.contentOrigin, l.contentSize), Part::Content, id, option);

    if (!l.cursor.isEmpty()) {
        painter->setPen(Qt::NoPen);
        QColor cursorColor = s.text;
        cursorColor.setAlphaF(0.6);
        painter->setBrush(cursorColor);
        painter->drawRoundedRect(QRectF(l.cursor), 1.5, 1.5);
    }

    if (!l.status.isEmpty()) {
        painter->setFont(s.smallFont);
        painter->setPen(s.warning);
        painter->drawText(l.status, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, l.statusText);
        if (!l.retry.isEmpty()) {
            painter->setPen(s.link);
            painter->drawText(l.retry, Qt::AlignLeft | Qt::AlignTop, actionLabel(Action::Retry));
        }
    }

    if (m_hovered == id) {
        painter->setFont(s.smallFont);
        for (const auto &[action, rect] : placeActions(option, index, l)) {
            painter->setPen(action == Action::None ? s.muted : s.link);
            painter->drawText(rect, Qt::AlignLeft | Qt::AlignVCenter,
                              action == Action::None ? l.timeText : actionLabel(action));
        }
    }
    painter->restore();
}

MessageDelegate::Hit MessageDelegate::hitTest(const QStyleOptionViewItem &option,
                                              const QModelIndex &index, QPoint pos) const
{
    Hit hit;
    if (!index.isValid())
        return hit;
    hit.messageId = qint64(index.internalId());
    Documents *docs = documents(option, index);
    const Layout &l = layout(option, index);
    const QPoint local = pos - option.rect.topLeft();

    if (l.retry.contains(local)) {
        hit.action = Action::Retry;
        return hit;
    }
    if (l.reasoningHeader.contains(local)) {
        hit.action = Action::ToggleReasoning;
        return hit;
    }
    // Actions show on hover; a click lands on what the user sees.
    if (m_hovered == hit.messageId) {
        for (const auto &[action, rect] : placeActions(option, index, l)) {
            if (action != Action::None && rect.adjusted(-2, -2, 2, 2).contains(local)) {
                hit.action = action;
                return hit;
            }
        }
    }
    auto testDocument = [&](QTextDocument *document, QPoint origin, QSize size, Part part) {
        if (!document || !QRect(origin, size).contains(local))
            return false;
        const QPointF point = local - origin;
        hit.part = part;
        hit.anchor = document->documentLayout()->anchorAt(point);
        hit.cursorPosition = document->documentLayout()->hitTest(point, Qt::FuzzyHit);
        return true;
    };
    if (l.reasoningShown
        && testDocument(docs->reasoning.get(), l.reasoningOrigin, l.reasoningSize, Part::Reasoning))
        return hit;
    testDocument(docs->content.get(), l.contentOrigin, l.contentSize, Part::Content);
    return hit;
}

int MessageDelegate::cursorPositionAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                      Part part, QPoint pos) const
{
    Documents *docs = documents(option, index);
    const Layout &l = layout(option, index);
    QTextDocument *document = part == Part::Reasoning ? docs->reasoning.get() : docs->content.get();
    if (!document || part == Part::None)
        return -1;
    const QPoint origin = part == Part::Reasoning ? l.reasoningOrigin : l.contentOrigin;
    const QSize size = part == Part::Reasoning ? l.reasoningSize : l.contentSize;
    const QPoint local = pos - option.rect.topLeft() - origin;
    // Above the text selects from its start, below to its end.
    if (local.y() < 0)
        return 0;
    if (local.y() >= size.height())
        return document->characterCount() - 1;
    const QPointF clamped(std::clamp(local.x(), 0, std::max(0, size.width() - 1)), local.y());
    return document->documentLayout()->hitTest(clamped, Qt::FuzzyHit);
}

QTextDocument *MessageDelegate::document(const QStyleOptionViewItem &option,
                                         const QModelIndex &index, Part part) const
{
    if (!index.isValid())
        return nullptr;
    Documents *docs = documents(option, index);
    layout(option, index); // the document is laid out at the current width
    switch (part) {
    case Part::Content:
        return docs->content.get();
    case Part::Reasoning:
        return docs->reasoning.get();
    case Part::None:
        break;
    }
    return nullptr;
}

QString MessageDelegate::codeBlock(const QStyleOptionViewItem &option, const QModelIndex &index,
                                   int n) const
{
    if (!index.isValid())
        return {};
    return documents(option, index)->codeBlocks.value(n);
}

QString MessageDelegate::selectedText(const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    if (m_selection.isEmpty() || qint64(index.internalId()) != m_selection.messageId)
        return {};
    QTextDocument *doc = document(option, index, m_selection.part);
    if (!doc)
        return {};
    QTextCursor cursor(doc);
    const int end = doc->characterCount() - 1;
    cursor.setPosition(std::clamp(m_selection.anchor, 0, end));
    cursor.setPosition(std::clamp(m_selection.position, 0, end), QTextCursor::KeepAnchor);
    return cursor.selection().toPlainText();
}

QString MessageDelegate::statusText(const QModelIndex &index) const
{
    const auto state = MessageState(index.data(MessageListModel::StateRole).toInt());
    if (state != MessageState::Incomplete)
        return {};
    const QString reason = index.data(MessageListModel::FinishReasonRole).toString();
    const QString message = index.data(MessageListModel::ErrorMessageRole).toString().trimmed();
    if (reason == "cancelled"_L1)
        return u"⚠ "_s + tr("Stopped");
    QString text = u"⚠ "_s + (message.isEmpty() ? tr("The answer is incomplete.") : message);
    if (const QString hint = ErrorHint::forCode(reason); !hint.isEmpty())
        text += u' ' + hint;
    return text;
}

QList<MessageDelegate::Action> MessageDelegate::actionsFor(const QModelIndex &index) const
{
    const auto role = Role(index.data(MessageListModel::RoleRole).toInt());
    const auto state = MessageState(index.data(MessageListModel::StateRole).toInt());
    const bool isLast = index.data(MessageListModel::IsLastRole).toBool();
    // While an answer is written the conversation cannot change; copying is always fine.
    if (state == MessageState::Streaming || m_busy)
        return {Action::Copy};
    QList<Action> actions{Action::Copy};
    if (role == Role::User)
        actions.append(Action::Edit);
    if (role == Role::Assistant && isLast && state == MessageState::Complete)
        actions.append(Action::Regenerate);
    actions.append(Action::Delete);
    return actions;
}

QString MessageDelegate::actionLabel(Action action)
{
    switch (action) {
    case Action::Copy:
        return tr("Copy");
    case Action::Edit:
        return tr("Edit");
    case Action::Regenerate:
        return tr("Regenerate");
    case Action::Delete:
        return tr("Delete");
    case Action::Retry:
        return tr("Retry");
    case Action::ToggleReasoning:
        return tr("Show reasoning");
    case Action::None:
        break;
    }
    return {};
}

std::optional<int> MessageDelegate::cachedHeight(qint64 messageId) const
{
    if (const Layout *cached = m_layouts.object(messageId))
        return cached->size.height();
    return std::nullopt;
}

void MessageDelegate::invalidate(qint64 messageId)
{
    // The documents stay until their text is known to differ (see documents()).
    m_layouts.remove(messageId);
}

const QTextDocument *MessageDelegate::cachedDocument(qint64 messageId, Part part) const
{
    const Documents *cached = m_documents.object(messageId);
    if (!cached)
        return nullptr;
    return part == Part::Reasoning ? cached->reasoning.get()
                                   : (part == Part::Content ? cached->content.get() : nullptr);
}

void MessageDelegate::setCacheLimits(int documents, int layouts)
{
    m_documents.setMaxCost(std::max(documents, 1));
    m_layouts.setMaxCost(std::max(layouts, 1));
}

void MessageDelegate::forget(qint64 messageId)
{
    m_documents.remove(messageId);
    m_layouts.remove(messageId);
    m_expandedReasoning.remove(messageId);
}

void MessageDelegate::clearLayouts()
{
    m_layouts.clear();
}

void MessageDelegate::releaseDocuments()
{
    m_documents.clear();
}

void MessageDelegate::clearAll()
{
    m_documents.clear();
    m_layouts.clear();
    m_style.reset();
}

bool MessageDelegate::isReasoningExpanded(qint64 messageId) const
{
    return m_expandedReasoning.contains(messageId);
}

void MessageDelegate::setReasoningExpanded(qint64 messageId, bool expanded)
{
    if (expanded)
        m_expandedReasoning.insert(messageId);
    else
        m_expandedReasoning.remove(messageId);
    m_layouts.remove(messageId);
}

} // namespace confab
