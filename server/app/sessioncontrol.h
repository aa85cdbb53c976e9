#pragma once

#include "common/result.h"

#include <QStringList>

// Ends sessions everywhere at once: the rows are revoked, the session's WebSockets are told
// why and closed, and its answers in flight stop with their partial text saved.

namespace confab {

class ChatRelay;
class LiveConversations;
class SessionStore;
class WebSocketHub;

class SessionControl final
{
public:
    SessionControl(SessionStore &sessions, ChatRelay &relay, WebSocketHub &hub,
                   LiveConversations &live);

    // For sessions the store has already revoked (a new login replaced them).
    void ended(const QStringList &sessionIds, const QString &reason);
    Result<void> revoke(const QString &sessionId, const QString &reason);
    // Every session of the user; returns how many were active.
    Result<int> revokeUser(qint64 userId, const QString &reason);

private:
    SessionStore &m_sessions;
    ChatRelay &m_relay;
    WebSocketHub &m_hub;
    LiveConversations &m_live;
};

} // namespace confab
