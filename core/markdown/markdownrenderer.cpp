#include "markdownrenderer.h"

#include "common/logging.h"

#include <QByteArray>
#include <QUrl>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Deeper nesting than this renders its content without further container tags: nobody reads
// the 40th level of a quote, and QTextDocument's layout cost grows with the depth of what it
// is given, so hostile input must not reach it.
constexpr int kMaxBlockNesting = 32;
constexpr int kMaxInlineNesting = 16;
constexpr int kMaxListRun = 200;

constexpr auto kCopyScheme = "confab-copy:"_L1;

struct Extensions
{
    cmark_syntax_extension *table = nullptr;
    cmark_syntax_extension *strikethrough = nullptr;
    cmark_syntax_extension *autolink = nullptr;
    cmark_syntax_extension *tagfilter = nullptr;
    cmark_syntax_extension *tasklist = nullptr;
};

// cmark-gfm's registration flag is a plain global: registering from two threads at once
// races, so it happens once, under the guarantee of a function-local static.
const Extensions &extensions()
{
    static const Extensions registered = [] {
        cmark_gfm_core_extensions_ensure_registered();
        Extensions found;
        found.table = cmark_find_syntax_extension("table");
        found.strikethrough = cmark_find_syntax_extension("strikethrough");
        found.autolink = cmark_find_syntax_extension("autolink");
        found.tagfilter = cmark_find_syntax_extension("tagfilter");
        found.tasklist = cmark_find_syntax_extension("tasklist");
        if (!found.table || !found.strikethrough || !found.autolink || !found.tagfilter
            || !found.tasklist)
            qCWarning(lcMarkdown) << "cmark-gfm lacks some GFM extensions";
        return found;
    }();
    return registered;
}

struct NodeDeleter
{
    void operator()(cmark_node *node) const { cmark_node_free(node); }
};
using ParsedDocument = std::unique_ptr<cmark_node, NodeDeleter>;

struct IterDeleter
{
    void operator()(cmark_iter *iter) const { cmark_iter_free(iter); }
};
using Iterator = std::unique_ptr<cmark_iter, IterDeleter>;

// cmark-gfm 0.29.0.gfm.6 parses a table row in time quadratic in its column count (700 ms
// for 12,500 columns): a line with more pipes than any real table has is parsed without the
// table extension, and shows as text.
constexpr qsizetype kMaxTablePipesPerLine = 1000;

bool hasHugeTableRow(QStringView markdown)
{
    qsizetype pipes = 0;
    for (const QChar c : markdown) {
        if (c == u'|') {
            if (++pipes > kMaxTablePipesPerLine)
                return true;
        } else if (c == u'\n') {
            pipes = 0;
        }
    }
    return false;
}

ParsedDocument parse(QStringView markdown)
{
    const Extensions &ext = extensions();
    const bool tables = !hasHugeTableRow(markdown);
    // CMARK_OPT_DEFAULT is safe mode in this cmark-gfm (unsafe is the opt-in CMARK_OPT_UNSAFE).
    // Our walk escapes raw HTML itself; tagfilter is attached anyway so that anything ever
    // rendered through cmark's own renderer from this parser stays filtered too.
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
    for (cmark_syntax_extension *extension :
         {ext.table, ext.strikethrough, ext.autolink, ext.tagfilter, ext.tasklist}) {
        if (extension && (tables || extension != ext.table))
            cmark_parser_attach_syntax_extension(parser, extension);
    }
    const QByteArray utf8 = markdown.toUtf8();
    cmark_parser_feed(parser, utf8.constData(), size_t(utf8.size()));
    ParsedDocument document(cmark_parser_finish(parser));
    cmark_parser_free(parser);
    return document;
}

enum class Kind {
    Document,
    BlockQuote,
    List,
    Item,
    TaskItem,
    CodeBlock,
    HtmlBlock,
    Paragraph,
    Heading,
    ThematicBreak,
    Text,
    SoftBreak,
    LineBreak,
    Code,
    HtmlInline,
    Emph,
    Strong,
    Link,
    Image,
    Strikethrough,
    Table,
    TableHeader,
    TableRow,
    TableCell,
    Other,
};

Kind kindOf(cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_DOCUMENT:
        return Kind::Document;
    case CMARK_NODE_BLOCK_QUOTE:
        return Kind::BlockQuote;
    case CMARK_NODE_LIST:
        return Kind::List;
    case CMARK_NODE_ITEM:
        // The tasklist extension marks an item as a task by owning it.
        return std::strcmp(cmark_node_get_type_string(node), "tasklist") == 0 ? Kind::TaskItem
                                                                              : Kind::Item;
    case CMARK_NODE_CODE_BLOCK:
        return Kind::CodeBlock;
    case CMARK_NODE_HTML_BLOCK:
        return Kind::HtmlBlock;
    case CMARK_NODE_PARAGRAPH:
        return Kind::Paragraph;
    case CMARK_NODE_HEADING:
        return Kind::Heading;
    case CMARK_NODE_THEMATIC_BREAK:
        return Kind::ThematicBreak;
    case CMARK_NODE_TEXT:
        return Kind::Text;
    case CMARK_NODE_SOFTBREAK:
        return Kind::SoftBreak;
    case CMARK_NODE_LINEBREAK:
        return Kind::LineBreak;
    case CMARK_NODE_CODE:
        return Kind::Code;
    case CMARK_NODE_HTML_INLINE:
        return Kind::HtmlInline;
    case CMARK_NODE_EMPH:
        return Kind::Emph;
    case CMARK_NODE_STRONG:
        return Kind::Strong;
    case CMARK_NODE_LINK:
        return Kind::Link;
    case CMARK_NODE_IMAGE:
        return Kind::Image;
    default:
        break;
    }
    // The extensions' node types are numbered at registration; their names are stable.
    const char *name = cmark_node_get_type_string(node);
    if (std::strcmp(name, "strikethrough") == 0)
        return Kind::Strikethrough;
    if (std::strcmp(name, "table") == 0)
        return Kind::Table;
    if (std::strcmp(name, "table_header") == 0)
        return Kind::TableHeader;
    if (std::strcmp(name, "table_row") == 0)
        return Kind::TableRow;
    if (std::strcmp(name, "table_cell") == 0)
        return Kind::TableCell;
    return Kind::Other;
}

QString utf8(const char *text)
{
    return text ? QString::fromUtf8(text) : QString();
}

QString literal(cmark_node *node)
{
    return utf8(cmark_node_get_literal(node));
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

// The href to emit for a link target, or nothing when it must stay plain text.
std::optional<QString> safeHref(QStringView raw)
{
    const QUrl url(raw.trimmed().toString(), QUrl::TolerantMode);
    if (!url.isValid())
        return std::nullopt;
    const QString scheme = url.scheme();
    if (scheme == "http"_L1 || scheme == "https"_L1) {
        if (url.host().isEmpty())
            return std::nullopt;
    } else if (scheme == "mailto"_L1) {
        if (url.path().isEmpty())
            return std::nullopt;
    } else {
        return std::nullopt;
    }
    return QString::fromLatin1(url.toEncoded());
}

// The plain text below node (alt text of an image, text of a link shown as text).
QString plainTextBelow(cmark_node *node)
{
    QString text;
    Iterator iter(cmark_iter_new(node));
    cmark_event_type event;
    while ((event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
        if (event != CMARK_EVENT_ENTER)
            continue;
        cmark_node *current = cmark_iter_get_node(iter.get());
        switch (cmark_node_get_type(current)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_INLINE:
            text += literal(current);
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            text += u' ';
            break;
        default:
            break;
        }
    }
    return text;
}

QString codeBlockText(cmark_node *node)
{
    QString code = literal(node);
    if (code.endsWith(u'\n'))
        code.chop(1);
    return code;
}

QString fenceLanguage(cmark_node *node)
{
    const QString info = utf8(cmark_node_get_fence_info(node)).trimmed();
    return info.section(u' ', 0, 0, QString::SectionSkipEmpty);
}

// Emits HTML while cmark's iterator walks the tree: no recursion, so nesting depth costs
// memory in cmark's tree only, never stack.
class HtmlWriter
{
public:
    explicit HtmlWriter(const MarkdownOptions &options)
        : m_options(options)
    {}

    RenderedMarkdown write(cmark_node *document)
    {
        Iterator iter(cmark_iter_new(document));
        cmark_event_type event;
        while ((event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
            cmark_node *node = cmark_iter_get_node(iter.get());
            if (event == CMARK_EVENT_ENTER)
                enter(iter.get(), node);
            else
                exit(node);
        }
        // A newline after the last block would become a trailing space in QTextDocument.
        while (m_html.endsWith(u'\n'))
            m_html.chop(1);
        return {std::move(m_html), std::move(m_codeBlocks)};
    }

private:
    void enter(cmark_iter *iter, cmark_node *node)
    {
        switch (kindOf(node)) {
        case Kind::BlockQuote:
            if (++m_blockDepth <= kMaxBlockNesting)
                m_html += "<blockquote>\n"_L1;
            break;
        case Kind::List:
            m_listItems.append(0);
            if (++m_blockDepth <= kMaxBlockNesting)
                openList(node, 0);
            break;
        case Kind::TaskItem:
            m_pendingTaskMark = cmark_gfm_extensions_get_tasklist_item_checked(node) ? u"\u2611 "_s
                                                                                     : u"\u2610 "_s;
            [[fallthrough]];
        case Kind::Item: {
            cmark_node *list = cmark_node_parent(node);
            const int done = m_listItems.isEmpty() ? 0 : m_listItems.last()++;
            // QTextDocument::setHtml takes time quadratic in a list's length (4 s for 10,000
            // items): a very long list goes out as consecutive lists of bounded length.
            if (done > 0 && done % kMaxListRun == 0 && list && m_blockDepth <= kMaxBlockNesting) {
                closeList(list);
                openList(list, done);
            }
            if (++m_blockDepth <= kMaxBlockNesting)
                m_html += "<li>"_L1;
            break;
        }
        case Kind::Paragraph:
            if (!isTight(node))
                m_html += "<p>"_L1;
            flushTaskMark();
            break;
        case Kind::Heading:
            m_html += u"<h%1>"_s.arg(cmark_node_get_heading_level(node));
            break;
        case Kind::CodeBlock:
            writeCodeBlock(node);
            break;
        case Kind::HtmlBlock: {
            QString raw = literal(node);
            while (raw.endsWith(u'\n'))
                raw.chop(1);
            m_html += "<p>"_L1 + escaped(raw).replace(u'\n', "<br/>\n"_L1) + "</p>\n"_L1;
            break;
        }
        case Kind::ThematicBreak:
            m_html += "<hr/>\n"_L1;
            break;
        case Kind::Text:
            m_html += escaped(literal(node));
            break;
        case Kind::SoftBreak:
            m_html += m_options.hardBreaks ? "<br/>\n"_L1 : "\n"_L1;
            break;
        case Kind::LineBreak:
            m_html += "<br/>\n"_L1;
            break;
        case Kind::Code:
            m_html += "<code>"_L1 + escaped(literal(node)) + "</code>"_L1;
            break;
        case Kind::HtmlInline:
            m_html += escaped(literal(node));
            break;
        case Kind::Emph:
            openInline(u"<em>"_s);
            break;
        case Kind::Strong:
            openInline(u"<strong>"_s);
            break;
        case Kind::Strikethrough:
            openInline(u"<s>"_s);
            break;
        case Kind::Link: {
            const auto href
                = m_openAnchors == 0 ? safeHref(utf8(cmark_node_get_url(node))) : std::nullopt;
            m_linkEmitted.append(href.has_value());
            if (href) {
                ++m_openAnchors;
                m_html += "<a href=\""_L1 + escaped(*href) + "\">"_L1;
            }
            break;
        }
        case Kind::Image:
            writeImage(node);
            // The alt text is written already: skip the image's children.
            cmark_iter_reset(iter, node, CMARK_EVENT_EXIT);
            break;
        case Kind::Table:
            m_tableAlignments = cmark_gfm_extensions_get_table_alignments(node);
            m_tableColumns = cmark_gfm_extensions_get_table_columns(node);
            m_html += "<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\" "
                      "style=\"border-collapse: collapse\">\n"_L1;
            break;
        case Kind::TableHeader:
            m_inHeaderRow = true;
            m_column = 0;
            m_html += "<tr>"_L1;
            break;
        case Kind::TableRow:
            m_inHeaderRow = false;
            m_column = 0;
            m_html += "<tr>"_L1;
            break;
        case Kind::TableCell: {
            const char *tag = m_inHeaderRow ? "th" : "td";
            const uint8_t alignment
                = m_tableAlignments && m_column < m_tableColumns ? m_tableAlignments[m_column] : 0;
            ++m_column;
            QLatin1StringView align;
            switch (alignment) {
            case 'c':
                align = "center"_L1;
                break;
            case 'r':
                align = "right"_L1;
                break;
            case 'l':
                align = "left"_L1;
                break;
            default:
                align = m_inHeaderRow ? "left"_L1 : QLatin1StringView();
                break;
            }
            m_html += u'<' + QLatin1StringView(tag);
            if (!align.isEmpty())
                m_html += " align=\""_L1 + align + u'"';
            m_html += u'>';
            break;
        }
        case Kind::Document:
        case Kind::Other:
            break;
        }
    }

    void exit(cmark_node *node)
    {
        switch (kindOf(node)) {
        case Kind::BlockQuote:
            if (m_blockDepth-- <= kMaxBlockNesting)
                m_html += "</blockquote>\n"_L1;
            break;
        case Kind::List:
            if (!m_listItems.isEmpty())
                m_listItems.removeLast();
            if (m_blockDepth-- <= kMaxBlockNesting)
                closeList(node);
            break;
        case Kind::Item:
        case Kind::TaskItem:
            flushTaskMark();
            if (m_blockDepth-- <= kMaxBlockNesting)
                m_html += "</li>\n"_L1;
            break;
        case Kind::Paragraph:
            if (!isTight(node))
                m_html += "</p>\n"_L1;
            break;
        case Kind::Heading:
            m_html += u"</h%1>\n"_s.arg(cmark_node_get_heading_level(node));
            break;
        case Kind::Emph:
            closeInline(u"</em>"_s);
            break;
        case Kind::Strong:
            closeInline(u"</strong>"_s);
            break;
        case Kind::Strikethrough:
            closeInline(u"</s>"_s);
            break;
        case Kind::Link:
            if (!m_linkEmitted.isEmpty() && m_linkEmitted.takeLast()) {
                --m_openAnchors;
                m_html += "</a>"_L1;
            }
            break;
        case Kind::Table:
            m_tableAlignments = nullptr;
            m_tableColumns = 0;
            m_html += "</table>\n"_L1;
            break;
        case Kind::TableHeader:
        case Kind::TableRow:
            m_html += "</tr>\n"_L1;
            break;
        case Kind::TableCell:
            m_html += m_inHeaderRow ? "</th>"_L1 : "</td>"_L1;
            break;
        default:
            break;
        }
    }

    // A tight list's paragraphs carry no <p>, as in cmark, unless their item was flattened.
    bool isTight(cmark_node *paragraph) const
    {
        cmark_node *item = cmark_node_parent(paragraph);
        if (!item || cmark_node_get_type(item) != CMARK_NODE_ITEM)
            return false;
        cmark_node *list = cmark_node_parent(item);
        return list && cmark_node_get_list_tight(list) && m_blockDepth <= kMaxBlockNesting;
    }

    void openList(cmark_node *list, int itemsBefore)
    {
        if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
            const int start = cmark_node_get_list_start(list) + itemsBefore;
            m_html += start == 1 ? u"<ol>\n"_s : u"<ol start=\"%1\">\n"_s.arg(start);
        } else {
            m_html += "<ul>\n"_L1;
        }
    }

    void closeList(cmark_node *list)
    {
        m_html
            += cmark_node_get_list_type(list) == CMARK_ORDERED_LIST ? "</ol>\n"_L1 : "</ul>\n"_L1;
    }

    void flushTaskMark()
    {
        m_html += m_pendingTaskMark;
        m_pendingTaskMark.clear();
    }

    void openInline(const QString &tag)
    {
        if (++m_inlineDepth <= kMaxInlineNesting)
            m_html += tag;
    }

    void closeInline(const QString &tag)
    {
        if (m_inlineDepth-- <= kMaxInlineNesting)
            m_html += tag;
    }

    void writeCodeBlock(cmark_node *node)
    {
        const int index = int(m_codeBlocks.size());
        const QString code = codeBlockText(node);
        m_codeBlocks.append(code);
        const QString language = fenceLanguage(node);
        if (!language.isEmpty() || !m_options.copyLabel.isEmpty()) {
            m_html += "<p class=\"code-header\">"_L1;
            if (!language.isEmpty())
                m_html += "<span class=\"code-language\">"_L1 + escaped(language) + "</span>"_L1;
            if (!language.isEmpty() && !m_options.copyLabel.isEmpty())
                m_html += "&nbsp;&nbsp;"_L1;
            if (!m_options.copyLabel.isEmpty()) {
                m_html += "<a href=\""_L1 + MarkdownRenderer::copyLinkUrl(index) + "\">"_L1
                    + escaped(m_options.copyLabel) + "</a>"_L1;
            }
            m_html += "</p>\n"_L1;
        }
        m_html += "<pre class=\"code\">"_L1 + escaped(code) + "</pre>\n"_L1;
    }

    // Images are never fetched: an http(s) image becomes a link to it, anything else its alt
    // text.
    void writeImage(cmark_node *node)
    {
        const QString url = utf8(cmark_node_get_url(node));
        const QString alt = plainTextBelow(node);
        const auto href = m_openAnchors == 0 ? safeHref(url) : std::nullopt;
        if (href && (href->startsWith("http:"_L1) || href->startsWith("https:"_L1))) {
            m_html += "<a href=\""_L1 + escaped(*href) + "\">"_L1
                + escaped(alt.isEmpty() ? url : alt) + "</a>"_L1;
        } else {
            // Without alt text the address at least tells the reader something was there.
            m_html += escaped(alt.isEmpty() ? url : alt);
        }
    }

    const MarkdownOptions &m_options;
    QString m_html;
    QStringList m_codeBlocks;
    QString m_pendingTaskMark;
    int m_blockDepth = 0;
    int m_inlineDepth = 0;
    int m_openAnchors = 0;
    QList<int> m_listItems;    // per open list: how many of its items were entered
    QList<bool> m_linkEmitted; // per open link node: whether it became an <a>
    uint8_t *m_tableAlignments = nullptr;
    uint16_t m_tableColumns = 0;
    uint16_t m_column = 0;
    bool m_inHeaderRow = false;
};

} // namespace

RenderedMarkdown MarkdownRenderer::render(QStringView markdown, const MarkdownOptions &options)
{
    const ParsedDocument document = parse(markdown);
    if (!document)
        return {};
    return HtmlWriter(options).write(document.get());
}

QString MarkdownRenderer::toHtml(QStringView markdown, const MarkdownOptions &options)
{
    return render(markdown, options).html;
}

QStringList MarkdownRenderer::codeBlocks(QStringView markdown)
{
    return render(markdown).codeBlocks;
}

QString MarkdownRenderer::toPlainText(QStringView markdown)
{
    const ParsedDocument document = parse(markdown);
    if (!document)
        return {};
    QString text;
    Iterator iter(cmark_iter_new(document.get()));
    cmark_event_type event;
    while ((event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(iter.get());
        const Kind kind = kindOf(node);
        if (event == CMARK_EVENT_ENTER) {
            switch (kind) {
            case Kind::TaskItem:
                text += cmark_gfm_extensions_get_tasklist_item_checked(node) ? u"\u2611 "_s
                                                                             : u"\u2610 "_s;
                break;
            case Kind::Text:
            case Kind::Code:
            case Kind::HtmlInline:
                text += literal(node);
                break;
            case Kind::CodeBlock:
                text += codeBlockText(node) + u'\n';
                break;
            case Kind::HtmlBlock:
                text += literal(node);
                break;
            case Kind::SoftBreak:
                text += u' ';
                break;
            case Kind::LineBreak:
                text += u'\n';
                break;
            default:
                break;
            }
        } else {
            switch (kind) {
            case Kind::Paragraph:
            case Kind::Heading:
            case Kind::TableHeader:
            case Kind::TableRow:
                text += u'\n';
                break;
            case Kind::TableCell:
                text += u'\t';
                break;
            default:
                break;
            }
        }
    }
    // Table rows end with a cell separator before their newline.
    text.replace("\t\n"_L1, "\n"_L1);
    return text.trimmed();
}

QString MarkdownRenderer::copyLinkUrl(int index)
{
    return kCopyScheme + QString::number(index);
}

std::optional<int> MarkdownRenderer::copyLinkIndex(QStringView href)
{
    if (!href.startsWith(kCopyScheme))
        return std::nullopt;
    bool ok = false;
    const int index = href.mid(kCopyScheme.size()).toInt(&ok);
    if (!ok || index < 0)
        return std::nullopt;
    return index;
}

bool MarkdownRenderer::isAllowedLink(QStringView url)
{
    return safeHref(url).has_value();
}

} // namespace confab
