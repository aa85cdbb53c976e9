#pragma once

#include <QHash>
#include <QString>

#include <chrono>
#include <functional>
#include <list>
#include <optional>

// Brute-force backoff for logins, per account and per address: after a few free failures each
// further one doubles the wait before the next attempt. Memory stays bounded whatever the
// number of names and addresses an attacker tries. Used from one thread.

namespace confab {

// Outside LoginThrottle so that it can be a default argument of its constructor.
struct LoginThrottlePolicy
{
    int freeFailures = 5;
    std::chrono::milliseconds baseDelay{1000};
    std::chrono::milliseconds maxDelay{15 * 60 * 1000};
    // Accounts and addresses together; past it the longest quiet ones are forgotten first.
    int maxEntries = 100000;
    // A key quiet this long (and no longer blocked) starts from zero again.
    std::chrono::milliseconds forgetAfter{60 * 60 * 1000};
};

class LoginThrottle final
{
public:
    using Policy = LoginThrottlePolicy;
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    // clock: steady_clock::now unless a test gives its own.
    explicit LoginThrottle(Policy policy = {}, Clock clock = {});

    // How long the caller must still wait before another attempt for this account or from
    // this address (the longer of the two), or nullopt when it may try now. Usernames ignore
    // case.
    std::optional<std::chrono::milliseconds> retryAfter(const QString &username,
                                                        const QString &address) const;
    // Counts a failure against the account and the address: beyond freeFailures the wait
    // starts at baseDelay and doubles with each failure, up to maxDelay.
    void recordFailure(const QString &username, const QString &address);
    // Clears the account. The address keeps its count: one success must not wipe the trail of
    // an address that guesses at many accounts.
    void recordSuccess(const QString &username, const QString &address);

    // Accounts and addresses tracked now; never more than the policy's maxEntries.
    int trackedEntries() const { return int(m_entries.size()); }

private:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct Entry
    {
        QString key;
        int failures = 0;
        TimePoint lastFailure;
        TimePoint blockedUntil;
    };
    // Least recently failed first, so that forgetting and evicting take from the front.
    using Entries = std::list<Entry>;

    static QString accountKey(const QString &username);
    static QString addressKey(const QString &address);
    bool isStale(const Entry &entry, TimePoint now) const;
    std::chrono::milliseconds waitFor(const QString &key, TimePoint now) const;
    void fail(const QString &key, TimePoint now);
    std::chrono::milliseconds delayAfter(int failures) const;

    Policy m_policy;
    Clock m_clock;
    Entries m_entries;
    QHash<QString, Entries::iterator> m_index;
};

} // namespace confab
