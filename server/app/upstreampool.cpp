#include "upstreampool.h"

#include "api/modelsreply.h"
#include "api/provider.h"

#include <QNetworkAccessManager>
#include <QTimer>

namespace confab {

UpstreamPool::UpstreamPool(ProviderConfig config, int size, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    const int count = std::max(1, size);
    for (int i = 0; i < count; ++i) {
        auto manager = std::make_unique<QNetworkAccessManager>();
        // Upstream replies must never be cached or redirected for a client.
        manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        m_providers.push_back(std::make_unique<Provider>(m_config, manager.get()));
        m_managers.push_back(std::move(manager));
    }
}

// Providers first: their calls hold the managers.
UpstreamPool::~UpstreamPool()
{
    m_providers.clear();
    m_managers.clear();
}

Provider &UpstreamPool::next()
{
    Provider &provider = *m_providers[m_next];
    m_next = (m_next + 1) % m_providers.size();
    return provider;
}

void UpstreamPool::models(QObject *context, std::function<void(Result<QStringList>)> done)
{
    if (m_modelsAge.isValid() && m_modelsAge.elapsed() < 60'000) {
        QTimer::singleShot(0, context,
                           [done = std::move(done), models = m_models] { done(models); });
        return;
    }
    ModelsReply *reply = next().listModels();
    connect(reply, &ModelsReply::finished, context, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        QStringList models = reply->models();
        const QString fallback = m_config.defaultModel;
        if (!fallback.isEmpty() && !models.contains(fallback))
            models.prepend(fallback);
        if (reply->error() && models.isEmpty())
            return done(*reply->error());
        if (!reply->error()) {
            m_models = models;
            m_modelsAge.start();
        }
        done(models);
    });
}

} // namespace confab
