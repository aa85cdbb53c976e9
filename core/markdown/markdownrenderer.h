#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

// Turns untrusted markdown (model output, imported chats) into an HTML fragment in the
// subset QTextDocument understands. Raw HTML is shown as text, links other than
// http/https/mailto become plain text and images are never emitted as <img>, so rendering
// a message can neither run anything nor fetch anything.

namespace confab {

struct MarkdownOptions
{
    // Text of the link placed above each code block; the app passes its translation.
    // Empty leaves the link out.
    QString copyLabel = QStringLiteral("Copy");
    // Chat users often mean a single newline as a line break, unlike CommonMark.
    bool hardBreaks = false;
};

struct RenderedMarkdown
{
    QString html;
    // The text of each code block; the copy link of block i is copyLinkUrl(i).
    QStringList codeBlocks;
};

class MarkdownRenderer
{
public:
    static RenderedMarkdown render(QStringView markdown, const MarkdownOptions &options = {});
    static QString toHtml(QStringView markdown, const MarkdownOptions &options = {});
    // The code blocks of markdown, numbered as render() numbers their copy links.
    static QStringList codeBlocks(QStringView markdown);
    // The readable text without markup, for titles, snippets and search.
    static QString toPlainText(QStringView markdown);

    // "confab-copy:N": the href the view handles itself to copy code block N.
    static QString copyLinkUrl(int index);
    static std::optional<int> copyLinkIndex(QStringView href);
    // Whether a link target may become a clickable link (http, https, mailto).
    static bool isAllowedLink(QStringView url);
};

} // namespace confab
