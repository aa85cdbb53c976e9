#include "modelsreply.h"

#include "api/networkreplies.h"
#include "api/upstreamerrors.h"
#include "common/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr qsizetype MaxModelsBody = 16 * 1024 * 1024; // OpenRouter lists hundreds of models

int msecs(std::chrono::milliseconds duration)
{
    return int(std::clamp<qint64>(duration.count(), 0, std::numeric_limits<int>::max()));
}

} // namespace

ModelsReply::ModelsReply(QNetworkAccessManager *nam, const ProviderConfig &config,
                         QNetworkRequest request, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_config(config)
    , m_request(std::move(request))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        finishWith(m_sent ? Error{ErrorCode::FirstByteTimeout,
                                  u"the provider did not answer within %1 s"_s.arg(
                                      m_config.firstByteTimeout.count() / 1000.0)}
                          : Error{ErrorCode::ConnectTimeout,
                                  u"could not connect to the provider within %1 s"_s.arg(
                                      m_config.connectTimeout.count() / 1000.0)});
    });
    if (nam) {
        connect(nam, &QObject::destroyed, this, [this] {
            if (!m_finished)
                finishWith(Error{ErrorCode::Network, u"the connection was shut down"_s});
        });
    }
}

ModelsReply::~ModelsReply()
{
    m_finished = true;
    dropNetworkReply();
}

void ModelsReply::start(std::optional<Error> invalidRequest)
{
    if (invalidRequest) {
        finishWith(std::move(invalidRequest));
        return;
    }
    if (!m_nam) {
        finishWith(Error{ErrorCode::Network, u"the connection was shut down"_s});
        return;
    }
    qCInfo(lcApi).nospace() << "models: GET "
                            << qUtf8Printable(m_request.url().host() + m_request.url().path());
    m_reply = m_nam->get(m_request);
    connect(m_reply, &QNetworkReply::requestSent, this, [this] {
        m_sent = true;
        m_timer.start(msecs(m_config.firstByteTimeout));
    });
    connect(m_reply, &QNetworkReply::readyRead, this, [this] {
        m_body.append(m_reply->readAll());
        if (m_body.size() > MaxModelsBody)
            finishWith(Error{ErrorCode::Protocol, u"the model list is too large"_s});
    });
    connect(m_reply, &QNetworkReply::finished, this, &ModelsReply::onNetworkFinished);
    m_timer.start(msecs(m_config.connectTimeout));
}

void ModelsReply::onNetworkFinished()
{
    if (!m_reply || m_finished)
        return;
    m_body.append(m_reply->readAll());
    const QVariant statusValue = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusValue.isValid() ? statusValue.toInt() : 0;
    if (status == 0) {
        finishWith(upstream::errorForNetworkFailure(m_reply->error(), m_reply->errorString()));
        return;
    }
    if (status >= 300 && status <= 399) {
        finishWith(Error{ErrorCode::Upstream,
                         u"the provider redirected the request; redirects are not followed "
                         "(check the base URL)"_s,
                         status});
        return;
    }
    if (status < 200 || status > 299) {
        finishWith(upstream::errorForStatus(status, m_body));
        return;
    }

    const QJsonDocument document = QJsonDocument::fromJson(m_body);
    // OpenAI: {"object":"list","data":[{"id":...}]}; some servers return the bare array.
    const QJsonArray data
        = document.isArray() ? document.array() : document.object().value("data"_L1).toArray();
    if (!document.isArray() && !document.object().value("data"_L1).isArray()) {
        finishWith(Error{ErrorCode::Protocol, u"the provider's model list is not JSON"_s, status});
        return;
    }
    QStringList ids;
    for (const QJsonValue &entry : data) {
        const QString id
            = entry.isString() ? entry.toString() : entry.toObject().value("id"_L1).toString();
        if (!id.isEmpty())
            ids.append(id);
    }
    ids.sort();
    ids.removeDuplicates();
    m_models = ids;
    finishWith(std::nullopt);
}

void ModelsReply::cancel()
{
    if (!m_finished)
        finishWith(Error{ErrorCode::Cancelled, u"the request was cancelled"_s});
}

void ModelsReply::dropNetworkReply()
{
    discardNetworkReply(m_reply, this);
}

void ModelsReply::finishWith(std::optional<Error> error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    dropNetworkReply();
    m_error = std::move(error);
    if (m_error) {
        m_error = upstream::withoutSecret(std::move(*m_error), m_config.apiKey);
        m_models.clear();
        qCWarning(lcApi) << "models: failed:" << m_error->toString();
    } else {
        qCInfo(lcApi) << "models:" << m_models.size() << "model(s)";
    }
    QMetaObject::invokeMethod(
        this, [this] { emit finished(); }, Qt::QueuedConnection);
}

} // namespace confab
