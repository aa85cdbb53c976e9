#pragma once

#include "api/provider.h"

namespace confab {

// Conversation titles: the provisional one taken from the first message at once, and the
// request that asks the model for a better one after its first answer.
class ConversationTitle
{
public:
    static constexpr qsizetype maxLength = 50;

    // The first message, on one line, shortened to maxLength.
    static QString provisional(const QString &firstMessage);
    // A small non-streaming request for a title in the conversation's own language.
    static ChatRequest request(const QString &question, const QString &answer,
                               const ChatParams &params);
    // The model's reply as a title: first line, without quotes, markup or a final full stop;
    // empty when nothing usable is left.
    static QString cleaned(const QString &reply);
};

} // namespace confab
