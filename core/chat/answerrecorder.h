#pragma once

#include "common/types.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace confab {

class ChatReply;
class MessageStore;

// Writes an answer that is being streamed into its message row: at most one write per save
// interval while text arrives (so at most that much is ever lost), and a final write when the
// stream ends, complete or marked incomplete with the reason. Shared by the desktop's
// LocalChatService and the server.
class AnswerRecorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnswerRecorder)

public:
    // Takes ownership of reply. answer is the already saved placeholder (state Streaming).
    AnswerRecorder(MessageStore &store, qint64 userId, Message answer, ChatReply *reply,
                   std::chrono::milliseconds saveInterval, QObject *parent = nullptr);
    ~AnswerRecorder() override;

    const Message &answer() const { return m_answer; }
    bool isFinished() const { return m_finished; }
    // Stops the upstream request; finished() follows with the partial answer.
    void cancel(const Error &reason);

signals:
    void delta(const confab::Message &answer, const QString &content, const QString &reasoning);
    // The answer as saved. error is set when it is incomplete; saveError when a write failed.
    void finished(const confab::Message &answer, const std::optional<confab::Error> &error);
    void saveFailed(const confab::Error &error);

private:
    void onDelta(const QString &content, const QString &reasoning);
    void onReplyFinished();
    void saveProgress();
    // Writes the final state of the answer; returns why it is incomplete, if it is.
    std::optional<Error> saveFinal();

    MessageStore &m_store;
    qint64 m_userId;
    Message m_answer;
    QPointer<ChatReply> m_reply;
    QTimer m_saveTimer;
    std::optional<Error> m_cancelReason;
    bool m_dirty = false;
    bool m_finished = false;
};

} // namespace confab
