#pragma once

#include <QHash>
#include <QMutex>

#include <chrono>
#include <functional>
#include <optional>

// One chat request per user per interval (the --min-interval policy). Safe from any thread.

namespace confab {

class RequestThrottle final
{
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    // Without a clock, std::chrono::steady_clock.
    explicit RequestThrottle(std::chrono::milliseconds interval, Clock clock = {});

    // nullopt: allowed, and the time recorded. Otherwise how long the user must still wait,
    // rounded up to a whole millisecond (send Retry-After as that in whole seconds, at least
    // 1). A refused attempt does not restart the wait.
    std::optional<std::chrono::milliseconds> tryAcquire(qint64 userId);

    // Takes effect at once, for requests already recorded too (live settings).
    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const;

private:
    void pruneIfDue(std::chrono::steady_clock::time_point now);

    Clock m_clock;
    mutable QMutex m_mutex;
    std::chrono::milliseconds m_interval;
    QHash<qint64, std::chrono::steady_clock::time_point> m_lastRequest;
    std::chrono::steady_clock::time_point m_lastPrune;
};

} // namespace confab
