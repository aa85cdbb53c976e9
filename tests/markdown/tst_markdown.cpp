#include "markdown/markdownrenderer.h"

#include <QAbstractTextDocumentLayout>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextTable>
#include <QThread>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

QString goldenDir()
{
    return QStringLiteral(CONFAB_MARKDOWN_GOLDEN_DIR);
}

QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// Records every resource QTextDocument asks for instead of loading it: the default
// implementation reads local files, which a message must never make it do.
class RecordingDocument final : public QTextDocument
{
public:
    QList<QUrl> requests;

protected:
    QVariant loadResource(int type, const QUrl &name) override
    {
        Q_UNUSED(type);
        requests.append(name);
        return {};
    }
};

struct DocumentFacts
{
    QStringList hrefs;
    int images = 0;
    int tables = 0;
    int struckOut = 0;
    int fixedPitch = 0;
};

// Lays the document out and paints it, as the view would, then reports what it holds.
DocumentFacts layOutAndInspect(RecordingDocument &document, const QString &html)
{
    document.setHtml(html);
    document.setTextWidth(600);
    const QSizeF size = document.size();
    QImage image(600, qBound(1, int(size.height()), 4000), QImage::Format_ARGB32);
    QPainter painter(&image);
    document.drawContents(&painter);
    painter.end();

    DocumentFacts facts;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().nonBreakableLines())
            ++facts.fixedPitch; // <pre> blocks
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            if (format.isImageFormat())
                ++facts.images;
            if (format.isAnchor() && !format.anchorHref().isEmpty())
                facts.hrefs.append(format.anchorHref());
            if (format.fontStrikeOut())
                ++facts.struckOut;
        }
        if (qobject_cast<QTextTable *>(document.frameAt(block.position())))
            ++facts.tables;
    }
    return facts;
}

bool isAllowedHref(const QString &href)
{
    return href.startsWith("http://"_L1) || href.startsWith("https://"_L1)
        || href.startsWith("mailto:"_L1) || MarkdownRenderer::copyLinkIndex(href).has_value();
}

QStringList hrefsIn(const QString &html)
{
    static const QRegularExpression href(u"href=\"([^\"]*)\""_s);
    QStringList found;
    for (auto it = href.globalMatch(html); it.hasNext();)
        found.append(it.next().captured(1));
    return found;
}

} // namespace

class MarkdownTest final : public QObject
{
    Q_OBJECT

private slots:
    void shouldMatchGoldenFiles_data()
    {
        QTest::addColumn<QString>("input");
        const QStringList inputs
            = QDir(goldenDir()).entryList({u"*.md"_s}, QDir::Files, QDir::Name);
        QVERIFY2(inputs.size() >= 12, "the golden inputs are missing");
        for (const QString &name : inputs)
            QTest::newRow(qUtf8Printable(name)) << QDir(goldenDir()).filePath(name);
    }

    void shouldMatchGoldenFiles()
    {
        QFETCH(QString, input);
        const QString html = MarkdownRenderer::toHtml(readText(input));
        QString expectedPath = input;
        expectedPath.replace(QRegularExpression(u"\\.md$"_s), u".html"_s);

        // scripts/refresh-markdown-golden.sh sets this to rewrite the expected files.
        if (qEnvironmentVariableIsSet("CONFAB_REFRESH_GOLDEN")) {
            QFile out(expectedPath);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(html.toUtf8() + '\n');
            return;
        }
        QVERIFY2(QFile::exists(expectedPath), qUtf8Printable(expectedPath));
        QCOMPARE(html + u'\n', readText(expectedPath));
    }

    void shouldRenderGoldenFilesWithoutRequestingResources_data() { shouldMatchGoldenFiles_data(); }

    void shouldRenderGoldenFilesWithoutRequestingResources()
    {
        QFETCH(QString, input);
        RecordingDocument document;
        const DocumentFacts facts
            = layOutAndInspect(document, MarkdownRenderer::toHtml(readText(input)));
        QVERIFY2(document.requests.isEmpty(),
                 qUtf8Printable(document.requests.value(0).toString()));
        QCOMPARE(facts.images, 0);
        for (const QString &href : facts.hrefs)
            QVERIFY2(isAllowedHref(href), qUtf8Printable(href));
    }

    void shouldNeverFetchOrLinkLocalResources_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("forbidden");
        QTest::newRow("image with absolute path") << u"![](/etc/hostname)"_s << u"/etc/hostname"_s;
        QTest::newRow("image with file url") << u"![x](file:///etc/passwd)"_s << u"/etc/passwd"_s;
        QTest::newRow("javascript link") << u"[a](javascript:alert(1))"_s << u"javascript"_s;
        QTest::newRow("raw img tag") << u"<img src=\"/etc/hostname\">"_s << u"/etc/hostname"_s;
        QTest::newRow("inline raw img tag")
            << u"see <img src=\"/etc/hostname\"> here"_s << u"/etc/hostname"_s;
        QTest::newRow("raw anchor to file") << u"<a href=\"file:///etc\">x</a>"_s << u"file:"_s;
        QTest::newRow("reference image")
            << u"![logo][l]\n\n[l]: /etc/hostname"_s << u"/etc/hostname"_s;
        QTest::newRow("data image") << u"![x](data:image/png;base64,AAAA)"_s << u"data:"_s;
        QTest::newRow("relative link") << u"[rel](../secrets.txt)"_s << u"secrets"_s;
        QTest::newRow("autolink to file") << u"<file:///etc/passwd>"_s << u"file:"_s;
        QTest::newRow("qrc image") << u"![icon](qrc:/confab/icon.png)"_s << u"qrc:"_s;
    }

    void shouldNeverFetchOrLinkLocalResources()
    {
        QFETCH(QString, markdown);
        QFETCH(QString, forbidden);
        const QString html = MarkdownRenderer::toHtml(markdown);
        QVERIFY2(!html.contains("<img"_L1, Qt::CaseInsensitive), qUtf8Printable(html));
        for (const QString &href : hrefsIn(html)) {
            QVERIFY2(isAllowedHref(href), qUtf8Printable(html));
            QVERIFY2(!href.contains(forbidden), qUtf8Printable(html));
        }

        RecordingDocument document;
        const DocumentFacts facts = layOutAndInspect(document, html);
        QVERIFY2(document.requests.isEmpty(),
                 qUtf8Printable(document.requests.value(0).toString()));
        QCOMPARE(facts.images, 0);
        QVERIFY(facts.hrefs.isEmpty());
    }

    void shouldShowRawHtmlAsText()
    {
        RecordingDocument document;
        layOutAndInspect(document,
                         MarkdownRenderer::toHtml(u"a <b>bold?</b> <script>x</script>"_s));
        QCOMPARE(document.toPlainText(), u"a <b>bold?</b> <script>x</script>"_s);
    }

    void shouldKeepOnlyWebAndMailLinks_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("http") << u"http://example.com"_s << true;
        QTest::newRow("https with path") << u"https://example.com/a?b=c#d"_s << true;
        QTest::newRow("upper-case scheme") << u"HTTPS://example.com"_s << true;
        QTest::newRow("mailto") << u"mailto:someone@example.com"_s << true;
        QTest::newRow("javascript") << u"javascript:alert(1)"_s << false;
        QTest::newRow("javascript mixed case") << u"JaVaScRiPt:alert(1)"_s << false;
        QTest::newRow("file") << u"file:///etc/passwd"_s << false;
        QTest::newRow("data") << u"data:text/html,hi"_s << false;
        QTest::newRow("absolute path") << u"/etc/hostname"_s << false;
        QTest::newRow("relative path") << u"docs/readme.md"_s << false;
        QTest::newRow("no host") << u"http:///path"_s << false;
        QTest::newRow("ftp") << u"ftp://example.com"_s << false;
        QTest::newRow("empty mailto") << u"mailto:"_s << false;
        QTest::newRow("empty") << QString() << false;
    }

    void shouldKeepOnlyWebAndMailLinks()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        QCOMPARE(MarkdownRenderer::isAllowedLink(url), allowed);
        const QString html = MarkdownRenderer::toHtml(QString(u"[label](<"_s + url + u">)"_s));
        QCOMPARE(html.contains("<a href="_L1), allowed);
        QVERIFY(html.contains("label"_L1));
    }

    void shouldRenderWhatQTextDocumentUnderstands()
    {
        const QString markdown = u"| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n"
                                 "```cpp\nint x = 1;\n```\n"_s;
        RecordingDocument document;
        const DocumentFacts facts = layOutAndInspect(document, MarkdownRenderer::toHtml(markdown));
        QVERIFY(facts.tables >= 1);
        QVERIFY(facts.struckOut >= 1);
        QVERIFY(facts.fixedPitch >= 1);
        QCOMPARE(facts.hrefs, QStringList{MarkdownRenderer::copyLinkUrl(0)});
        QVERIFY(document.toPlainText().contains("int x = 1;"_L1));
    }

    void shouldRenderTaskItemsAsCharacters()
    {
        const QString html = MarkdownRenderer::toHtml(u"- [ ] todo\n- [x] done\n"_s);
        QVERIFY(!html.contains("<input"_L1));
        QVERIFY(html.contains(u"\u2610 todo"_s));
        QVERIFY(html.contains(u"\u2611 done"_s));
    }

    void shouldNumberCopyLinksLikeCodeBlocks()
    {
        const QString markdown = u"```js\nfirst()\n```\n\ntext\n\n    second\n\n"
                                 "- item\n\n  ```\n  third\n  ```\n"_s;
        const RenderedMarkdown rendered = MarkdownRenderer::render(markdown);
        QCOMPARE(rendered.codeBlocks, (QStringList{u"first()"_s, u"second"_s, u"third"_s}));
        QCOMPARE(MarkdownRenderer::codeBlocks(markdown), rendered.codeBlocks);
        QCOMPARE(hrefsIn(rendered.html),
                 (QStringList{u"confab-copy:0"_s, u"confab-copy:1"_s, u"confab-copy:2"_s}));
        QCOMPARE(MarkdownRenderer::copyLinkIndex(u"confab-copy:2"), 2);
        QCOMPARE(MarkdownRenderer::copyLinkIndex(u"confab-copy:-1"), std::nullopt);
        QCOMPARE(MarkdownRenderer::copyLinkIndex(u"https://x/confab-copy:1"), std::nullopt);

        MarkdownOptions noCopy;
        noCopy.copyLabel.clear();
        QVERIFY(hrefsIn(MarkdownRenderer::toHtml(markdown, noCopy)).isEmpty());
        MarkdownOptions translated;
        translated.copyLabel = u"复制"_s;
        QVERIFY(MarkdownRenderer::toHtml(markdown, translated).contains(u">复制</a>"_s));
    }

    void shouldSplitVeryLongListsAndKeepNumbering()
    {
        const QString html = MarkdownRenderer::toHtml(QString(u"1. item\n"_s).repeated(450));
        QCOMPARE(html.count("<li>"_L1), 450);
        QCOMPARE(html.count("<ol"_L1), 3);
        QCOMPARE(html.count("</ol>"_L1), 3);
        QVERIFY(html.contains("<ol start=\"201\">"_L1));
        QVERIFY(html.contains("<ol start=\"401\">"_L1));

        RecordingDocument document;
        layOutAndInspect(document, html);
        QVERIFY(document.toPlainText().count("item"_L1) == 450);
    }

    void shouldHonourHardBreaks()
    {
        MarkdownOptions options;
        options.hardBreaks = true;
        QVERIFY(MarkdownRenderer::toHtml(u"one\ntwo"_s, options).contains("one<br/>"_L1));
        QVERIFY(!MarkdownRenderer::toHtml(u"one\ntwo"_s).contains("<br/>"_L1));
    }

    void shouldProducePlainText_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("text");
        QTest::newRow("emphasis") << u"**Vue3** 的 *新* 特性"_s << u"Vue3 的 新 特性"_s;
        QTest::newRow("heading and paragraph")
            << u"# Title\n\nBody text"_s << u"Title\nBody text"_s;
        QTest::newRow("link") << u"see [the docs](https://x.y)"_s << u"see the docs"_s;
        QTest::newRow("image") << u"![a cat](https://x.y/c.png)"_s << u"a cat"_s;
        QTest::newRow("code") << u"`x = 1` and\n```\nblock\n```"_s << u"x = 1 and\nblock"_s;
        QTest::newRow("raw html kept as text") << u"<b>hi</b>"_s << u"<b>hi</b>"_s;
        QTest::newRow("table") << u"|a|b|\n|-|-|\n|1|2|"_s << u"a\tb\n1\t2"_s;
        QTest::newRow("empty") << QString() << QString();
    }

    void shouldProducePlainText()
    {
        QFETCH(QString, markdown);
        QFETCH(QString, text);
        QCOMPARE(MarkdownRenderer::toPlainText(markdown), text);
    }

    void shouldCapNestingDepth()
    {
        const QString html
            = MarkdownRenderer::toHtml(QString(QString(u"> "_s).repeated(1000) + u"deep"_s));
        QCOMPARE(html.count("<blockquote>"_L1), 32);
        QCOMPARE(html.count("</blockquote>"_L1), 32);
        QVERIFY(html.contains("deep"_L1));

        const QString emphasis = MarkdownRenderer::toHtml(QString(
            QString(u"*a **a "_s).repeated(200) + u"b"_s + QString(u" a** a*"_s).repeated(200)));
        QCOMPARE(emphasis.count("<em>"_L1), emphasis.count("</em>"_L1));
        QCOMPARE(emphasis.count("<strong>"_L1), emphasis.count("</strong>"_L1));
        QVERIFY(emphasis.count("<em>"_L1) + emphasis.count("<strong>"_L1) <= 16);
    }

    void shouldRenderPathologicalInputQuickly_data()
    {
        QTest::addColumn<QString>("markdown");
        const int n = 50'000;
        QTest::newRow("50k stars") << QString(n, u'*');
        QTest::newRow("50k underscores") << QString(n, u'_');
        QTest::newRow("50k open brackets") << QString(n, u'[');
        QTest::newRow("50k close brackets") << QString(n, u']');
        QTest::newRow("50k backticks") << QString(n, u'`');
        QTest::newRow("backtick runs") << QString(u"e`"_s).repeated(n / 2) + QString(n / 2, u'`');
        QTest::newRow("50k less-than") << QString(n, u'<');
        QTest::newRow("50k nested quotes") << QString(u"> "_s).repeated(n) + u"a"_s;
        QTest::newRow("50k quote lines") << QString(u">\n"_s).repeated(n);
        QTest::newRow("nested bullet lists") << QString(u"- "_s).repeated(n / 2) + u"a"_s;
        QTest::newRow("nested ordered lists") << QString(u"1. "_s).repeated(n / 3) + u"a"_s;
        QString indented;
        for (int i = 0; i < 1000; ++i)
            indented += QString(i, u' ') + u"* a\n"_s;
        QTest::newRow("1000 indented list levels") << indented;
        QTest::newRow("nested strong emphasis") << QString(u"*a **a "_s).repeated(n / 4) + u"b"_s
                + QString(u" a** a*"_s).repeated(n / 4);
        QTest::newRow("emphasis closers without openers") << QString(u"a_ "_s).repeated(n);
        QTest::newRow("emphasis openers without closers") << QString(u"_a "_s).repeated(n);
        QTest::newRow("mismatched openers and closers") << QString(u"*a_ "_s).repeated(n / 2);
        QTest::newRow("openers and closers multiple of 3")
            << u"a**b"_s + QString(u"c* "_s).repeated(n);
        QTest::newRow("link closers") << QString(u"a]"_s).repeated(n);
        QTest::newRow("link openers") << QString(u"[a"_s).repeated(n);
        QTest::newRow("link openers and emphasis closers") << QString(u"[ a_"_s).repeated(n / 2);
        QTest::newRow("bracket paren pattern") << QString(u"[ (]("_s).repeated(n / 2);
        QTest::newRow("nested brackets") << QString(n / 2, u'[') + u"a"_s + QString(n / 2, u']');
        QTest::newRow("unclosed link destinations") << QString(u"[a](<b"_s).repeated(n / 2);
        QTest::newRow("unclosed inline html") << QString(u"<a href=\""_s).repeated(n / 4);
        QTest::newRow("many tildes") << QString(u"~~a "_s).repeated(n / 2);
        QTest::newRow("table with many rows")
            << u"| a | b |\n|---|---|\n"_s + QString(u"| x | y |\n"_s).repeated(n / 5);
        QTest::newRow("table with many columns") << QString(u"|a"_s).repeated(2000) + u"|\n"_s
                + QString(u"|-"_s).repeated(2000) + u"|\n"_s + QString(u"|x"_s).repeated(2000)
                + u"|\n"_s;
        QTest::newRow("table with 12500 columns") << QString(u"|a"_s).repeated(12'500) + u"|\n"_s
                + QString(u"|-"_s).repeated(12'500) + u"|\n"_s;
        QTest::newRow("many list items") << QString(u"- t\n"_s).repeated(n / 5);
        QTest::newRow("table rows of pipes") << u"a|b\n-|-\n"_s + QString(u"|\n"_s).repeated(n / 2);
        QTest::newRow("many autolinks") << QString(u"www.a.com "_s).repeated(n / 5);
        QTest::newRow("autolink-ish text") << QString(u"www."_s).repeated(n / 2);
        QTest::newRow("many email-ish") << QString(u"a@"_s).repeated(n / 2);
        QTest::newRow("many task items") << QString(u"- [ ] t\n"_s).repeated(n / 5);
        QTest::newRow("many fences") << QString(u"```\n"_s).repeated(n / 2);
        QTest::newRow("many entities") << QString(u"&amp;&#x41;&#99999999;"_s).repeated(n / 10);
        QTest::newRow("NULs") << QString(n, QChar(0));
    }

    void shouldRenderPathologicalInputQuickly()
    {
        QFETCH(QString, markdown);
        QElapsedTimer timer;
        timer.start();
        const QString html = MarkdownRenderer::toHtml(markdown);
        const qint64 renderMs = timer.elapsed();

        timer.restart();
        QTextDocument document;
        document.setHtml(html);
        document.setTextWidth(600);
        (void)document.size();
        const qint64 layoutMs = timer.elapsed();

        qInfo("%s: %d chars, render %lld ms, QTextDocument %lld ms", QTest::currentDataTag(),
              int(markdown.size()), renderMs, layoutMs);
        QVERIFY2(renderMs < 1000, qUtf8Printable(u"render took %1 ms"_s.arg(renderMs)));
        QVERIFY(!html.contains("<img"_L1));
    }

    void shouldRenderFromManyThreadsAtOnce()
    {
        const QString markdown = readText(QDir(goldenDir()).filePath(u"tables.md"_s))
            + readText(QDir(goldenDir()).filePath(u"task_lists.md"_s));
        const QString expected = MarkdownRenderer::toHtml(markdown);
        std::vector<std::unique_ptr<QThread>> threads;
        std::vector<int> mismatches(8, 0);
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back(QThread::create([&, t] {
                for (int i = 0; i < 50; ++i) {
                    if (MarkdownRenderer::toHtml(markdown) != expected)
                        ++mismatches[t];
                }
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(30'000));
        for (int count : mismatches)
            QCOMPARE(count, 0);
    }
};

QTEST_MAIN(MarkdownTest)
#include "tst_markdown.moc"
