#pragma once

#include "common/result.h"
#include "common/types.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace confab {

// Writes a conversation for people (Markdown) or for Confab itself (JSON, which fromJson reads
// back, so a conversation can move between machines and servers).
class ConversationExporter
{
public:
    static constexpr auto jsonFormat = QLatin1StringView("confab.conversation");
    static constexpr int jsonVersion = 1;
    static constexpr qsizetype maxJsonBytes = qsizetype(256) << 20;

    // A title heading, a metadata line, then each message under a role heading; reasoning is
    // a quoted section before the answer and cut-short answers are marked as such.
    static QString toMarkdown(const Conversation &conversation, const QList<Message> &messages);

    // {"format":"confab.conversation","version":1,"exported_at":...,"conversation":{...},
    //  "messages":[...]}, with the API shapes of Conversation and Message.
    static QByteArray toJson(const Conversation &conversation, const QList<Message> &messages);
    static Result<std::pair<Conversation, QList<Message>>> fromJson(const QByteArray &json);

    // A file name for the export: the title without characters file systems reject.
    static QString suggestedFileName(const Conversation &conversation, QStringView extension);
};

} // namespace confab
