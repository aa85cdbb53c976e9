#include "contextwindow.h"

namespace confab {

bool ContextWindow::isEligible(const Message &message)
{
    switch (message.role) {
    case Role::System:
        // The conversation's system prompt comes from its preset, never from stored history.
        return false;
    case Role::Assistant:
        // An answer that failed before its first token would send the model an empty turn.
        return !message.content.trimmed().isEmpty();
    case Role::User:
        return true;
    }
    return false;
}

QList<PromptMessage> ContextWindow::build(const QString &systemPrompt,
                                          const QList<Message> &history, int maxMessages)
{
    const int limit = maxMessages > 0 ? maxMessages : defaultMaxMessages;

    // Walk back from the newest message so a long history costs only what is taken.
    QList<PromptMessage> newestFirst;
    for (auto it = history.crbegin(); it != history.crend() && newestFirst.size() < limit; ++it) {
        if (isEligible(*it))
            newestFirst.append({it->role, it->content});
    }

    QList<PromptMessage> prompt;
    prompt.reserve(newestFirst.size() + 1);
    if (!systemPrompt.trimmed().isEmpty())
        prompt.append({Role::System, systemPrompt});
    for (auto it = newestFirst.crbegin(); it != newestFirst.crend(); ++it)
        prompt.append(*it);
    return prompt;
}

} // namespace confab
