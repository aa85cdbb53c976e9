#pragma once

#include "ops/serverconfig.h"

#include <QHostAddress>
#include <QString>
#include <QUrl>

namespace confab {

// How the app hosts its team server: where it listens, where it keeps its data and which
// provider answers. The upstream comes from one of the app's provider connections.
struct HostOptions
{
    // AnyIPv4 lets teammates connect; LocalHost keeps the server to this computer.
    QHostAddress listenAddress = QHostAddress::AnyIPv4;
    quint16 port = 0; // 0 = any free port
    QString databasePath;
    QString connectionId; // the app's provider connection the upstream comes from
    QUrl upstreamBaseUrl;
    QString upstreamModel;
    QString upstreamApiKey; // read by the caller from the SecretStore
    RegistrationMode registration = RegistrationMode::Approval;

    // team-server.db in the app's data directory (Settings::dataDirectory()).
    static QString defaultDatabasePath(const QString &dataDirectory);
};

} // namespace confab
