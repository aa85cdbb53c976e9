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
// connections per host, so a hundred concurrent answers would queue behind one manager. The
// pool fills one manager's six connections before it uses the next: calls at low concurrency
// reuse a warm connection, and managers (each with a thread) start only when load needs them.

namespace confab {

class ChatReply;
class ModelsReply;
class Provider;
struct ChatRequest;

class UpstreamPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamPool)

public:
    // Enough managers of six connections each for `connections` concurrent upstream calls.
    UpstreamPool(ProviderConfig config, int connections, QObject *parent = nullptr);
    ~UpstreamPool() override;

    // Starts a chat call on the first manager with a free connection (the least busy when all
    // are full). The caller owns the reply, as with Provider::send().
    ChatReply *send(const ChatRequest &request);
    ModelsReply *listModels();
    const ProviderConfig &config() const { return m_config; }
    // The upstream's model ids, the configured default among them; asked at most once a
    // minute. done runs on context's thread, never synchronously.
    void models(QObject *context, std::function<void(Result<QStringList>)> done);

private:
    ProviderConfig m_config;
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_managers;
    std::vector<std::unique_ptr<Provider>> m_providers;
    std::size_t leastBusy() const;

    std::vector<int> m_active; // calls in flight per provider
    QStringList m_models;
    QElapsedTimer m_modelsAge;
};

} // namespace confab
