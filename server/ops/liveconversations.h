#pragma once

#include "common/result.h"

#include <QHash>
#include <QList>
#include <QMutex>

#include <chrono>
#include <functional>

// At most N open conversations ("tabs") per user. A conversation is owned by the WebSocket
// connection that opened it, or by plain HTTP (owner 0) when a REST request used it; HTTP
// entries expire after 10 minutes without use, so that REST-only clients, which never say
// "close", do not lock themselves out. Safe from any thread.

namespace confab {

class LiveConversations final
{
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    static constexpr std::chrono::minutes httpExpiry{10};

    // Without a clock, std::chrono::steady_clock.
    explicit LiveConversations(int limit, Clock clock = {});

    // Opens the conversation for the user, or refreshes it when already open. A WebSocket
    // owner takes over an entry from HTTP or from an older connection; an HTTP use of a
    // WebSocket's entry only refreshes it. A new conversation beyond the limit is Conflict
    // with a message starting "too_many_conversations".
    Result<void> open(qint64 userId, qint64 conversationId, quint64 ownerId);
    // Marks an open conversation as used now (HTTP entries then live 10 more minutes). Nothing
    // happens when it is not open.
    void touch(qint64 userId, qint64 conversationId);
    void close(qint64 userId, qint64 conversationId);
    // Closes what this WebSocket connection owns (it went away).
    void closeOwner(quint64 ownerId);
    // Closes everything of the user (session revoked).
    void closeUser(qint64 userId);

    // Takes effect at once. Lowering it closes nothing: new ones are refused until the user is
    // below the new limit.
    void setLimit(int limit);
    int limit() const;

    // The user's open conversations, by id.
    QList<qint64> openFor(qint64 userId) const;

private:
    struct Entry
    {
        quint64 owner = 0;
        std::chrono::steady_clock::time_point lastUse;
    };
    using Entries = QHash<qint64, Entry>; // by conversation id

    bool expired(const Entry &entry, std::chrono::steady_clock::time_point now) const;
    // Drops the user's expired HTTP entries; every so often everyone's, to bound memory.
    void prune(qint64 userId, std::chrono::steady_clock::time_point now);

    Clock m_clock;
    mutable QMutex m_mutex;
    int m_limit;
    QHash<qint64, Entries> m_users;
    std::chrono::steady_clock::time_point m_lastFullPrune;
};

} // namespace confab
