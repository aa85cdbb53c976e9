#include "answerrecorder.h"

#include "api/chatreply.h"
#include "common/logging.h"
#include "storage/messagestore.h"

namespace confab {

AnswerRecorder::AnswerRecorder(MessageStore &store, qint64 userId, Message answer, ChatReply *reply,
                               std::chrono::milliseconds saveInterval, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_userId(userId)
    , m_answer(std::move(answer))
    , m_reply(reply)
{
    reply->setParent(this);
    m_saveTimer.setInterval(saveInterval);
    connect(&m_saveTimer, &QTimer::timeout, this, &AnswerRecorder::saveProgress);
    connect(reply, &ChatReply::delta, this, &AnswerRecorder::onDelta);
    connect(reply, &ChatReply::finished, this, &AnswerRecorder::onReplyFinished);
    m_saveTimer.start();
}

AnswerRecorder::~AnswerRecorder()
{
    // Destroyed mid-stream (shutdown): the partial answer is kept, marked incomplete.
    if (!m_finished && m_reply) {
        m_cancelReason = Error{ErrorCode::Cancelled, tr("Confab was closed while answering.")};
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->cancel();
        saveFinal(); // no signals from a destructor
    }
}

void AnswerRecorder::cancel(const Error &reason)
{
    if (m_finished || !m_reply)
        return;
    m_cancelReason = reason;
    m_reply->cancel();
}

void AnswerRecorder::onDelta(const QString &content, const QString &reasoning)
{
    m_answer.content += content;
    m_answer.reasoning += reasoning;
    m_dirty = true;
    emit delta(m_answer, content, reasoning);
}

void AnswerRecorder::saveProgress()
{
    if (!m_dirty)
        return;
    const auto saved
        = m_store.updateStreaming(m_userId, m_answer.id, m_answer.content, m_answer.reasoning);
    if (!saved) {
        // Keep the text in memory and try again at the next tick or at the end.
        qCWarning(lcChat) << "could not save a streaming answer:" << saved.error().toString();
        emit saveFailed(saved.error());
        return;
    }
    m_dirty = false;
}

void AnswerRecorder::onReplyFinished()
{
    if (m_finished)
        return;
    const std::optional<Error> error = saveFinal();
    emit finished(m_answer, error);
}

std::optional<Error> AnswerRecorder::saveFinal()
{
    m_finished = true;
    m_saveTimer.stop();

    const ChatResult &result = m_reply->result();
    std::optional<Error> error = result.error;
    if (error && error->code == ErrorCode::Cancelled && m_cancelReason)
        error = m_cancelReason;
    // The reply's own accumulation is authoritative (a non-streaming reply may carry text
    // that never came as a delta).
    if (!result.content.isEmpty() || !result.reasoning.isEmpty()) {
        m_answer.content = result.content;
        m_answer.reasoning = result.reasoning;
    }
    m_answer.usage = result.usage;
    if (error || !result.complete) {
        if (!error)
            error = Error{ErrorCode::Network, tr("The answer ended before it was complete.")};
        m_answer.state = MessageState::Incomplete;
        m_answer.finishReason = error->codeName();
        m_answer.errorMessage = error->message;
    } else {
        m_answer.state = MessageState::Complete;
        m_answer.finishReason = result.finishReason;
        m_answer.errorMessage.clear();
    }

    const auto saved = m_store.finish(m_userId, m_answer.id, m_answer.state, m_answer.finishReason,
                                      m_answer.errorMessage, m_answer.usage, m_answer.content,
                                      m_answer.reasoning);
    if (!saved) {
        qCWarning(lcChat) << "could not save a finished answer:" << saved.error().toString();
        emit saveFailed(saved.error());
    }
    return error;
}

} // namespace confab
