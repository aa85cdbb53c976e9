#include "conversationtitle.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Enough of the exchange to know what it is about; titles need no more.
constexpr qsizetype MaxExcerpt = 1500;

QString shortened(const QString &text, qsizetype length)
{
    return text.size() <= length ? text : text.left(length - 1).trimmed() + u'…';
}

} // namespace

QString ConversationTitle::provisional(const QString &firstMessage)
{
    return shortened(firstMessage.simplified(), maxLength);
}

ChatRequest ConversationTitle::request(const QString &question, const QString &answer,
                                       const ChatParams &params)
{
    ChatRequest request;
    request.stream = false;
    request.params.model = params.model;
    request.params.temperature = 0.3;
    request.params.maxTokens = 30;
    request.messages = {
        {Role::System,
         u"You name conversations. Reply with a title of at most six words for the conversation "
         "below, in the language the user wrote in. Reply with the title only: no quotes, no "
         "final punctuation."_s},
        {Role::User,
         u"User: %1\n\nAssistant: %2"_s.arg(shortened(question, MaxExcerpt),
                                            shortened(answer, MaxExcerpt))},
    };
    return request;
}

QString ConversationTitle::cleaned(const QString &reply)
{
    QString title = reply.trimmed().section(u'\n', 0, 0).trimmed();
    // Models like to dress titles up: "Title: **“Tides”**."
    if (title.startsWith("title:"_L1, Qt::CaseInsensitive))
        title = title.mid(6).trimmed();
    static const QString decoration = u"\"'“”‘’「」《》*#`_ "_s;
    while (!title.isEmpty() && decoration.contains(title.front()))
        title.remove(0, 1);
    while (!title.isEmpty()
           && (decoration.contains(title.back()) || u".。!！"_s.contains(title.back())))
        title.chop(1);
    return shortened(title.simplified(), maxLength);
}

} // namespace confab
