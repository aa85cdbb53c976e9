#pragma once

#include "common/result.h"
#include "common/types.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace confab {

// One conversation of a ChatGPT export, as the ChatGPT UI showed it: the branch that ends at
// its current node, visible messages only. Messages carry role, content, reasoning (from
// "thoughts"), time and state; their ids are left 0 for the store to assign.
struct ImportedConversation
{
    QString title;
    QDateTime createdAt;
    QDateTime updatedAt;
    QList<Message> messages;
    QString sourceId; // the export's conversation id, to recognise a repeated import
};

struct ChatGptImport
{
    QList<ImportedConversation> conversations;
    int skipped = 0;      // conversations that were unreadable or had no visible message
    QStringList warnings; // what was skipped or repaired, for the import summary (capped)
};

// Reads the conversations.json of a ChatGPT data export (Settings > Data controls > Export).
// The file is untrusted: broken conversations are skipped and counted, broken trees (parent
// cycles, missing nodes, a missing current node) are repaired as far as they can be, and only
// a file that is not a JSON array of conversations fails as a whole.
class ChatGptImporter
{
public:
    // Called before each conversation with how many are done out of the total; returning false
    // cancels the import, which then fails with ErrorCode::Cancelled.
    using Progress = std::function<bool(qsizetype done, qsizetype total)>;

    static constexpr qint64 maxFileBytes = qint64(1) << 30;
    static constexpr int maxWarnings = 100;

    static Result<ChatGptImport> parse(const QByteArray &json, const Progress &progress = {});
    static Result<ChatGptImport> parseFile(const QString &path, const Progress &progress = {});
};

} // namespace confab
