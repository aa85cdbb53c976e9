#pragma once

#include "common/types.h"

#include <QList>
#include <QString>

namespace confab {

// Chooses what a chat request sends to the model: the system prompt, then the most recent
// messages that make sense to resend. The app (direct mode) and the server both use it, so a
// conversation gets the same context either way.
class ContextWindow
{
public:
    // How many history messages are sent when a conversation sets no number (DESIGN.md 4).
    static constexpr int defaultMaxMessages = 15;

    // The system prompt first (when it has text; it does not count against maxMessages), then
    // the last maxMessages eligible messages of history, oldest first. Eligible: not a system
    // message, and not an assistant message without text (a failed attempt); an incomplete
    // answer with text is kept. maxMessages <= 0 means defaultMaxMessages.
    static QList<PromptMessage> build(const QString &systemPrompt, const QList<Message> &history,
                                      int maxMessages);

    static bool isEligible(const Message &message);
};

} // namespace confab
