#include "provider.h"

#include "common/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace confab {

Provider::Provider(ProviderConfig config, QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_nam(nam ? nam : new QNetworkAccessManager(this))
{}

Provider::~Provider() = default;

void Provider::setConfig(ProviderConfig config)
{
    m_config = std::move(config);
}

QUrl Provider::endpointUrl(const QUrl &baseUrl, QStringView endpoint)
{
    QUrl url = baseUrl;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u'/' + endpoint);
    return url;
}

QJsonObject Provider::requestBody(const ChatRequest &request, const ProviderConfig &config)
{
    // Built field by field from typed values: nothing a caller passes can add a field.
    QJsonArray messages;
    for (const PromptMessage &message : request.messages)
        messages.append(
            QJsonObject{{u"role"_s, roleName(message.role)}, {u"content"_s, message.content}});

    const ChatParams &params = request.params;
    QJsonObject body{
        {u"model"_s, params.model.isEmpty() ? config.defaultModel : params.model},
        {u"messages"_s, messages},
        {u"stream"_s, request.stream},
    };
    if (params.temperature)
        body.insert(u"temperature"_s, *params.temperature);
    if (params.topP)
        body.insert(u"top_p"_s, *params.topP);
    if (params.maxTokens)
        body.insert(u"max_tokens"_s, *params.maxTokens);
    if (params.presencePenalty)
        body.insert(u"presence_penalty"_s, *params.presencePenalty);
    if (params.frequencyPenalty)
        body.insert(u"frequency_penalty"_s, *params.frequencyPenalty);
    if (!params.stop.isEmpty())
        body.insert(u"stop"_s, QJsonArray::fromStringList(params.stop));
    if (request.stream) // else a streamed answer carries no token counts
        body.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
    return body;
}

QNetworkRequest Provider::makeRequest(QStringView endpoint, bool eventStream) const
{
    QNetworkRequest request(endpointUrl(m_config.baseUrl, endpoint));
    // A redirect would carry the API key to another place; a 3xx is reported instead.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("Confab/" CONFAB_VERSION));
    request.setRawHeader("Accept", eventStream ? "text/event-stream" : "application/json");
    if (!m_config.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_config.apiKey.toUtf8());
    return request;
}

std::optional<Error> Provider::checkConfig() const
{
    const QUrl &url = m_config.baseUrl;
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1))
        return Error{ErrorCode::InvalidInput,
                     u"the provider's base URL must be an http or https URL"_s};
    return std::nullopt;
}

ChatReply *Provider::send(const ChatRequest &request)
{
    const QJsonObject body = requestBody(request, m_config);
    QNetworkRequest networkRequest = makeRequest(u"chat/completions", request.stream);
    networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));

    auto *reply = new ChatReply(m_nam, m_config, networkRequest,
                                QJsonDocument(body).toJson(QJsonDocument::Compact), request.stream);
    std::optional<Error> invalid = checkConfig();
    if (!invalid && body.value("model"_L1).toString().isEmpty())
        invalid = Error{ErrorCode::InvalidInput, u"no model is chosen for this provider"_s};
    if (!invalid && request.messages.isEmpty())
        invalid = Error{ErrorCode::InvalidInput, u"there is nothing to send"_s};
    reply->start(std::move(invalid));
    return reply;
}

ModelsReply *Provider::listModels()
{
    auto *reply = new ModelsReply(m_nam, m_config, makeRequest(u"models", false));
    reply->start(checkConfig());
    return reply;
}

} // namespace confab
