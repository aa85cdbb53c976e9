#include "loadgen.h"

#include <algorithm>
#include <cmath>

namespace confab::bench {

double percentile(QList<double> samples, double p)
{
    if (samples.isEmpty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const qsizetype rank = qsizetype(std::ceil(p / 100.0 * double(samples.size())));
    return samples.at(std::clamp<qsizetype>(rank - 1, 0, samples.size() - 1));
}

void StreamScanner::feed(QByteArrayView data, qint64 atNs)
{
    for (char c : data) {
        if (c != '\r')
            m_buffer.append(c);
    }
    qsizetype end;
    while ((end = m_buffer.indexOf("\n\n")) >= 0) {
        event(QByteArrayView(m_buffer).first(end), atNs);
        m_buffer.remove(0, end + 2);
    }
}

void StreamScanner::event(QByteArrayView text, qint64 atNs)
{
    if (m_confab) {
        if (text.startsWith("event: delta"))
            m_tokens.append(atNs);
        else if (text.startsWith("event: done"))
            m_done = true;
        else if (text.startsWith("event: error")) {
            m_error = true;
            m_errorText = text.first(std::min<qsizetype>(text.size(), 300)).toByteArray();
        }
        return;
    }
    if (text.contains("[DONE]")) {
        m_done = true;
    } else if (text.contains("\"content\":\"") && !text.contains("\"content\":\"\"")) {
        m_tokens.append(atNs);
    } else if (text.contains("\"error\"")) {
        m_error = true;
        m_errorText = text.first(std::min<qsizetype>(text.size(), 300)).toByteArray();
    }
}

// ---- StreamRun

StreamRun::StreamRun(Plan plan, QObject *parent)
    : QObject(parent)
    , m_plan(std::move(plan))
{
    m_round.assign(size_t(m_plan.lanes), 0);
    for (int slot = 0; slot < m_plan.lanes; ++slot)
        m_connections.push_back(std::make_unique<HttpConnection>(m_plan.port, this));
}

void StreamRun::start()
{
    m_ramp.setInterval(10);
    connect(&m_ramp, &QTimer::timeout, this, [this] {
        const int until
            = m_plan.preconnect ? std::min(m_plan.lanes, m_opened + m_plan.connectPerTick) : 0;
        for (; m_opened < until; ++m_opened)
            m_connections[size_t(m_opened)]->open();
        int connected = 0;
        for (const auto &connection : m_connections)
            connected += connection->isConnected() ? 1 : 0;
        if (m_plan.preconnect && connected < m_plan.lanes)
            return;
        m_ramp.stop();
        m_startNs = nowNs();
        for (int slot = 0; slot < m_plan.lanes; ++slot) {
            const int delay = int(std::lround(slot * m_plan.staggerMs));
            if (delay == 0)
                startSlot(slot);
            else
                QTimer::singleShot(delay, Qt::PreciseTimer, this,
                                   [this, slot] { startSlot(slot); });
        }
    });
    m_ramp.start();
}

void StreamRun::startSlot(int slot)
{
    HttpConnection *connection = m_connections[size_t(slot)].get();
    HttpRequest request = m_plan.request(slot, m_round[size_t(slot)]);
    request.keepBody = false;
    auto scanner = std::make_shared<StreamScanner>(m_plan.confabEvents);
    ++m_started;
    ++m_inFlight;
    connection->send(
        request,
        [this, scanner](QByteArrayView data, qint64 atNs) {
            const bool had = !scanner->tokens().isEmpty();
            scanner->feed(data, atNs);
            if (!had && !scanner->tokens().isEmpty()) {
                ++m_firstTokens;
                m_stats.peakConcurrent = std::max(m_stats.peakConcurrent, ++m_streaming);
            }
        },
        [this, scanner, slot](const HttpResponse &response) {
            --m_inFlight;
            const QList<qint64> &tokens = scanner->tokens();
            if (!tokens.isEmpty())
                --m_streaming;
            const bool ok
                = response.ok() && scanner->sawDone() && !scanner->sawError() && !tokens.isEmpty();
            if (ok) {
                ++m_stats.ok;
                m_stats.ttftMs.append(double(tokens.first() - response.sentNs) / 1e6);
                for (qsizetype i = 1; i < tokens.size(); ++i)
                    m_stats.gapsMs.append(double(tokens.at(i) - tokens.at(i - 1)) / 1e6);
            } else {
                ++m_stats.failed;
                if (m_stats.errors.size() < 5)
                    m_stats.errors.append(QStringLiteral("HTTP %1 %2 %3")
                                              .arg(response.status)
                                              .arg(response.error,
                                                   QString::fromUtf8(scanner->errorText().isEmpty()
                                                                         ? response.body.left(200)
                                                                         : scanner->errorText())));
            }
            if (++m_round[size_t(slot)] < m_plan.rounds) {
                // A fresh stack: send() from inside the done handler is allowed, but a
                // queued start keeps the connection's own bookkeeping simple.
                QTimer::singleShot(0, this, [this, slot] { startSlot(slot); });
            } else if (++m_finishedSlots == m_plan.lanes) {
                m_stats.seconds = double(nowNs() - m_startNs) / 1e9;
            }
        });
}

void StreamRun::abortAll()
{
    for (const auto &connection : m_connections)
        connection->abort();
}

// ---- RequestRun

RequestRun::RequestRun(Plan plan, QObject *parent)
    : QObject(parent)
    , m_plan(std::move(plan))
{
    for (int i = 0; i < m_plan.concurrency; ++i)
        m_connections.push_back(std::make_unique<HttpConnection>(m_plan.port, this));
}

void RequestRun::start()
{
    for (const auto &connection : m_connections)
        connection->open();
    waitUntil(
        [this] {
            return std::all_of(m_connections.begin(), m_connections.end(),
                               [](const auto &c) { return c->isConnected(); });
        },
        10000);
    const qint64 now = nowNs();
    m_windowStartNs = now + qint64(m_plan.warmupMs) * 1'000'000;
    m_windowEndNs = m_plan.measureMs > 0 ? m_windowStartNs + qint64(m_plan.measureMs) * 1'000'000
                                         : std::numeric_limits<qint64>::max();
    for (int i = 0; i < m_plan.concurrency; ++i)
        next(i);
}

void RequestRun::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    const qint64 end = std::min(nowNs(), m_windowEndNs);
    m_stats.seconds = std::max(0.0, double(end - m_windowStartNs) / 1e9);
}

void RequestRun::next(int index)
{
    if (m_stopped)
        return;
    const qint64 now = nowNs();
    if (now >= m_windowEndNs || m_sent >= m_plan.maxRequests) {
        if (m_inFlight == 0 || now >= m_windowEndNs)
            stop();
        return;
    }
    HttpConnection *connection = m_connections[size_t(index)].get();
    ++m_inFlight;
    const int number = m_sent++;
    connection->send(
        m_plan.request(index, number), {}, [this, index, number](const HttpResponse &r) {
            --m_inFlight;
            if (m_plan.onResponse)
                m_plan.onResponse(number, r);
            const bool inWindow = r.doneNs >= m_windowStartNs && r.doneNs < m_windowEndNs;
            const bool good = m_plan.accept ? m_plan.accept(r) : r.ok();
            if (inWindow) {
                if (good) {
                    ++m_stats.ok;
                    m_stats.latencyMs.append(double(r.doneNs - r.sentNs) / 1e6);
                } else {
                    ++m_stats.failed;
                }
            }
            if (!good && m_stats.errors.size() < 5)
                m_stats.errors.append(QStringLiteral("HTTP %1 %2 %3")
                                          .arg(r.status)
                                          .arg(r.error, QString::fromUtf8(r.body.left(200))));
            QTimer::singleShot(0, this, [this, index] { next(index); });
        });
}

} // namespace confab::bench
