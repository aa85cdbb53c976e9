// libFuzzer target: MarkdownRenderer on arbitrary bytes. Besides crashes and sanitizer reports
// it checks the safety promises: only tags the renderer itself writes, never <img>, and no
// href other than http, https, mailto or the view's confab-copy links.

#include "markdown/markdownrenderer.h"

#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

[[noreturn]] void fail(const char *what, const QString &html)
{
    std::fprintf(stderr, "fuzz_markdown: %s\n--- html ---\n%s\n", what, qPrintable(html));
    std::abort();
}

bool isWrittenTag(QStringView name)
{
    static const QStringList tags{
        u"p"_s,  u"a"_s,    u"em"_s, u"strong"_s, u"s"_s,  u"code"_s,  u"pre"_s, u"blockquote"_s,
        u"ul"_s, u"ol"_s,   u"li"_s, u"hr"_s,     u"br"_s, u"table"_s, u"tr"_s,  u"th"_s,
        u"td"_s, u"span"_s, u"h1"_s, u"h2"_s,     u"h3"_s, u"h4"_s,    u"h5"_s,  u"h6"_s};
    return tags.contains(name);
}

void checkTags(const QString &html)
{
    for (qsizetype i = html.indexOf(u'<'); i >= 0; i = html.indexOf(u'<', i + 1)) {
        qsizetype start = i + 1;
        if (start < html.size() && html.at(start) == u'/')
            ++start;
        qsizetype end = start;
        while (end < html.size() && html.at(end).isLetterOrNumber())
            ++end;
        if (!isWrittenTag(QStringView(html).mid(start, end - start)))
            fail("a tag the renderer does not write reached the output", html);
    }
}

void checkLinks(const QString &html)
{
    if (html.contains("<img"_L1, Qt::CaseInsensitive))
        fail("an image reached the output", html);
    constexpr auto attribute = "href=\""_L1;
    for (qsizetype i = html.indexOf(attribute); i >= 0; i = html.indexOf(attribute, i + 1)) {
        const qsizetype start = i + attribute.size();
        const qsizetype end = html.indexOf(u'"', start);
        if (end < 0)
            fail("an unterminated href", html);
        const QStringView href = QStringView(html).mid(start, end - start);
        const bool allowed = href.startsWith("http://"_L1) || href.startsWith("https://"_L1)
            || href.startsWith("mailto:"_L1) || MarkdownRenderer::copyLinkIndex(href).has_value();
        if (!allowed)
            fail("a link with a forbidden scheme", html);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString markdown
        = QString::fromUtf8(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));

    const RenderedMarkdown rendered = MarkdownRenderer::render(markdown);
    checkTags(rendered.html);
    checkLinks(rendered.html);
    // Every copy link must name a code block the view can copy.
    for (qsizetype i = rendered.html.indexOf("confab-copy:"_L1); i >= 0;
         i = rendered.html.indexOf("confab-copy:"_L1, i + 1)) {
        const qsizetype end = rendered.html.indexOf(u'"', i);
        const auto index
            = MarkdownRenderer::copyLinkIndex(QStringView(rendered.html).mid(i, end - i));
        if (!index || *index >= rendered.codeBlocks.size())
            fail("a copy link without its code block", rendered.html);
    }

    MarkdownOptions options;
    options.hardBreaks = true;
    options.copyLabel.clear();
    const QString plain = MarkdownRenderer::toHtml(markdown, options);
    checkTags(plain);
    checkLinks(plain);
    (void)MarkdownRenderer::toPlainText(markdown);
    return 0;
}
