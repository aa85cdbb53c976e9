#include "upstreampool.h"

#include "api/chatreply.h"
#include "api/modelsreply.h"
#include "api/provider.h"

#include <QNetworkAccessManager>
#include <QTimer>

namespace confab {

namespace {

// What one QNetworkAccessManager opens per host on Qt 6.4.
constexpr int ConnectionsPerManager = 6;

} // namespace

UpstreamPool::UpstreamPool(ProviderConfig config, int connections, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    // A manager's thread starts with its first call: unused managers cost little.
    const int count
        = std::max(1, (connections + ConnectionsPerManager - 1) / ConnectionsPerManager);
    for (int i = 0; i < count; ++i) {
        auto manager = std::make_unique<QNetworkAccessManager>();
        // Upstream replies must never be cached or redirected for a client.
        manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        m_providers.push_back(std::make_unique<Provider>(m_config, manager.get()));
        m_managers.push_back(std::move(manager));
    }
    m_active.assign(m_providers.size(), 0);
}

// Providers first: their calls hold the managers.
UpstreamPool::~UpstreamPool()
{
    m_providers.clear();
    m_managers.clear();
}

std::size_t UpstreamPool::leastBusy() const
{
    std::size_t best = 0;
    for (std::size_t i = 0; i < m_active.size(); ++i) {
        if (m_active[i] < ConnectionsPerManager)
            return i;
        if (m_active[i] < m_active[best])
            best = i;
    }
    return best;
}

ChatReply *UpstreamPool::send(const ChatRequest &request)
{
    const std::size_t index = leastBusy();
    ChatReply *reply = m_providers[index]->send(request);
    ++m_active[index];
    connect(reply, &QObject::destroyed, this, [this, index] { --m_active[index]; });
    return reply;
}

ModelsReply *UpstreamPool::listModels()
{
    return m_providers[leastBusy()]->listModels();
}

void UpstreamPool::models(QObject *context, std::function<void(Result<QStringList>)> done)
{
    if (m_modelsAge.isValid() && m_modelsAge.elapsed() < 60'000) {
        QTimer::singleShot(0, context,
                           [done = std::move(done), models = m_models] { done(models); });
        return;
    }
    ModelsReply *reply = listModels();
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
