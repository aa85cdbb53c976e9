#pragma once

#include "api/chatreply.h"
#include "api/modelsreply.h"
#include "api/providerconfig.h"
#include "common/types.h"

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;

namespace confab {

struct ChatRequest
{
    QList<PromptMessage> messages;
    ChatParams params; // params.model overrides ProviderConfig::defaultModel
    bool stream = true;
};

// A client of one OpenAI-compatible chat-completions API (OpenAI, OpenRouter, DeepSeek,
// DashScope, Ollama, ...). Each call returns a reply object that the caller owns.
//
// Only allow-listed fields go upstream (model, messages, stream, the sampling parameters and
// stream_options.include_usage), redirects are never followed, and the API key is sent only
// in the Authorization header and never logged.
class Provider final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Provider)

public:
    // nam may be shared (the server hands out managers from a pool); when null the provider
    // makes its own. A shared manager must outlive the calls made through it, or they fail.
    explicit Provider(ProviderConfig config, QNetworkAccessManager *nam = nullptr,
                      QObject *parent = nullptr);
    ~Provider() override;

    // Starts a chat completion. Never emits anything before returning; a request that cannot
    // be sent (no model, no messages, bad base URL) finishes with InvalidInput.
    ChatReply *send(const ChatRequest &request);
    ModelsReply *listModels();

    const ProviderConfig &config() const { return m_config; }
    // Applies to the calls started afterwards.
    void setConfig(ProviderConfig config);

    // The JSON body send() would post; public for the server's request logs and for tests.
    static QJsonObject requestBody(const ChatRequest &request, const ProviderConfig &config);
    // baseUrl joined with an endpoint ("chat/completions", "models").
    static QUrl endpointUrl(const QUrl &baseUrl, QStringView endpoint);

private:
    QNetworkRequest makeRequest(QStringView endpoint, bool eventStream) const;
    std::optional<Error> checkConfig() const;

    ProviderConfig m_config;
    QPointer<QNetworkAccessManager> m_nam;
};

} // namespace confab
