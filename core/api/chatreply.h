#pragma once

#include "api/chatstreamdecoder.h"
#include "api/providerconfig.h"
#include "common/error.h"
#include "common/types.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace confab {

// What a chat call produced. On an error the text that had already been delivered is kept.
struct ChatResult
{
    QString content;
    QString reasoning;
    QString finishReason; // "stop", "length", ...; empty when the model did not say
    std::optional<Usage> usage;
    QString model;         // the model the provider says answered
    bool complete = false; // the whole answer arrived (finish_reason or [DONE], no error)
    std::optional<Error> error;
    int attempts = 0; // HTTP requests made, retries included
};

// One chat-completions call in flight, made by Provider::send(). Emits delta() as text
// arrives and finished() exactly once, always asynchronously (success, error or cancel).
// The caller owns it: deleteLater() it after finished(); deleting it earlier aborts the call.
//
// Retries (429, 5xx, connection failures) happen only before the first delta, so text the
// user has seen is never replaced. Timeouts are the ProviderConfig's; a non-streaming call
// has the connect and total timeouts only, since its first byte is its whole answer.
class ChatReply final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatReply)

public:
    ~ChatReply() override;

    // Stops the call; finished() follows with a Cancelled error and the partial answer.
    // Does nothing once the call has finished.
    void cancel();
    // The result is final (finished() was emitted or is queued).
    bool isFinished() const { return m_finished; }
    const ChatResult &result() const { return m_result; }

signals:
    void delta(const QString &content, const QString &reasoning);
    // A failed attempt will be repeated after delayMs (for a "retrying..." status).
    void retrying(int nextAttempt, qint64 delayMs);
    void finished();

private:
    friend class Provider;
    ChatReply(QNetworkAccessManager *nam, const ProviderConfig &config, QNetworkRequest request,
              QByteArray body, bool stream, QObject *parent = nullptr);
    void start(std::optional<Error> invalidRequest);

    enum class BodyMode { Undecided, Stream, Json, ErrorBody };

    void startAttempt();
    void onRequestSent();
    void onHeaders();
    void onReadyRead();
    void onNetworkFinished();
    void onTimeout(ErrorCode code);
    void handleStreamData(const QByteArray &data);
    void handleJsonBody(int httpStatus);
    void deliver(const ChatDelta &chunk);
    // Fails the attempt; retries when retryable and allowed, else finishes with error.
    void failAttempt(Error error, bool retryable,
                     std::optional<std::chrono::milliseconds> retryAfter = std::nullopt);
    void finishWith(std::optional<Error> error);
    void dropNetworkReply();
    std::chrono::milliseconds backoffDelay() const;

    QPointer<QNetworkAccessManager> m_nam;
    ProviderConfig m_config;
    QNetworkRequest m_request;
    QByteArray m_body;
    bool m_stream = true;

    QPointer<QNetworkReply> m_reply;
    BodyMode m_mode = BodyMode::Undecided;
    int m_httpStatus = 0;
    bool m_bodyStarted = false;
    QByteArray m_buffered; // a JSON answer or an error body, bounded
    std::optional<ChatStreamDecoder> m_decoder;
    qint64 m_seenDataEvents = 0;

    QTimer m_connectTimer;
    QTimer m_firstByteTimer;
    QTimer m_idleTimer;
    QTimer m_totalTimer;
    QTimer m_retryTimer;
    QElapsedTimer m_clock;

    ChatResult m_result;
    quint64 m_id = 0; // correlates log lines of one call
    bool m_delivered = false;
    bool m_finished = false;
};

} // namespace confab
