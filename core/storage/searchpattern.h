#pragma once

#include <QString>

// Turns what a user typed into a search box into literal SQL search terms. Every search is a
// LIKE on the text (case-insensitive for ASCII letters, as SQLite's LIKE is); for 3 or more
// characters an FTS5 query over the text's trigrams first narrows the rows to candidates.
// Whatever the text holds (quotes, *, OR, %, _, SQL) it is matched literally.

namespace confab {

class SearchPattern final
{
public:
    explicit SearchPattern(const QString &text);

    bool isEmpty() const { return m_text.isEmpty(); }
    // Whether the full-text index can answer this text.
    bool usesIndex() const { return m_usesIndex; }
    const QString &text() const { return m_text; }

    // The text's trigrams ANDed, for `messages_fts MATCH ?`: every row containing the text
    // matches (and some that do not: the index has no positions). Only when usesIndex().
    QString ftsQuery() const;
    // %text% with %, _ and \ escaped, for `LIKE ? ESCAPE '\'`.
    QString likePattern() const;

    // The first match in content with some context either side, on one line.
    QString snippet(const QString &content, int context = 60) const;

private:
    QString m_text;
    bool m_usesIndex = false;
};

} // namespace confab
