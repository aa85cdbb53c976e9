#include "liveconversations.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab {

LiveConversations::LiveConversations(int limit, Clock clock)
    : m_clock(clock ? std::move(clock) : Clock(&std::chrono::steady_clock::now))
    , m_limit(limit)
    , m_lastFullPrune(m_clock())
{}

bool LiveConversations::expired(const Entry &entry, std::chrono::steady_clock::time_point now) const
{
    return entry.owner == 0 && now - entry.lastUse >= httpExpiry;
}

void LiveConversations::prune(qint64 userId, std::chrono::steady_clock::time_point now)
{
    const auto dropExpired = [&](Entries &entries) {
        entries.removeIf(
            [&](std::pair<const qint64 &, Entry &> entry) { return expired(entry.second, now); });
    };
    if (now - m_lastFullPrune >= httpExpiry) {
        m_lastFullPrune = now;
        for (auto it = m_users.begin(); it != m_users.end();) {
            dropExpired(*it);
            it = it->isEmpty() ? m_users.erase(it) : std::next(it);
        }
        return;
    }
    auto user = m_users.find(userId);
    if (user == m_users.end())
        return;
    dropExpired(*user);
    if (user->isEmpty())
        m_users.erase(user);
}

Result<void> LiveConversations::open(qint64 userId, qint64 conversationId, quint64 ownerId)
{
    const auto now = m_clock();
    QMutexLocker locker(&m_mutex);
    prune(userId, now);
    auto user = m_users.find(userId);
    if (user != m_users.end()) {
        auto it = user->find(conversationId);
        if (it != user->end()) {
            if (ownerId != 0)
                it->owner = ownerId;
            it->lastUse = now;
            return {};
        }
    }
    if ((user == m_users.end() ? 0 : user->size()) >= m_limit)
        return Error{ErrorCode::Conflict,
                     u"too_many_conversations: at most %1 conversations can be open at once; "
                     "close one first"_s.arg(m_limit)};
    m_users[userId].insert(conversationId, Entry{ownerId, now});
    return {};
}

void LiveConversations::touch(qint64 userId, qint64 conversationId)
{
    const auto now = m_clock();
    QMutexLocker locker(&m_mutex);
    prune(userId, now);
    auto user = m_users.find(userId);
    if (user == m_users.end())
        return;
    auto it = user->find(conversationId);
    if (it != user->end())
        it->lastUse = now;
}

void LiveConversations::close(qint64 userId, qint64 conversationId)
{
    QMutexLocker locker(&m_mutex);
    auto user = m_users.find(userId);
    if (user == m_users.end())
        return;
    user->remove(conversationId);
    if (user->isEmpty())
        m_users.erase(user);
}

void LiveConversations::closeOwner(quint64 ownerId)
{
    // Owner 0 is everyone's HTTP use, not a connection that went away.
    if (ownerId == 0)
        return;
    QMutexLocker locker(&m_mutex);
    for (auto user = m_users.begin(); user != m_users.end();) {
        user->removeIf([&](std::pair<const qint64 &, Entry &> entry) {
            return entry.second.owner == ownerId;
        });
        user = user->isEmpty() ? m_users.erase(user) : std::next(user);
    }
}

void LiveConversations::closeUser(qint64 userId)
{
    QMutexLocker locker(&m_mutex);
    m_users.remove(userId);
}

void LiveConversations::setLimit(int limit)
{
    QMutexLocker locker(&m_mutex);
    m_limit = limit;
}

int LiveConversations::limit() const
{
    QMutexLocker locker(&m_mutex);
    return m_limit;
}

QList<qint64> LiveConversations::openFor(qint64 userId) const
{
    const auto now = m_clock();
    QMutexLocker locker(&m_mutex);
    QList<qint64> ids;
    const Entries entries = m_users.value(userId);
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
        if (!expired(*it, now))
            ids.append(it.key());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace confab
