#include "httpframer.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// A chunk-size line is "hex[;extensions]"; nobody needs more than this, and it bounds memory.
constexpr qsizetype MaxChunkLineBytes = 1024;

bool isTokenChar(char c)
{
    // RFC 9110 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Field values (and chunk extensions): visible ASCII, obs-text, space and tab; no controls.
bool isFieldValue(QByteArrayView text)
{
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

QByteArrayView trimmedOws(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// Whether a comma-separated list (Connection) names `token`.
bool listHasToken(QByteArrayView list, QByteArrayView token)
{
    while (!list.isEmpty()) {
        const qsizetype comma = list.indexOf(',');
        const QByteArrayView item = comma < 0 ? list : list.first(comma);
        if (equalsIgnoringCase(trimmedOws(item), token))
            return true;
        if (comma < 0)
            break;
        list = list.sliced(comma + 1);
    }
    return false;
}

bool isSupportedMethod(QByteArrayView method)
{
    // What QtHttpServer routes and the API uses. Others (CONNECT, TRACE, WebDAV...) would reach
    // http_parser paths the server never wants, such as CONNECT being treated as an upgrade.
    static constexpr QByteArrayView Supported[]
        = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (const QByteArrayView supported : Supported) {
        if (method == supported)
            return true;
    }
    return false;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// A field line split at its colon, or nullopt when it is not "token:value" with a valid value.
std::optional<std::pair<QByteArrayView, QByteArrayView>> splitField(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return std::nullopt;
    const QByteArrayView name = line.first(colon);
    const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
    // A space before the colon is a smuggling vector (RFC 9112 section 5.1): the name check
    // refuses it along with every other non-token byte.
    if (!isToken(name) || !isFieldValue(value))
        return std::nullopt;
    return std::pair{name, value};
}

} // namespace

QByteArray HttpRequestHead::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (equalsIgnoringCase(key, name))
            return value;
    }
    return {};
}

HttpFramer::HttpFramer(HttpLimits limits)
    : m_limits(limits)
{}

void HttpFramer::reset()
{
    *this = HttpFramer(m_limits);
}

HttpFrameVerdict HttpFramer::feed(QByteArrayView bytes)
{
    if (m_phase == Phase::Rejected)
        return m_rejection;

    HttpFrameVerdict verdict;
    if (m_phase == Phase::Complete) {
        verdict.kind = HttpFrameVerdict::Kind::RequestComplete;
        return verdict;
    }

    qsizetype used = 0;
    if (m_phase == Phase::Idle || m_phase == Phase::Head)
        used += feedHead(bytes, verdict);
    if (m_phase == Phase::Body)
        used += feedBody(bytes.sliced(used), verdict);

    switch (m_phase) {
    case Phase::Rejected:
        return verdict;
    case Phase::Complete:
        verdict.kind = HttpFrameVerdict::Kind::RequestComplete;
        break;
    case Phase::Body:
        verdict.kind = verdict.head ? HttpFrameVerdict::Kind::RequestHeadComplete
                                    : HttpFrameVerdict::Kind::Continue;
        break;
    case Phase::Idle:
    case Phase::Head:
        verdict.kind = HttpFrameVerdict::Kind::Continue;
        break;
    }
    verdict.consumed = used;
    return verdict;
}

qsizetype HttpFramer::feedHead(QByteArrayView bytes, HttpFrameVerdict &verdict)
{
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        m_phase = Phase::Head;
        m_head.append(c);
        if (m_head.size() + m_leadingBytes > m_limits.maxHeaderBytes) {
            reject(verdict, 431,
                   u"The request head is larger than %1 bytes."_s.arg(m_limits.maxHeaderBytes));
            return i + 1;
        }
        const qsizetype size = m_head.size();
        const bool afterCr = size >= 2 && m_head.at(size - 2) == '\r';
        if (c != '\n') {
            if (afterCr) {
                reject(verdict, 400, u"A CR in the request head is not followed by LF."_s);
                return i + 1;
            }
            continue;
        }
        if (!afterCr) {
            reject(verdict, 400, u"The request head contains a bare LF."_s);
            return i + 1;
        }
        if (size == 2) {
            // An empty line before the request line: tolerated (RFC 9112 section 2.2).
            m_leadingBytes += 2;
            m_head.clear();
            continue;
        }
        if (size >= 4 && m_head.endsWith("\r\n\r\n")) {
            m_head.chop(4);
            finishHead(verdict);
            return i + 1;
        }
        if (!m_requestLineDone) {
            m_requestLineDone = true;
        } else if (++m_fields > m_limits.maxHeaderFields) {
            reject(verdict, 431,
                   u"The request has more than %1 header fields."_s.arg(m_limits.maxHeaderFields));
            return i + 1;
        }
    }
    return bytes.size();
}

void HttpFramer::finishHead(HttpFrameVerdict &verdict)
{
    const QByteArrayView head(m_head);
    const qsizetype requestLineEnd = head.indexOf("\r\n");
    const QByteArrayView requestLine = requestLineEnd < 0 ? head : head.first(requestLineEnd);

    // request-line = method SP request-target SP HTTP-version, nothing more
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : requestLine.indexOf(' ', firstSpace + 1);
    if (firstSpace <= 0 || secondSpace <= firstSpace + 1
        || requestLine.indexOf(' ', secondSpace + 1) >= 0) {
        reject(verdict, 400, u"The request line is malformed."_s);
        return;
    }
    HttpRequestHead parsed;
    const QByteArrayView method = requestLine.first(firstSpace);
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = requestLine.sliced(secondSpace + 1);
    if (!isToken(method)) {
        reject(verdict, 400, u"The request method is malformed."_s);
        return;
    }
    if (!isSupportedMethod(method)) {
        reject(verdict, 400, u"The request method is not supported."_s);
        return;
    }
    for (const char c : target) {
        if (c <= 0x20 || c >= 0x7f) {
            reject(verdict, 400, u"The request target contains invalid characters."_s);
            return;
        }
    }
    if (!(target.startsWith('/') || (target == "*" && method == "OPTIONS"))) {
        reject(verdict, 400, u"The request target must be an absolute path."_s);
        return;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        reject(verdict, 400, u"Only HTTP/1.0 and HTTP/1.1 are supported."_s);
        return;
    }
    parsed.method = method.toByteArray();
    parsed.target = target.toByteArray();
    parsed.version = version.toByteArray();
    const bool http11 = version == "HTTP/1.1";

    int contentLengths = 0;
    int transferEncodings = 0;
    int hosts = 0;
    int upgrades = 0;
    bool bodyTooLarge = false;
    bool connectionClose = false;
    bool connectionKeepAlive = false;
    bool connectionUpgrade = false;
    QByteArrayView upgrade;

    QByteArrayView rest = requestLineEnd < 0 ? QByteArrayView() : head.sliced(requestLineEnd + 2);
    while (!rest.isEmpty()) {
        const qsizetype end = rest.indexOf("\r\n");
        const QByteArrayView line = end < 0 ? rest : rest.first(end);
        rest = end < 0 ? QByteArrayView() : rest.sliced(end + 2);

        if (line.front() == ' ' || line.front() == '\t') {
            reject(verdict, 400, u"Folded header lines (obs-fold) are not accepted."_s);
            return;
        }
        const auto field = splitField(line);
        if (!field) {
            reject(verdict, 400, u"A header field is malformed."_s);
            return;
        }
        const auto [name, value] = *field;
        parsed.headers.append({name.toByteArray(), value.toByteArray()});

        if (equalsIgnoringCase(name, "content-length")) {
            ++contentLengths;
            if (value.isEmpty()) {
                reject(verdict, 400, u"Content-Length is empty."_s);
                return;
            }
            // Digits only: a list, even "5, 5", is refused because QtHttpServer's parser
            // cannot read it either.
            qint64 length = 0;
            for (const char c : value) {
                if (c < '0' || c > '9') {
                    reject(verdict, 400, u"Content-Length is not a number."_s);
                    return;
                }
                if (length > (m_limits.maxBodyBytes - (c - '0')) / 10)
                    bodyTooLarge = true; // also catches values that overflow 64 bits
                else
                    length = length * 10 + (c - '0');
            }
            parsed.contentLength = length;
        } else if (equalsIgnoringCase(name, "transfer-encoding")) {
            ++transferEncodings;
            if (!equalsIgnoringCase(value, "chunked")) {
                reject(verdict, 400, u"Only \"Transfer-Encoding: chunked\" is supported."_s);
                return;
            }
            parsed.chunked = true;
        } else if (equalsIgnoringCase(name, "host")) {
            ++hosts;
        } else if (equalsIgnoringCase(name, "upgrade")) {
            ++upgrades;
            upgrade = value;
        } else if (equalsIgnoringCase(name, "connection")) {
            connectionClose = connectionClose || listHasToken(value, "close");
            connectionKeepAlive = connectionKeepAlive || listHasToken(value, "keep-alive");
            connectionUpgrade = connectionUpgrade || listHasToken(value, "upgrade");
        } else if (equalsIgnoringCase(name, "expect")) {
            parsed.expectContinue = http11 && equalsIgnoringCase(value, "100-continue");
        }
    }

    if (contentLengths > 1) {
        reject(verdict, 400, u"The request has more than one Content-Length."_s);
        return;
    }
    if (transferEncodings > 1) {
        reject(verdict, 400, u"The request has more than one Transfer-Encoding."_s);
        return;
    }
    if (contentLengths && transferEncodings) {
        reject(verdict, 400, u"Content-Length and Transfer-Encoding together are ambiguous."_s);
        return;
    }
    if (transferEncodings && !http11) {
        reject(verdict, 400, u"Transfer-Encoding is not allowed in HTTP/1.0."_s);
        return;
    }
    if (hosts > 1 || (http11 && hosts == 0)) {
        reject(verdict, 400, u"An HTTP/1.1 request needs exactly one Host field."_s);
        return;
    }
    if (upgrades > 1) {
        reject(verdict, 400, u"The request has more than one Upgrade field."_s);
        return;
    }
    if (bodyTooLarge) {
        reject(verdict, 413,
               u"The request body is larger than %1 bytes."_s.arg(m_limits.maxBodyBytes));
        return;
    }
    // The same test QtHttpServer 6.4 applies (http_parser's upgrade flag, then the value):
    // every request it upgrades must have met the authorizer.
    parsed.isWebSocketUpgrade = connectionUpgrade && equalsIgnoringCase(upgrade, "websocket");
    if (parsed.isWebSocketUpgrade
        && (method != "GET" || !http11 || parsed.chunked || parsed.contentLength > 0)) {
        reject(verdict, 400, u"A WebSocket upgrade must be a bodiless HTTP/1.1 GET."_s);
        return;
    }
    parsed.keepAlive = http11 ? !connectionClose : connectionKeepAlive && !connectionClose;

    m_head.clear();
    m_head.squeeze();
    if (parsed.chunked) {
        m_phase = Phase::Body;
        m_bodyState = BodyState::ChunkSize;
    } else if (parsed.contentLength > 0) {
        m_phase = Phase::Body;
        m_bodyState = BodyState::Fixed;
        m_remaining = parsed.contentLength;
    } else {
        m_phase = Phase::Complete;
    }
    verdict.head = std::move(parsed);
}

qsizetype HttpFramer::feedBody(QByteArrayView bytes, HttpFrameVerdict &verdict)
{
    qsizetype i = 0;
    while (i < bytes.size() && m_phase == Phase::Body) {
        switch (m_bodyState) {
        case BodyState::Fixed:
        case BodyState::ChunkData: {
            const qint64 take = std::min<qint64>(m_remaining, bytes.size() - i);
            i += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                if (m_bodyState == BodyState::Fixed)
                    m_phase = Phase::Complete;
                else
                    m_bodyState = BodyState::ChunkDataEnd;
            }
            break;
        }
        case BodyState::ChunkDataEnd: {
            const char c = bytes[i++];
            if (m_line.isEmpty() && c == '\r') {
                m_line.append(c);
            } else if (!m_line.isEmpty() && c == '\n') {
                m_line.clear();
                m_bodyState = BodyState::ChunkSize;
            } else {
                reject(verdict, 400, u"A chunk is not followed by CRLF."_s);
            }
            break;
        }
        case BodyState::ChunkSize:
        case BodyState::Trailers: {
            const char c = bytes[i++];
            const bool afterCr = m_line.endsWith('\r');
            if (c != '\n' && afterCr) {
                reject(verdict, 400, u"A CR in the chunked body is not followed by LF."_s);
                break;
            }
            if (c == '\n' && !afterCr) {
                reject(verdict, 400, u"The chunked body contains a bare LF."_s);
                break;
            }
            if (c == '\n') {
                m_line.chop(1);
                if (m_bodyState == BodyState::ChunkSize)
                    finishChunkSizeLine(verdict);
                else
                    finishTrailerLine(verdict);
                m_line.clear();
                break;
            }
            m_line.append(c);
            if (m_bodyState == BodyState::ChunkSize && m_line.size() > MaxChunkLineBytes) {
                reject(verdict, 400, u"A chunk-size line is too long."_s);
            } else if (m_bodyState == BodyState::Trailers
                       && m_trailerBytes + m_line.size() > m_limits.maxHeaderBytes) {
                reject(
                    verdict, 431,
                    u"The trailer fields are larger than %1 bytes."_s.arg(m_limits.maxHeaderBytes));
            }
            break;
        }
        }
    }
    return i;
}

void HttpFramer::finishChunkSizeLine(HttpFrameVerdict &verdict)
{
    const QByteArrayView line(m_line);
    qsizetype digits = 0;
    qint64 size = 0;
    bool tooLarge = false;
    const qint64 room = m_limits.maxBodyBytes - m_bodyTotal;
    while (digits < line.size() && hexValue(line[digits]) >= 0) {
        const int value = hexValue(line[digits]);
        if (size > (room - value) / 16)
            tooLarge = true; // keep reading: a malformed line is still a 400
        else
            size = size * 16 + value;
        ++digits;
    }
    if (digits == 0) {
        reject(verdict, 400, u"A chunk size is missing or not hexadecimal."_s);
        return;
    }
    const QByteArrayView extensions = line.sliced(digits);
    if (!extensions.isEmpty() && (extensions.front() != ';' || !isFieldValue(extensions))) {
        reject(verdict, 400, u"A chunk size is malformed."_s);
        return;
    }
    if (tooLarge) {
        reject(verdict, 413,
               u"The request body is larger than %1 bytes."_s.arg(m_limits.maxBodyBytes));
        return;
    }
    m_bodyTotal += size;
    if (size == 0) {
        m_bodyState = BodyState::Trailers;
        m_fields = 0;
    } else {
        m_bodyState = BodyState::ChunkData;
        m_remaining = size;
    }
}

void HttpFramer::finishTrailerLine(HttpFrameVerdict &verdict)
{
    if (m_line.isEmpty()) {
        m_phase = Phase::Complete;
        return;
    }
    m_trailerBytes += m_line.size() + 2;
    if (m_line.front() == ' ' || m_line.front() == '\t' || !splitField(m_line)) {
        reject(verdict, 400, u"A trailer field is malformed."_s);
        return;
    }
    if (++m_fields > m_limits.maxHeaderFields) {
        reject(verdict, 431,
               u"The request has more than %1 trailer fields."_s.arg(m_limits.maxHeaderFields));
        return;
    }
    return;
}

void HttpFramer::reject(HttpFrameVerdict &verdict, int status, const QString &reason)
{
    m_phase = Phase::Rejected;
    // A head completed by this feed stays reported, as it would have been had the bytes
    // been cut right after it.
    verdict.kind = HttpFrameVerdict::Kind::Reject;
    verdict.consumed = 0;
    verdict.status = status;
    verdict.reason = reason;
    m_rejection = verdict;
    m_rejection.head.reset();
    m_head.clear();
    m_line.clear();
}

} // namespace confab
