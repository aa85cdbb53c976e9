#include "sseparser.h"

#include <cstring>
#include <utility>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr QByteArrayView Bom("\xEF\xBB\xBF", 3);

// The next occurrence of c in [from, end), or end. memchr is vectorised; a byte loop is not.
const char *findByte(const char *from, const char *end, char c)
{
    const void *hit = std::memchr(from, c, size_t(end - from));
    return hit ? static_cast<const char *>(hit) : end;
}

} // namespace

SseParser::SseParser(qsizetype maxEventSize)
    : m_maxEventSize(maxEventSize)
{}

QList<SseEvent> SseParser::feed(QByteArrayView bytes)
{
    QList<SseEvent> out;
    if (m_failed || bytes.isEmpty())
        return out;

    if (m_atStart) {
        // The BOM may itself arrive split; hold its first bytes back until it is decided.
        const qsizetype take = std::min(Bom.size() - m_bomProbe.size(), bytes.size());
        m_bomProbe.append(bytes.first(take));
        bytes = bytes.sliced(take);
        if (!Bom.startsWith(m_bomProbe)) {
            m_atStart = false;
            const QByteArray probe = std::exchange(m_bomProbe, {});
            scan(probe, out);
        } else if (m_bomProbe.size() == Bom.size()) {
            m_atStart = false;
            m_bomProbe.clear();
        } else {
            return out; // all of bytes went into the probe
        }
    }
    scan(bytes, out);
    return out;
}

void SseParser::scan(QByteArrayView bytes, QList<SseEvent> &out)
{
    const char *p = bytes.data();
    const char *const end = p + bytes.size();

    if (m_skipLf && p < end) {
        if (*p == '\n')
            ++p;
        m_skipLf = false;
    }

    // Positions of the next LF and CR, searched once and reused until passed, so streams with
    // only one kind of line end stay linear.
    const char *nextLf = nullptr;
    const char *nextCr = nullptr;
    while (p < end && !m_failed) {
        if (!nextLf || nextLf < p)
            nextLf = findByte(p, end, '\n');
        if (!nextCr || nextCr < p)
            nextCr = findByte(p, end, '\r');
        const char *eol = std::min(nextLf, nextCr);

        if (eol == end) {
            if (m_line.size() + (end - p) > m_maxEventSize) {
                fail(u"a line is longer than %1 bytes"_s.arg(m_maxEventSize));
                return;
            }
            m_line.append(p, end - p);
            return;
        }

        const QByteArrayView piece(p, eol - p);
        if (m_line.isEmpty()) {
            if (piece.size() > m_maxEventSize) {
                fail(u"a line is longer than %1 bytes"_s.arg(m_maxEventSize));
                return;
            }
            processLine(piece, out);
        } else {
            if (m_line.size() + piece.size() > m_maxEventSize) {
                fail(u"a line is longer than %1 bytes"_s.arg(m_maxEventSize));
                return;
            }
            m_line.append(piece);
            processLine(m_line, out);
            m_line.clear();
        }

        p = eol + 1;
        if (*eol == '\r') {
            if (p == end)
                m_skipLf = true; // the LF of a CRLF may be the next chunk's first byte
            else if (*p == '\n')
                ++p;
        }
    }
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> &out)
{
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':') {
        ++m_comments;
        return;
    }

    QByteArrayView field = line;
    QByteArrayView value;
    if (const void *colon = std::memchr(line.data(), ':', size_t(line.size()))) {
        const qsizetype at = static_cast<const char *>(colon) - line.data();
        field = line.first(at);
        value = line.sliced(at + 1);
        if (!value.isEmpty() && value.front() == ' ')
            value = value.sliced(1);
    }

    if (field == QByteArrayView("data")) {
        if (m_data.size() + value.size() + 1 > m_maxEventSize) {
            fail(u"an event is larger than %1 bytes"_s.arg(m_maxEventSize));
            return;
        }
        // Separators go before each further line, so no trailing LF has to be cut at dispatch.
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value);
        m_hasData = true;
    } else if (field == QByteArrayView("event")) {
        m_eventType = value.toByteArray();
    } else if (field == QByteArrayView("id")) {
        if (!value.contains('\0'))
            m_lastId = value.toByteArray();
    } else if (field == QByteArrayView("retry")) {
        bool digits = !value.isEmpty() && value.size() <= 15;
        for (const char c : value)
            digits = digits && c >= '0' && c <= '9';
        if (digits)
            m_retryMs = value.toByteArray().toLongLong();
    }
    // Other fields are ignored, as the spec says.
}

void SseParser::dispatch(QList<SseEvent> &out)
{
    if (!m_hasData) {
        m_eventType.clear();
        return;
    }
    out.append(SseEvent{std::exchange(m_eventType, {}), std::exchange(m_data, {}), m_lastId});
    m_hasData = false;
}

QList<SseEvent> SseParser::finish()
{
    // An event without its closing blank line is incomplete and discarded (WHATWG: "If the
    // file ends in the middle of an event, before the final empty line, the incomplete event
    // is not dispatched").
    m_line.clear();
    m_data.clear();
    m_eventType.clear();
    m_bomProbe.clear();
    m_hasData = false;
    m_skipLf = false;
    m_atStart = true;
    return {};
}

void SseParser::fail(const QString &why)
{
    m_failed = true;
    m_errorString = why;
    m_line.clear();
    m_data.clear();
    m_eventType.clear();
    m_hasData = false;
}

} // namespace confab
