#pragma once

#include "ops/serverconfig.h"

#include <QJsonObject>
#include <QObject>

#include <chrono>

// The policies an admin may change while the server runs (DESIGN.md 4): context size,
// throttle interval, registration mode and the live conversation limit. The command line
// gives the defaults; what an admin sets is stored in the database and wins from then on.

namespace confab {

class SettingsStore;

struct LiveSettings
{
    int contextMessages = 15;
    std::chrono::milliseconds minInterval{5000};
    RegistrationMode registration = RegistrationMode::Approval;
    int maxLiveConversations = 3;

    // {"context_messages","min_interval_seconds","registration","max_live_conversations"}
    QJsonObject toJson() const;
};

class ServerSettings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerSettings)

public:
    ServerSettings(SettingsStore &store, const ServerConfig &defaults, QObject *parent = nullptr);

    // Reads what admins stored earlier over the command line's defaults.
    Result<void> load();
    const LiveSettings &values() const { return m_values; }
    // Validates every field of patch first (unknown keys and bad ranges are InvalidInput),
    // then stores and applies them all.
    Result<LiveSettings> apply(const QJsonObject &patch);

signals:
    void changed(const confab::LiveSettings &values);

private:
    static Result<LiveSettings> merged(LiveSettings base, const QJsonObject &patch);

    SettingsStore &m_store;
    LiveSettings m_values;
    QJsonObject m_stored; // only the keys admins set: the others follow the command line
};

} // namespace confab
