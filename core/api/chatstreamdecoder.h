#pragma once

#include "api/sseparser.h"
#include "common/types.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace confab {

// A piece of an answer as it streams in: visible text and, for reasoning models, the
// model's thinking. Either may be empty, never both.
struct ChatDelta
{
    QString content;
    QString reasoning;

    bool operator==(const ChatDelta &) const = default;
};

// Decodes an OpenAI-compatible chat-completions event stream (bytes in, deltas out) and
// accumulates the answer.
//
// Tolerated provider variations: "data: [DONE]", ": comment" keep-alives, empty "choices",
// null content, usage in a last chunk with empty choices, "reasoning_content" (DeepSeek,
// Qwen) or "reasoning" (OpenRouter), {"error":{...}} objects inside the stream.
//
// Data that is not a JSON object (a proxy's banner, a truncated line) is skipped and counted
// in malformedEvents(): one bad line must not throw away an answer that is otherwise fine,
// and a stream that carries nothing usable ends up incomplete anyway, which the caller
// reports. An oversized line stops decoding (parserFailed()).
class ChatStreamDecoder
{
public:
    ChatStreamDecoder() = default;

    // Parses more of the stream; returns the non-empty deltas it carried, in order.
    QList<ChatDelta> feed(QByteArrayView bytes);
    // Decodes one already parsed event (for callers that run their own SseParser).
    std::optional<ChatDelta> decodeEvent(const SseEvent &event);
    // The stream ended; a trailing event without its blank line is dropped, per the SSE spec.
    void finish();

    const QString &text() const { return m_text; }
    const QString &reasoning() const { return m_reasoning; }
    // The last finish_reason that arrived ("stop", "length", ...); empty when none did.
    const QString &finishReason() const { return m_finishReason; }
    // A finish_reason arrived: the model ended its answer.
    bool complete() const { return !m_finishReason.isEmpty(); }
    const std::optional<Usage> &usage() const { return m_usage; }
    // The message of an error object the provider sent inside the stream.
    const std::optional<QString> &streamError() const { return m_streamError; }
    bool sawDone() const { return m_sawDone; }
    // The model named by the chunks (the first non-empty "model" field).
    const QString &model() const { return m_model; }
    // Events whose data was neither JSON nor [DONE]; they were skipped.
    int malformedEvents() const { return m_malformed; }
    // Events that carried data (anything but comments), including [DONE].
    qint64 dataEvents() const { return m_dataEvents; }
    bool parserFailed() const { return m_parser.failed(); }
    const SseParser &parser() const { return m_parser; }

private:
    SseParser m_parser;
    QString m_text;
    QString m_reasoning;
    QString m_finishReason;
    QString m_model;
    std::optional<Usage> m_usage;
    std::optional<QString> m_streamError;
    qint64 m_dataEvents = 0;
    int m_malformed = 0;
    bool m_sawDone = false;
};

} // namespace confab
