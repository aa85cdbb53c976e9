#include "requestthrottle.h"

namespace confab {

RequestThrottle::RequestThrottle(std::chrono::milliseconds interval, Clock clock)
    : m_clock(clock ? std::move(clock) : Clock(&std::chrono::steady_clock::now))
    , m_interval(interval)
    , m_lastPrune(m_clock())
{}

std::optional<std::chrono::milliseconds> RequestThrottle::tryAcquire(qint64 userId)
{
    const auto now = m_clock();
    QMutexLocker locker(&m_mutex);
    pruneIfDue(now);
    const auto last = m_lastRequest.constFind(userId);
    if (last != m_lastRequest.cend()) {
        const auto elapsed = now - *last;
        if (elapsed < m_interval)
            return std::chrono::ceil<std::chrono::milliseconds>(m_interval - elapsed);
    }
    m_lastRequest.insert(userId, now);
    return std::nullopt;
}

void RequestThrottle::setInterval(std::chrono::milliseconds interval)
{
    QMutexLocker locker(&m_mutex);
    m_interval = interval;
}

std::chrono::milliseconds RequestThrottle::interval() const
{
    QMutexLocker locker(&m_mutex);
    return m_interval;
}

// An entry older than the interval can no longer refuse anything. Sweeping at most once per
// interval keeps the table to the users of the last two intervals at an amortised O(1) cost.
void RequestThrottle::pruneIfDue(std::chrono::steady_clock::time_point now)
{
    if (now - m_lastPrune < m_interval)
        return;
    m_lastPrune = now;
    m_lastRequest.removeIf(
        [&](std::pair<const qint64 &, std::chrono::steady_clock::time_point &> entry) {
            return now - entry.second >= m_interval;
        });
}

} // namespace confab
