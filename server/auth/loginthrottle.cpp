#include "loginthrottle.h"

using namespace Qt::StringLiterals;
using namespace std::chrono;

namespace confab {

LoginThrottle::LoginThrottle(Policy policy, Clock clock)
    : m_policy(policy)
    , m_clock(clock ? std::move(clock) : Clock([] { return steady_clock::now(); }))
{
    m_policy.maxEntries
        = std::max(m_policy.maxEntries, 2); // one failure: an account and an address
}

// Prefixes keep an account named like an address apart from the address.
QString LoginThrottle::accountKey(const QString &username)
{
    return u"u:"_s + username.trimmed().toCaseFolded();
}

QString LoginThrottle::addressKey(const QString &address)
{
    return u"a:"_s + address;
}

std::optional<milliseconds> LoginThrottle::retryAfter(const QString &username,
                                                      const QString &address) const
{
    const TimePoint now = m_clock();
    const milliseconds wait
        = std::max(waitFor(accountKey(username), now), waitFor(addressKey(address), now));
    if (wait <= 0ms)
        return std::nullopt;
    return wait;
}

void LoginThrottle::recordFailure(const QString &username, const QString &address)
{
    const TimePoint now = m_clock();
    fail(accountKey(username), now);
    fail(addressKey(address), now);
}

void LoginThrottle::recordSuccess(const QString &username, const QString &)
{
    const auto found = m_index.constFind(accountKey(username));
    if (found == m_index.cend())
        return;
    m_entries.erase(*found);
    m_index.erase(found);
}

bool LoginThrottle::isStale(const Entry &entry, TimePoint now) const
{
    return now >= entry.blockedUntil && now - entry.lastFailure >= m_policy.forgetAfter;
}

milliseconds LoginThrottle::waitFor(const QString &key, TimePoint now) const
{
    const auto found = m_index.constFind(key);
    if (found == m_index.cend() || isStale(**found, now))
        return 0ms;
    // Rounded up: "retry in 0 ms" while still blocked would invite a busy loop.
    return ceil<milliseconds>((*found)->blockedUntil - now);
}

void LoginThrottle::fail(const QString &key, TimePoint now)
{
    // The front failed longest ago. Stopping at the first entry still remembered may leave a
    // stale one behind it (one still blocked came first): the cap bounds those.
    while (!m_entries.empty() && isStale(m_entries.front(), now)) {
        m_index.remove(m_entries.front().key);
        m_entries.pop_front();
    }

    Entries::iterator entry;
    if (const auto found = m_index.constFind(key); found != m_index.cend()) {
        entry = *found;
        m_entries.splice(m_entries.end(), m_entries, entry);
    } else {
        if (int(m_entries.size()) >= m_policy.maxEntries) {
            m_index.remove(m_entries.front().key);
            m_entries.pop_front();
        }
        entry = m_entries.insert(m_entries.end(), Entry{key, 0, now, now});
        m_index.insert(key, entry);
    }
    ++entry->failures;
    entry->lastFailure = now;
    if (entry->failures > m_policy.freeFailures)
        entry->blockedUntil = now + delayAfter(entry->failures);
}

milliseconds LoginThrottle::delayAfter(int failures) const
{
    milliseconds delay = m_policy.baseDelay;
    for (int beyond = failures - m_policy.freeFailures - 1; beyond > 0 && delay < m_policy.maxDelay;
         --beyond)
        delay *= 2;
    return std::min(delay, m_policy.maxDelay);
}

} // namespace confab
