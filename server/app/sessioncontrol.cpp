#include "sessioncontrol.h"

#include "chatrelay.h"
#include "ops/liveconversations.h"
#include "storage/sessionstore.h"
#include "websockethub.h"

using namespace Qt::StringLiterals;

namespace confab {

SessionControl::SessionControl(SessionStore &sessions, ChatRelay &relay, WebSocketHub &hub,
                               LiveConversations &live)
    : m_sessions(sessions)
    , m_relay(relay)
    , m_hub(hub)
    , m_live(live)
{}

void SessionControl::ended(const QStringList &sessionIds, const QString &reason)
{
    for (const QString &id : sessionIds) {
        m_hub.endSession(id, reason);
        m_relay.cancelSession(
            id, Error{ErrorCode::Cancelled, u"The session ended (%1)."_s.arg(reason)});
    }
}

Result<void> SessionControl::revoke(const QString &sessionId, const QString &reason)
{
    if (auto revoked = m_sessions.revoke(sessionId, reason); !revoked)
        return revoked;
    ended({sessionId}, reason);
    return {};
}

Result<int> SessionControl::revokeUser(qint64 userId, const QString &reason)
{
    auto revoked = m_sessions.revokeAllForUser(userId, reason);
    if (!revoked)
        return revoked.error();
    ended(*revoked, reason);
    m_live.closeUser(userId);
    return int(revoked->size());
}

} // namespace confab
