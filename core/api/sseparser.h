#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace confab {

// One dispatched Server-Sent Event. The fields are raw UTF-8, as on the wire.
struct SseEvent
{
    QByteArray event; // the "event:" field; empty when the stream named none (the spec's "message")
    QByteArray data;  // the "data:" lines joined by '\n'
    QByteArray id;    // the last event id seen on the stream so far (it persists across events)

    bool operator==(const SseEvent &) const = default;
};

// An incremental Server-Sent-Events parser following the WHATWG "event stream interpretation"
// rules: bytes go in as they arrive, split anywhere, and complete events come out.
//
// LF, CR and CRLF end lines (a CR at the end of one chunk and the LF starting the next count as
// one line end), a UTF-8 BOM at the start is skipped, ':' lines are comments, "data" lines
// accumulate, a blank line dispatches. Memory is bounded: a line or an event larger than the
// limit puts the parser into a failed state instead of growing without end.
class SseParser
{
public:
    static constexpr qsizetype DefaultMaxEventSize = 16 * 1024 * 1024;

    explicit SseParser(qsizetype maxEventSize = DefaultMaxEventSize);

    // Parses bytes and returns the events they completed. After a failure returns nothing.
    QList<SseEvent> feed(QByteArrayView bytes);
    // Ends the stream. Per the spec an event not yet closed by a blank line is discarded, so
    // this never returns events; it resets the parser for a new stream (keeping a failure).
    QList<SseEvent> finish();

    // True when a line or an event outgrew the limit; the rest of the stream is ignored.
    bool failed() const { return m_failed; }
    QString errorString() const { return m_errorString; }

    // Comment lines seen so far (keep-alives such as ": OPENROUTER PROCESSING").
    qint64 commentCount() const { return m_comments; }
    // Bytes of a started but not yet dispatched event or line (what finish() would discard).
    bool hasPendingData() const { return !m_line.isEmpty() || !m_bomProbe.isEmpty() || m_hasData; }
    // The last valid "retry:" value in milliseconds, if the stream sent one.
    std::optional<qint64> retryMs() const { return m_retryMs; }

private:
    void scan(QByteArrayView bytes, QList<SseEvent> &out);
    void processLine(QByteArrayView line, QList<SseEvent> &out);
    void dispatch(QList<SseEvent> &out);
    void fail(const QString &why);

    QByteArray m_line;      // an unfinished line carried over from the previous chunk
    QByteArray m_data;      // the data buffer of the event being built
    QByteArray m_eventType; // the event type buffer
    QByteArray m_lastId;    // the last event id buffer
    QByteArray m_bomProbe;  // the first bytes of the stream while they may still be a BOM
    std::optional<qint64> m_retryMs;
    qsizetype m_maxEventSize;
    qint64 m_comments = 0;
    QString m_errorString;
    bool m_hasData = false; // a data field arrived (it may be empty) since the last dispatch
    bool m_skipLf = false;  // the previous chunk ended with CR: a leading LF belongs to it
    bool m_atStart = true;  // no byte of the stream has been consumed yet (BOM check)
    bool m_failed = false;
};

} // namespace confab
