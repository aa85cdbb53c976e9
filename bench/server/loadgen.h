#pragma once

#include "httpclient.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

// The two load shapes of bench_server, both on raw keep-alive connections:
// StreamRun keeps `lanes` event streams going (each slot its own connection, started
// `staggerMs` apart, `rounds` streams one after another) and times every token;
// RequestRun keeps `concurrency` connections busy with plain requests and counts answers.

namespace confab::bench {

// Tokens of one event stream: confab's "event: delta" events, or OpenAI chunks with content.
class StreamScanner
{
public:
    explicit StreamScanner(bool confabEvents)
        : m_confab(confabEvents)
    {}
    void feed(QByteArrayView data, qint64 atNs);
    const QList<qint64> &tokens() const { return m_tokens; }
    bool sawDone() const { return m_done; }
    bool sawError() const { return m_error; }
    QByteArray errorText() const { return m_errorText; }

private:
    void event(QByteArrayView text, qint64 atNs);

    bool m_confab;
    QByteArray m_buffer;
    QList<qint64> m_tokens;
    bool m_done = false;
    bool m_error = false;
    QByteArray m_errorText;
};

struct StreamStats
{
    QList<double> ttftMs; // request sent -> first token, one per stream
    QList<double> gapsMs; // between two tokens of a stream
    int ok = 0;           // streams that ended with their done event
    int failed = 0;
    int peakConcurrent = 0; // streams between first token and end at once
    double seconds = 0;
    QStringList errors; // the first few
};

class StreamRun final : public QObject
{
    Q_OBJECT

public:
    struct Plan
    {
        quint16 port = 0;
        int lanes = 1;
        int rounds = 1;
        double staggerMs = 0;    // between the first requests of two lanes
        int connectPerTick = 50; // connections opened per 10 ms before the start
        // Open every connection before the first request; otherwise each lane connects as
        // it sends its first request (the server's header deadline then starts with it).
        bool preconnect = true;
        bool confabEvents = false;
        std::function<HttpRequest(int slot, int round)> request;
    };

    explicit StreamRun(Plan plan, QObject *parent = nullptr);
    // Opens the connections (a backlog-safe ramp), then starts the lanes.
    void start();
    bool isFinished() const { return m_finishedSlots == m_plan.lanes; }
    int streaming() const { return m_streaming; } // between first token and end, now
    int inFlight() const { return m_inFlight; }   // requests sent and not ended
    int started() const { return m_started; }
    int firstTokens() const { return m_firstTokens; }
    const StreamStats &stats() const { return m_stats; }
    // Drops every connection (streams still open count as failed).
    void abortAll();

private:
    void startSlot(int slot);

    Plan m_plan;
    std::vector<std::unique_ptr<HttpConnection>> m_connections;
    std::vector<int> m_round;
    QTimer m_ramp;
    int m_opened = 0;
    int m_finishedSlots = 0;
    int m_streaming = 0;
    int m_inFlight = 0;
    int m_started = 0;
    int m_firstTokens = 0;
    qint64 m_startNs = 0;
    StreamStats m_stats;
};

struct RequestStats
{
    int ok = 0;     // answered 2xx inside the measuring window
    int failed = 0; // anything else inside the window
    double seconds = 0;
    QList<double> latencyMs;
    QStringList errors;
    double perSecond() const { return seconds > 0 ? ok / seconds : 0; }
};

class RequestRun final : public QObject
{
    Q_OBJECT

public:
    struct Plan
    {
        quint16 port = 0;
        int concurrency = 1;
        int warmupMs = 1000;  // answers in this time are not counted
        int measureMs = 5000; // 0: until stop()
        int maxRequests = 1'000'000;
        std::function<HttpRequest(int connection, int index)> request;
        std::function<bool(const HttpResponse &)> accept;                // default: 2xx
        std::function<void(int index, const HttpResponse &)> onResponse; // every answer
    };

    explicit RequestRun(Plan plan, QObject *parent = nullptr);
    void start();
    void stop(); // no new requests; isFinished() once those in flight end
    bool isFinished() const { return m_stopped && m_inFlight == 0; }
    const RequestStats &stats() const { return m_stats; }

private:
    void next(int connection);

    Plan m_plan;
    std::vector<std::unique_ptr<HttpConnection>> m_connections;
    qint64 m_windowStartNs = 0;
    qint64 m_windowEndNs = 0;
    int m_sent = 0;
    int m_inFlight = 0;
    bool m_stopped = false;
    RequestStats m_stats;
};

// A percentile (0..100) by nearest rank; 0 for no samples.
double percentile(QList<double> samples, double p);

} // namespace confab::bench
