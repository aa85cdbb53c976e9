#pragma once

#include <QNetworkReply>
#include <QPointer>

namespace confab {

// Lets go of a reply that is no longer wanted: no more of its signals reach owner, a
// transfer still running is aborted, and the object is deleted on the event loop.
void discardNetworkReply(QPointer<QNetworkReply> &reply, QObject *owner);

} // namespace confab
