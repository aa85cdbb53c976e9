#include "searchpattern.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Trigrams are made of code points, not UTF-16 units.
qsizetype codePointCount(const QString &text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!text.at(i).isLowSurrogate())
            ++count;
    }
    return count;
}

// Moves a cut position off the middle of a surrogate pair.
qsizetype safeCut(const QString &text, qsizetype position)
{
    if (position > 0 && position < text.size() && text.at(position).isLowSurrogate())
        return position - 1;
    return position;
}

QString oneLine(QStringView text)
{
    QString line;
    line.reserve(text.size());
    bool space = false;
    for (const QChar c : text) {
        if (c.isSpace()) {
            space = true;
            continue;
        }
        if (space && !line.isEmpty())
            line.append(u' ');
        space = false;
        line.append(c);
    }
    return line;
}

} // namespace

SearchPattern::SearchPattern(const QString &text)
    : m_text(text.trimmed())
    , m_usesIndex(codePointCount(m_text) >= 3)
{}

QString SearchPattern::ftsQuery() const
{
    // Trigrams of code points, as the tokenizer makes them.
    QList<qsizetype> starts;
    for (qsizetype i = 0; i < m_text.size(); ++i) {
        if (!m_text.at(i).isLowSurrogate())
            starts.append(i);
    }
    starts.append(m_text.size());
    QList<QString> trigrams;
    for (qsizetype i = 0; i + 3 < starts.size(); ++i) {
        const QString trigram = m_text.mid(starts.at(i), starts.at(i + 3) - starts.at(i));
        if (!trigrams.contains(trigram))
            trigrams.append(trigram);
    }
    // A long query needs only some of its trigrams to find few candidates; the first and last
    // always among them. LIKE checks the rest.
    constexpr qsizetype maxTrigrams = 12;
    if (trigrams.size() > maxTrigrams) {
        QList<QString> spread;
        for (qsizetype i = 0; i < maxTrigrams; ++i)
            spread.append(trigrams.at(i * (trigrams.size() - 1) / (maxTrigrams - 1)));
        trigrams = spread;
    }
    QStringList terms;
    for (QString trigram : std::as_const(trigrams)) {
        // Inside an FTS5 string only the double quote is special (doubled to escape it).
        trigram.replace(u'"', u"\"\""_s);
        terms.append(u'"' + trigram + u'"');
    }
    return terms.join(u" AND "_s);
}

QString SearchPattern::likePattern() const
{
    QString escaped;
    escaped.reserve(m_text.size() + 4);
    for (const QChar c : m_text) {
        if (c == u'\\' || c == u'%' || c == u'_')
            escaped.append(u'\\');
        escaped.append(c);
    }
    return u'%' + escaped + u'%';
}

QString SearchPattern::snippet(const QString &content, int context) const
{
    qsizetype at = m_text.isEmpty() ? -1 : content.indexOf(m_text, 0, Qt::CaseInsensitive);
    qsizetype matchLength = m_text.size();
    if (at < 0) {
        at = 0;
        matchLength = 0;
    }
    const qsizetype from = safeCut(content, qMax<qsizetype>(0, at - context));
    const qsizetype to = safeCut(content, qMin(content.size(), at + matchLength + 2 * context));
    QString snippet = oneLine(QStringView(content).mid(from, to - from));
    if (from > 0)
        snippet.prepend(u"…"_s);
    if (to < content.size())
        snippet.append(u"…"_s);
    return snippet;
}

} // namespace confab
