#pragma once

#include "api/providerconfig.h"
#include "common/result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

class QNetworkAccessManager;

// The server's way to the upstream API. Qt 6.4's QNetworkAccessManager opens at most six
// connections per host, so a hundred concurrent answers would queue behind one manager;
// the pool spreads calls round-robin over several managers, each with its own Provider.

namespace confab {

class Provider;

class UpstreamPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamPool)

public:
    // size managers of six connections each: size * 6 concurrent upstream calls.
    UpstreamPool(ProviderConfig config, int size, QObject *parent = nullptr);
    ~UpstreamPool() override;

    // The provider to start the next call with.
    Provider &next();
    const ProviderConfig &config() const { return m_config; }
    // The upstream's model ids, the configured default among them; asked at most once a
    // minute. done runs on context's thread, never synchronously.
    void models(QObject *context, std::function<void(Result<QStringList>)> done);

private:
    ProviderConfig m_config;
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_managers;
    std::vector<std::unique_ptr<Provider>> m_providers;
    std::size_t m_next = 0;
    QStringList m_models;
    QElapsedTimer m_modelsAge;
};

} // namespace confab
