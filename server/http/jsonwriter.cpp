#include "jsonwriter.h"

#include <QChar>

#include <algorithm>
#include <charconv>

namespace confab {

namespace {

char hexDigit(unsigned value)
{
    return "0123456789abcdef"[value & 0xf];
}

// \uXXXX, as QJsonDocument writes control characters and lone surrogates.
char *writeEscape(char *out, char16_t unit)
{
    *out++ = '\\';
    *out++ = 'u';
    for (int shift = 12; shift >= 0; shift -= 4)
        *out++ = hexDigit(unit >> shift);
    return out;
}

} // namespace

QByteArray JsonWriter::take()
{
    m_out.truncate(m_used);
    m_used = 0;
    return std::move(m_out);
}

char *JsonWriter::room(qsizetype size)
{
    if (m_out.size() - m_used < size)
        m_out.resize(std::max(2 * m_out.size(), m_used + size));
    return m_out.data() + m_used;
}

void JsonWriter::append(QByteArrayView bytes)
{
    char *out = room(bytes.size());
    commit(std::copy(bytes.begin(), bytes.end(), out));
}

void JsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
    } else if (!m_empty.isEmpty()) {
        if (!m_empty.last())
            append(",");
        m_empty.last() = false;
    }
}

void JsonWriter::open(char bracket)
{
    separate();
    append(QByteArrayView(&bracket, 1));
    m_empty.append(true);
}

void JsonWriter::close(char bracket)
{
    m_empty.removeLast();
    append(QByteArrayView(&bracket, 1));
}

void JsonWriter::beginObject()
{
    open('{');
}

void JsonWriter::endObject()
{
    close('}');
}

void JsonWriter::beginArray()
{
    open('[');
}

void JsonWriter::endArray()
{
    close(']');
}

void JsonWriter::key(QByteArrayView name)
{
    separate();
    char *out = room(name.size() + 3);
    *out++ = '"';
    out = std::copy(name.begin(), name.end(), out);
    *out++ = '"';
    *out++ = ':';
    commit(out);
    m_afterKey = true;
}

void JsonWriter::string(QStringView text)
{
    separate();
    // The worst case: every unit written as \uXXXX.
    char *out = room(6 * text.size() + 2);
    *out++ = '"';
    const char16_t *unit = text.utf16();
    const char16_t *const end = unit + text.size();
    while (unit != end) {
        const char16_t c = *unit++;
        if (c < 0x80) {
            if (c >= 0x20 && c != u'"' && c != u'\\') {
                *out++ = char(c);
                continue;
            }
            switch (c) {
            case u'"':
            case u'\\':
                *out++ = '\\';
                *out++ = char(c);
                break;
            case u'\b':
                *out++ = '\\';
                *out++ = 'b';
                break;
            case u'\f':
                *out++ = '\\';
                *out++ = 'f';
                break;
            case u'\n':
                *out++ = '\\';
                *out++ = 'n';
                break;
            case u'\r':
                *out++ = '\\';
                *out++ = 'r';
                break;
            case u'\t':
                *out++ = '\\';
                *out++ = 't';
                break;
            default:
                out = writeEscape(out, c);
            }
        } else if (c < 0x800) {
            *out++ = char(0xc0 | (c >> 6));
            *out++ = char(0x80 | (c & 0x3f));
        } else if (!QChar::isSurrogate(c)) {
            *out++ = char(0xe0 | (c >> 12));
            *out++ = char(0x80 | ((c >> 6) & 0x3f));
            *out++ = char(0x80 | (c & 0x3f));
        } else if (QChar::isHighSurrogate(c) && unit != end && QChar::isLowSurrogate(*unit)) {
            const char32_t code = QChar::surrogateToUcs4(c, *unit++);
            *out++ = char(0xf0 | (code >> 18));
            *out++ = char(0x80 | ((code >> 12) & 0x3f));
            *out++ = char(0x80 | ((code >> 6) & 0x3f));
            *out++ = char(0x80 | (code & 0x3f));
        } else {
            out = writeEscape(out, c);
        }
    }
    *out++ = '"';
    commit(out);
}

void JsonWriter::string(QLatin1StringView text)
{
    separate();
    char *out = room(text.size() + 2);
    *out++ = '"';
    out = std::copy(text.begin(), text.end(), out);
    *out++ = '"';
    commit(out);
}

void JsonWriter::number(qint64 value)
{
    separate();
    constexpr qsizetype maxDigits = 20; // with the sign
    char *out = room(maxDigits);
    commit(std::to_chars(out, out + maxDigits, value).ptr);
}

void JsonWriter::boolean(bool value)
{
    separate();
    append(value ? "true" : "false");
}

void JsonWriter::null()
{
    separate();
    append("null");
}

} // namespace confab
