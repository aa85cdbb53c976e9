#pragma once

#include "common/types.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>
#include <utility>

namespace confab {

// One scripted answer of FakeUpstream: what to send and how to misbehave while sending it.
//
// Build one with a factory (sse, sseFixture, chatStream, tokens, completion, json, error,
// redirect, stallBeforeHeaders, keepAliveOnly, models), adjust it with the fluent modifiers,
// and hand it to FakeUpstream::enqueue(). Streams go out with chunked transfer encoding, one
// HTTP chunk per write, the way real providers send them. fromSpec() reads the same scripts
// from text, for the confab-fake-upstream executable and its /__fake/enqueue endpoint.
struct FakeResponse
{
    enum class Kind {
        Events,             // an event stream of the given events
        Generated,          // an event stream of tokenCount content chunks, made while sending
        KeepAlive,          // stream headers, then only ": keep-alive" comments, forever
        Fixed,              // a body of known length (JSON, an error, a redirect)
        StallBeforeHeaders, // reads the request and never answers
    };

    Kind kind = Kind::Events;
    int status = 200;
    QByteArray contentType = "text/event-stream";
    QList<std::pair<QByteArray, QByteArray>> headers; // extra response headers
    QByteArray body;                                  // Fixed
    QList<QByteArray> events; // Events: raw bytes of each event, its blank line included
    int tokenCount = 0;       // Generated
    QString token;            // Generated: each chunk's content; empty = English/Chinese words
    QString model = QStringLiteral("fake-model");

    std::chrono::milliseconds headerDelay{0};   // before the status line goes out
    std::chrono::milliseconds eventInterval{0}; // between two events (KeepAlive: between comments)
    int writeSize = 0;                          // bytes per write; 0 = one write per event
    std::chrono::milliseconds writeDelay{0};    // between the writes of one event
    int stallAtEvent = -1;  // after this many events: silence, connection kept open
    int dropAtEvent = -1;   // after this many events: connection closed mid-body
    qint64 dropAtByte = -1; // after this many body bytes: connection closed mid-body

    // ---- Factories

    // Replays raw SSE bytes, cut into events at blank lines (LF, CRLF or CR).
    static FakeResponse sse(const QByteArray &bytes);
    // A file from the shared fixtures (CONFAB_FIXTURES_DIR/sse/name) or an absolute path.
    static FakeResponse sseFixture(const QString &nameOrPath);
    // An OpenAI-style stream: one chunk per piece, a finish chunk, a usage chunk, [DONE].
    static FakeResponse chatStream(const QStringList &pieces,
                                   const QString &finishReason = QStringLiteral("stop"),
                                   std::optional<Usage> usage = std::nullopt);
    // A stream of count generated content chunks (for benchmarks), then finish, usage, [DONE].
    static FakeResponse tokens(int count, std::chrono::milliseconds interval = {});
    // A non-streaming chat completion.
    static FakeResponse completion(const QString &content, const QString &reasoning = {},
                                   const QString &finishReason = QStringLiteral("stop"),
                                   std::optional<Usage> usage = std::nullopt);
    static FakeResponse json(const QJsonObject &body, int status = 200);
    static FakeResponse text(int status, const QByteArray &body,
                             const QByteArray &contentType = "text/plain");
    // An OpenAI-style error body {"error":{"message",...}}, optionally with Retry-After.
    static FakeResponse error(int status, const QString &message,
                              const QByteArray &retryAfter = {});
    static FakeResponse redirect(const QByteArray &location, int status = 302);
    static FakeResponse stallBeforeHeaders();
    static FakeResponse keepAliveOnly(std::chrono::milliseconds interval
                                      = std::chrono::milliseconds(100));
    // A GET /models answer: {"object":"list","data":[{"id":...}]}.
    static FakeResponse models(const QStringList &ids);

    // ---- Modifiers

    FakeResponse &withHeader(const QByteArray &name, const QByteArray &value);
    FakeResponse &withHeaderDelay(std::chrono::milliseconds delay);
    FakeResponse &withEventInterval(std::chrono::milliseconds interval);
    // Sends every event in writes of `bytes` bytes, waiting `delay` between them.
    FakeResponse &splitWrites(int bytes, std::chrono::milliseconds delay = {});
    FakeResponse &stallAfterEvents(int count);
    FakeResponse &dropAfterEvents(int count);
    FakeResponse &dropAfterBytes(qint64 count);

    // ---- Text form
    //
    //   KIND[:ARG][;OPTION=VALUE]...
    //
    // KIND: stream (a short successful stream), fixture:NAME|PATH, tokens:N, completion:TEXT,
    // error:STATUS, redirect:URL, stall-headers, keepalive, models:ID,ID,...
    // OPTION: interval=MS, write-size=N, write-delay=MS, header-delay=MS, stall-after=EVENTS,
    // drop-after=EVENTS, drop-after-bytes=N, retry-after=VALUE, message=TEXT, token=TEXT,
    // model=NAME.
    // Example: "tokens:500;interval=2", "error:429;retry-after=1",
    // "fixture:openai_basic.sse;stall-after=2".
    static std::optional<FakeResponse> fromSpec(QStringView spec, QString *error = nullptr);

    // The OpenAI-style chunk of a stream, as one event ("data: {...}\n\n").
    static QByteArray chatChunkEvent(const QString &content, const QString &finishReason = {},
                                     const QString &model = QStringLiteral("fake-model"));
};

} // namespace confab
