#include "networkreplies.h"

namespace confab {

void discardNetworkReply(QPointer<QNetworkReply> &reply, QObject *owner)
{
    if (!reply)
        return;
    QNetworkReply *discarded = reply;
    reply = nullptr;
    discarded->disconnect(owner);
    if (discarded->isRunning())
        discarded->abort();
    discarded->deleteLater();
}

} // namespace confab
