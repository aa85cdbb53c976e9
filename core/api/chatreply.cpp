#include "chatreply.h"

#include "api/networkreplies.h"
#include "api/upstreamerrors.h"
#include "common/logging.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>

#include <atomic>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace confab {

namespace {

// A JSON answer bigger than this is not a chat completion; an error body is only read for
// its message.
constexpr qsizetype MaxJsonBody = 32 * 1024 * 1024;
constexpr qsizetype MaxErrorBody = 64 * 1024;

std::atomic<quint64> s_nextId{1};

int msecs(std::chrono::milliseconds duration)
{
    return int(std::clamp<qint64>(duration.count(), 0, std::numeric_limits<int>::max()));
}

QString seconds(std::chrono::milliseconds duration)
{
    return QString::number(double(duration.count()) / 1000.0, 'g', 3);
}

} // namespace

ChatReply::ChatReply(QNetworkAccessManager *nam, const ProviderConfig &config,
                     QNetworkRequest request, QByteArray body, bool stream, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_config(config)
    , m_request(std::move(request))
    , m_body(std::move(body))
    , m_stream(stream)
    , m_id(s_nextId++)
{
    for (QTimer *timer :
         {&m_connectTimer, &m_firstByteTimer, &m_idleTimer, &m_totalTimer, &m_retryTimer})
        timer->setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this,
            [this] { onTimeout(ErrorCode::ConnectTimeout); });
    connect(&m_firstByteTimer, &QTimer::timeout, this,
            [this] { onTimeout(ErrorCode::FirstByteTimeout); });
    connect(&m_idleTimer, &QTimer::timeout, this, [this] { onTimeout(ErrorCode::IdleTimeout); });
    connect(&m_totalTimer, &QTimer::timeout, this, [this] { onTimeout(ErrorCode::TotalTimeout); });
    connect(&m_retryTimer, &QTimer::timeout, this, &ChatReply::startAttempt);
    if (nam) {
        // A pooled manager may go away before us; its replies go with it.
        connect(nam, &QObject::destroyed, this, [this] {
            if (!m_finished)
                finishWith(Error{ErrorCode::Network, u"the connection was shut down"_s});
        });
    }
}

ChatReply::~ChatReply()
{
    m_finished = true;
    dropNetworkReply();
}

void ChatReply::start(std::optional<Error> invalidRequest)
{
    m_clock.start();
    if (invalidRequest) {
        finishWith(std::move(invalidRequest));
        return;
    }
    m_totalTimer.start(msecs(m_config.totalTimeout));
    startAttempt();
}

void ChatReply::startAttempt()
{
    if (m_finished)
        return;
    if (!m_nam) {
        finishWith(Error{ErrorCode::Network, u"the connection was shut down"_s});
        return;
    }
    ++m_result.attempts;
    m_mode = BodyMode::Undecided;
    m_httpStatus = 0;
    m_bodyStarted = false;
    m_buffered.clear();
    m_decoder.emplace();
    m_seenDataEvents = 0;

    qCInfo(lcApi).nospace() << "chat #" << m_id << ": POST "
                            << qUtf8Printable(m_request.url().host() + m_request.url().path())
                            << " (stream " << m_stream << ", attempt " << m_result.attempts << ")";

    m_reply = m_nam->post(m_request, m_body);
    connect(m_reply, &QNetworkReply::requestSent, this, &ChatReply::onRequestSent);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &ChatReply::onHeaders);
    connect(m_reply, &QNetworkReply::readyRead, this, &ChatReply::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ChatReply::onNetworkFinished);
    m_connectTimer.start(msecs(m_config.connectTimeout));
}

void ChatReply::onRequestSent()
{
    m_connectTimer.stop();
    // The request may be sent again on a fresh connection; the first byte clock keeps going.
    if (m_stream && !m_bodyStarted && !m_firstByteTimer.isActive())
        m_firstByteTimer.start(msecs(m_config.firstByteTimeout));
}

void ChatReply::onHeaders()
{
    if (!m_reply || m_mode != BodyMode::Undecided)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_connectTimer.stop();
    // Headers prove the request went out even if requestSent() was not seen.
    if (m_stream && !m_bodyStarted && !m_firstByteTimer.isActive())
        m_firstByteTimer.start(msecs(m_config.firstByteTimeout));
    m_httpStatus = status.toInt();
    if (m_httpStatus < 200 || m_httpStatus > 299) {
        m_mode = BodyMode::ErrorBody;
        m_firstByteTimer.stop();
        m_idleTimer.start(msecs(m_config.idleTimeout)); // an error body that never ends
        return;
    }
    // Some providers answer a streaming request with a plain JSON completion (or a JSON
    // error with status 200); read it as what it is.
    const bool isJson = m_reply->rawHeader("Content-Type").toLower().contains("json");
    m_mode = (m_stream && !isJson) ? BodyMode::Stream : BodyMode::Json;
}

void ChatReply::onReadyRead()
{
    if (!m_reply || m_finished)
        return;
    if (m_mode == BodyMode::Undecided)
        onHeaders();
    // Exactly what is buffered: readAll() asks the device for more afterwards, and that empty
    // read leaves a 16 KiB chunk reserved in the reply for as long as the stream lasts.
    const QByteArray data = m_reply->read(m_reply->bytesAvailable());
    if (data.isEmpty())
        return;

    if (!m_bodyStarted) {
        m_bodyStarted = true;
        m_connectTimer.stop();
        m_firstByteTimer.stop();
    }

    switch (m_mode) {
    case BodyMode::Stream:
        handleStreamData(data);
        break;
    case BodyMode::Json:
        if (m_buffered.size() + data.size() > MaxJsonBody) {
            failAttempt(
                Error{ErrorCode::Protocol, u"the provider's answer is too large"_s, m_httpStatus},
                false);
            return;
        }
        m_buffered.append(data);
        m_idleTimer.start(msecs(m_config.idleTimeout)); // a body that stops half-way
        break;
    case BodyMode::ErrorBody:
    case BodyMode::Undecided:
        if (m_buffered.size() < MaxErrorBody)
            m_buffered.append(data.first(std::min(data.size(), MaxErrorBody - m_buffered.size())));
        m_idleTimer.start(msecs(m_config.idleTimeout));
        break;
    }
}

void ChatReply::handleStreamData(const QByteArray &data)
{
    if (!m_idleTimer.isActive() && m_decoder->dataEvents() == 0)
        m_idleTimer.start(msecs(m_config.idleTimeout));

    const QList<ChatDelta> deltas = m_decoder->feed(data);
    if (m_decoder->dataEvents() != m_seenDataEvents) {
        // Only data restarts the idle clock: a provider that sends nothing but keep-alive
        // comments is stuck, however alive its connection looks.
        m_seenDataEvents = m_decoder->dataEvents();
        m_idleTimer.start(msecs(m_config.idleTimeout));
    }
    for (const ChatDelta &chunk : deltas) {
        deliver(chunk);
        if (m_finished) // a receiver cancelled
            return;
    }
    if (m_decoder->streamError()) {
        failAttempt(Error{ErrorCode::Upstream, *m_decoder->streamError(), m_httpStatus}, false);
        return;
    }
    if (m_decoder->parserFailed()) {
        failAttempt(Error{ErrorCode::Protocol,
                          u"the provider's stream could not be read: %1"_s.arg(
                              m_decoder->parser().errorString()),
                          m_httpStatus},
                    false);
    }
}

void ChatReply::deliver(const ChatDelta &chunk)
{
    m_delivered = true;
    m_result.content += chunk.content;
    m_result.reasoning += chunk.reasoning;
    emit delta(chunk.content, chunk.reasoning);
}

void ChatReply::onNetworkFinished()
{
    if (!m_reply || m_finished)
        return;
    if (m_mode == BodyMode::Undecided)
        onHeaders();
    // Whatever is still buffered belongs to the body.
    if (m_reply->bytesAvailable() > 0)
        onReadyRead();
    if (m_finished || !m_reply)
        return;

    const QNetworkReply::NetworkError networkError = m_reply->error();
    const QString qtMessage = m_reply->errorString();
    const QByteArray retryAfter = m_reply->rawHeader("Retry-After");
    const QUrl location = m_reply->header(QNetworkRequest::LocationHeader).toUrl();
    m_connectTimer.stop();
    m_firstByteTimer.stop();
    m_idleTimer.stop();

    if (m_httpStatus == 0) {
        failAttempt(upstream::errorForNetworkFailure(networkError, qtMessage),
                    upstream::isRetryableNetworkFailure(networkError));
        return;
    }
    if (m_httpStatus >= 300 && m_httpStatus <= 399) {
        // Following a redirect would send the API key to wherever it points.
        failAttempt(Error{ErrorCode::Upstream,
                          u"the provider redirected the request to %1; redirects are not "
                          "followed (check the base URL)"_s.arg(
                              location.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo)),
                          m_httpStatus},
                    false);
        return;
    }
    if (m_mode == BodyMode::ErrorBody) {
        failAttempt(upstream::errorForStatus(m_httpStatus, m_buffered),
                    upstream::isRetryableStatus(m_httpStatus),
                    upstream::parseRetryAfter(retryAfter, QDateTime::currentDateTimeUtc()));
        return;
    }
    if (m_mode == BodyMode::Json) {
        handleJsonBody(m_httpStatus);
        return;
    }

    m_decoder->finish();
    if (m_decoder->complete() || m_decoder->sawDone()) {
        finishWith(std::nullopt);
        return;
    }
    if (m_decoder->dataEvents() > 0 && m_decoder->dataEvents() == m_decoder->malformedEvents()) {
        failAttempt(Error{ErrorCode::Protocol,
                          u"the provider's answer was not an event stream of chat chunks"_s,
                          m_httpStatus},
                    false);
        return;
    }
    // A stream that simply stops is a dropped connection, whatever Qt calls it: without
    // finish_reason or [DONE] the answer is cut.
    Error error{ErrorCode::Network, u"the connection closed before the answer was complete"_s};
    qCWarning(lcApi).nospace() << "chat #" << m_id << ": stream ended early ("
                               << (networkError == QNetworkReply::NoError ? u"clean close"_s
                                                                          : qtMessage)
                               << ")";
    failAttempt(std::move(error), true);
}

void ChatReply::handleJsonBody(int httpStatus)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(m_buffered, &parseError);
    if (!document.isObject()) {
        failAttempt(Error{ErrorCode::Protocol,
                          u"the provider's answer is not JSON: %1"_s.arg(
                              upstream::errorMessageFromBody(m_buffered).left(200)),
                          httpStatus},
                    false);
        return;
    }
    const QJsonObject json = document.object();
    if (json.contains("error"_L1)) {
        failAttempt(Error{ErrorCode::Upstream,
                          upstream::errorMessageFromJson(json).value_or(QString()), httpStatus},
                    false);
        return;
    }
    const QJsonArray choices = json.value("choices"_L1).toArray();
    const QJsonObject choice = choices.isEmpty() ? QJsonObject() : choices.first().toObject();
    const QJsonValue messageValue = choice.value("message"_L1);
    if (!messageValue.isObject()) {
        failAttempt(
            Error{ErrorCode::Protocol, u"the provider's answer holds no message"_s, httpStatus},
            false);
        return;
    }
    const QJsonObject message = messageValue.toObject();
    ChatDelta whole;
    whole.content = message.value("content"_L1).toString();
    whole.reasoning = message.value("reasoning_content"_L1).toString();
    if (whole.reasoning.isEmpty())
        whole.reasoning = message.value("reasoning"_L1).toString();
    m_result.finishReason = choice.value("finish_reason"_L1).toString();
    m_result.usage = Usage::fromJson(json.value("usage"_L1));
    m_result.model = json.value("model"_L1).toString();
    if (!whole.content.isEmpty() || !whole.reasoning.isEmpty())
        deliver(whole);
    if (!m_finished)
        finishWith(std::nullopt);
}

void ChatReply::onTimeout(ErrorCode code)
{
    if (m_finished)
        return;
    if (code == ErrorCode::IdleTimeout && m_decoder && m_mode == BodyMode::Stream
        && (m_decoder->sawDone() || m_decoder->complete())) {
        // The answer is whole; only the connection lingers.
        finishWith(std::nullopt);
        return;
    }
    if (code == ErrorCode::IdleTimeout && m_mode == BodyMode::ErrorBody && m_reply) {
        // The status already says what went wrong; the rest of its body is not worth waiting
        // for.
        const QByteArray retryAfter = m_reply->rawHeader("Retry-After");
        failAttempt(upstream::errorForStatus(m_httpStatus, m_buffered),
                    upstream::isRetryableStatus(m_httpStatus),
                    upstream::parseRetryAfter(retryAfter, QDateTime::currentDateTimeUtc()));
        return;
    }
    Error error{code, {}, m_httpStatus};
    bool retryable = false;
    switch (code) {
    case ErrorCode::ConnectTimeout:
        error.message = u"could not connect to the provider within %1 s"_s.arg(
            seconds(m_config.connectTimeout));
        retryable = true; // nothing reached the provider yet
        break;
    case ErrorCode::FirstByteTimeout:
        error.message = u"the provider did not start answering within %1 s"_s.arg(
            seconds(m_config.firstByteTimeout));
        break;
    case ErrorCode::IdleTimeout:
        error.message = u"the provider sent nothing for %1 s"_s.arg(seconds(m_config.idleTimeout));
        break;
    default:
        error.code = ErrorCode::TotalTimeout;
        error.message = u"the answer took longer than %1 s"_s.arg(seconds(m_config.totalTimeout));
        finishWith(std::move(error));
        return;
    }
    failAttempt(std::move(error), retryable);
}

void ChatReply::failAttempt(Error error, bool retryable,
                            std::optional<std::chrono::milliseconds> retryAfter)
{
    dropNetworkReply();
    m_connectTimer.stop();
    m_firstByteTimer.stop();
    m_idleTimer.stop();

    const int retriesDone = m_result.attempts - 1;
    if (retryable && !m_delivered && retriesDone < m_config.maxRetries && m_nam) {
        std::chrono::milliseconds delay = backoffDelay();
        if (retryAfter)
            delay = std::min(*retryAfter, m_config.maxRetryDelay);
        const auto left = m_config.totalTimeout - std::chrono::milliseconds(m_clock.elapsed());
        if (delay < left) {
            qCWarning(lcApi).nospace()
                << "chat #" << m_id << ": attempt " << m_result.attempts << " failed ("
                << error.toString() << "), retrying in " << delay.count() << " ms";
            m_retryTimer.start(msecs(delay));
            emit retrying(m_result.attempts + 1, delay.count());
            return;
        }
    }
    finishWith(std::move(error));
}

std::chrono::milliseconds ChatReply::backoffDelay() const
{
    // Exponential with "equal jitter": half the delay is fixed, half random, so clients that
    // failed together do not come back together.
    const int retry = std::max(0, m_result.attempts - 1);
    const double exponential = double(m_config.retryBaseDelay.count()) * std::pow(2.0, retry);
    const double capped = std::min(exponential, double(m_config.maxRetryDelay.count()));
    const double jittered = capped / 2 + QRandomGenerator::global()->generateDouble() * capped / 2;
    return std::chrono::milliseconds(qint64(jittered));
}

void ChatReply::cancel()
{
    if (m_finished)
        return;
    qCInfo(lcApi).nospace() << "chat #" << m_id << ": cancelled";
    finishWith(Error{ErrorCode::Cancelled, u"the request was cancelled"_s});
}

void ChatReply::dropNetworkReply()
{
    discardNetworkReply(m_reply, this);
}

void ChatReply::finishWith(std::optional<Error> error)
{
    if (m_finished)
        return;
    m_finished = true;
    dropNetworkReply();
    for (QTimer *timer :
         {&m_connectTimer, &m_firstByteTimer, &m_idleTimer, &m_totalTimer, &m_retryTimer})
        timer->stop();

    if (m_decoder && m_mode == BodyMode::Stream) {
        m_result.finishReason = m_decoder->finishReason();
        m_result.usage = m_decoder->usage();
        m_result.model = m_decoder->model();
    }
    if (error && error->httpStatus == 0 && m_httpStatus != 0 && error->code != ErrorCode::Cancelled)
        error->httpStatus = m_httpStatus;
    m_result.complete = !error.has_value();
    if (error)
        error = upstream::withoutSecret(std::move(*error), m_config.apiKey);
    m_result.error = std::move(error);

    if (m_result.error) {
        qCWarning(lcApi).nospace()
            << "chat #" << m_id << ": failed after " << m_clock.elapsed() << " ms, "
            << m_result.attempts << " attempt(s): " << m_result.error->toString();
    } else {
        qCInfo(lcApi).nospace() << "chat #" << m_id << ": done in " << m_clock.elapsed()
                                << " ms (finish " << m_result.finishReason << ", "
                                << m_result.content.size() << " chars)";
    }
    // Never from inside send() or cancel(): receivers may delete us or start the next call.
    QMetaObject::invokeMethod(
        this, [this] { emit finished(); }, Qt::QueuedConnection);
}

} // namespace confab
