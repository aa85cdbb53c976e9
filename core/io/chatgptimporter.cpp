#include "chatgptimporter.h"

#include "common/logging.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr qsizetype kMaxTitleFromMessage = 80;

Error invalid(const QString &message)
{
    return Error{ErrorCode::InvalidInput, message};
}

// ChatGPT writes times as fractional seconds since the epoch; anything else (null, text,
// out-of-range numbers from a damaged file) counts as unknown.
std::optional<QDateTime> timeFrom(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double seconds = value.toDouble();
    constexpr double kYear3000 = 32'503'680'000.0;
    if (!std::isfinite(seconds) || seconds < 0 || seconds > kYear3000)
        return std::nullopt;
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(seconds * 1000.0)), Qt::UTC);
}

double sortTime(const QJsonObject &node)
{
    const auto time = timeFrom(node.value("message"_L1).toObject().value("create_time"_L1));
    return time ? double(time->toMSecsSinceEpoch()) : -std::numeric_limits<double>::infinity();
}

// A fence longer than any backtick run inside, so the code cannot close it early.
QString fenced(const QString &code, const QString &language)
{
    qsizetype longest = 0;
    qsizetype run = 0;
    for (const QChar c : code) {
        run = c == u'`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const QString fence(std::max<qsizetype>(3, longest + 1), u'`');
    return fence + language + u'\n' + code + u'\n' + fence;
}

// The readable text of a message's content. Text and multimodal messages keep their string
// parts (and the text of transcript-like parts); images, files and other assets are left out.
QString textOf(const QJsonObject &content)
{
    const QString type = content.value("content_type"_L1).toString();
    const QJsonValue parts = content.value("parts"_L1);
    if (parts.isArray()) {
        QStringList texts;
        for (const QJsonValue &part : parts.toArray()) {
            QString text;
            if (part.isString())
                text = part.toString();
            else if (part.isObject() && part.toObject().value("text"_L1).isString())
                text = part.toObject().value("text"_L1).toString();
            if (!text.trimmed().isEmpty())
                texts.append(text);
        }
        return texts.join("\n\n"_L1);
    }
    if (type == "code"_L1) {
        const QString code = content.value("text"_L1).toString();
        QString language = content.value("language"_L1).toString();
        if (language == "unknown"_L1 || language.contains(u'`') || language.contains(u'\n'))
            language.clear();
        return code.trimmed().isEmpty() ? QString() : fenced(code, language);
    }
    if (content.value("text"_L1).isString())
        return content.value("text"_L1).toString();
    if (content.value("result"_L1).isString())
        return content.value("result"_L1).toString();
    return {};
}

// o1-style "thoughts" content: the model's reasoning shown above its answer.
QString thoughtsOf(const QJsonObject &content)
{
    QStringList texts;
    for (const QJsonValue &thought : content.value("thoughts"_L1).toArray()) {
        const QJsonObject object = thought.toObject();
        const QString summary = object.value("summary"_L1).toString().trimmed();
        const QString body = object.value("content"_L1).toString().trimmed();
        if (!summary.isEmpty() && !body.isEmpty())
            texts.append(u"**"_s + summary + u"**\n\n"_s + body);
        else if (!summary.isEmpty() || !body.isEmpty())
            texts.append(summary.isEmpty() ? body : summary);
    }
    return texts.join("\n\n"_L1);
}

class ConversationReader
{
public:
    explicit ConversationReader(ChatGptImport &import)
        : m_import(import)
    {}

    std::optional<ImportedConversation> read(const QJsonValue &value, qsizetype index)
    {
        m_label = u"conversation %1"_s.arg(index + 1);
        if (!value.isObject()) {
            warn(u"is not a JSON object; skipped"_s);
            return std::nullopt;
        }
        const QJsonObject json = value.toObject();
        ImportedConversation conversation;
        conversation.title = json.value("title"_L1).toString().trimmed();
        if (!conversation.title.isEmpty())
            m_label += u" (\""_s + conversation.title.left(60) + u"\")"_s;
        conversation.sourceId = json.value("id"_L1).toString();
        if (conversation.sourceId.isEmpty())
            conversation.sourceId = json.value("conversation_id"_L1).toString();
        conversation.createdAt = timeFrom(json.value("create_time"_L1)).value_or(QDateTime());
        conversation.updatedAt
            = timeFrom(json.value("update_time"_L1)).value_or(conversation.createdAt);

        const QJsonValue mapping = json.value("mapping"_L1);
        if (!mapping.isObject()) {
            warn(u"has no message tree; skipped"_s);
            return std::nullopt;
        }
        const QJsonObject tree = mapping.toObject();
        QHash<QString, QJsonObject> nodes;
        nodes.reserve(tree.size());
        for (auto it = tree.begin(); it != tree.end(); ++it) {
            if (it.value().isObject())
                nodes.insert(it.key(), it.value().toObject());
        }

        conversation.messages
            = messagesOf(branch(nodes, json.value("current_node"_L1)), conversation.createdAt);
        if (conversation.messages.isEmpty()) {
            warn(u"has no visible messages; skipped"_s);
            return std::nullopt;
        }
        if (!conversation.createdAt.isValid())
            conversation.createdAt = conversation.messages.first().createdAt;
        if (!conversation.updatedAt.isValid())
            conversation.updatedAt = conversation.messages.last().createdAt;
        if (conversation.title.isEmpty())
            conversation.title = titleFrom(conversation.messages);
        return conversation;
    }

    void warn(const QString &problem)
    {
        if (m_import.warnings.size() < ChatGptImporter::maxWarnings)
            m_import.warnings.append(m_label + u' ' + problem);
    }

private:
    // The nodes from the root to the current node, oldest first.
    QList<QJsonObject> branch(const QHash<QString, QJsonObject> &nodes, const QJsonValue &current)
    {
        QString id = current.toString();
        if (!nodes.contains(id)) {
            id = newestLeaf(nodes);
            if (!id.isEmpty())
                warn(u"names no valid current node; showing its newest branch"_s);
        }
        QList<QJsonObject> path;
        QSet<QString> seen;
        while (!id.isEmpty()) {
            const auto it = nodes.constFind(id);
            if (it == nodes.cend()) {
                warn(u"refers to a missing message; its older part is left out"_s);
                break;
            }
            // Every node is visited once, so a cyclic tree ends the walk instead of looping.
            if (seen.contains(id)) {
                warn(u"has a cycle in its message tree; it was cut"_s);
                break;
            }
            seen.insert(id);
            path.append(*it);
            const QJsonValue parent = it->value("parent"_L1);
            id = parent.isString() ? parent.toString() : QString();
        }
        std::reverse(path.begin(), path.end());
        return path;
    }

    static QString newestLeaf(const QHash<QString, QJsonObject> &nodes)
    {
        QString best;
        bool bestIsLeaf = false;
        double bestTime = -std::numeric_limits<double>::infinity();
        for (auto it = nodes.cbegin(); it != nodes.cend(); ++it) {
            bool leaf = true;
            for (const QJsonValue &child : it->value("children"_L1).toArray()) {
                if (nodes.contains(child.toString())) {
                    leaf = false;
                    break;
                }
            }
            const double time = sortTime(*it);
            // Leaves first, then the newest, then the greater id: the same file always gives
            // the same choice whatever the hash order.
            const bool better = best.isEmpty() || (leaf && !bestIsLeaf)
                || (leaf == bestIsLeaf
                    && (time > bestTime || (time == bestTime && it.key() > best)));
            if (better) {
                best = it.key();
                bestIsLeaf = leaf;
                bestTime = time;
            }
        }
        return best;
    }

    QList<Message> messagesOf(const QList<QJsonObject> &path, const QDateTime &conversationTime)
    {
        QList<Message> messages;
        QString pendingReasoning;
        QDateTime lastTime = conversationTime;
        for (const QJsonObject &node : path) {
            const QJsonValue messageValue = node.value("message"_L1);
            if (!messageValue.isObject())
                continue; // the root and other placeholders carry no message
            const QJsonObject json = messageValue.toObject();
            const QString roleName = json.value("author"_L1).toObject().value("role"_L1).toString();
            const auto role = roleFromName(roleName);
            if (!role)
                continue; // tool output and unknown authors are not part of the visible chat
            const QJsonObject metadata = json.value("metadata"_L1).toObject();
            if (metadata.value("is_visually_hidden_from_conversation"_L1).toBool())
                continue;
            const QJsonObject content = json.value("content"_L1).toObject();
            const QString type = content.value("content_type"_L1).toString();
            const QJsonValue recipient = json.value("recipient"_L1);
            // Calls the model addressed to a tool (browser, image generator) are not shown in
            // ChatGPT, except code it ran, which is.
            if (*role == Role::Assistant && recipient.isString() && recipient.toString() != "all"_L1
                && type != "code"_L1)
                continue;
            if (type == "thoughts"_L1) {
                const QString thoughts = thoughtsOf(content);
                if (!thoughts.isEmpty())
                    pendingReasoning
                        += (pendingReasoning.isEmpty() ? QString() : u"\n\n"_s) + thoughts;
                continue;
            }
            const QString text = textOf(content);
            if (text.trimmed().isEmpty())
                continue;

            Message message;
            message.role = *role;
            message.content = text;
            if (const auto time = timeFrom(json.value("create_time"_L1)))
                lastTime = *time;
            message.createdAt = lastTime;
            const QString status = json.value("status"_L1).toString();
            if (status == "in_progress"_L1 || status == "finished_partial_completion"_L1)
                message.state = MessageState::Incomplete;
            if (message.role == Role::Assistant) {
                message.reasoning = pendingReasoning;
                pendingReasoning.clear();
            }
            messages.append(message);
        }
        return messages;
    }

    static QString titleFrom(const QList<Message> &messages)
    {
        for (const Message &message : messages) {
            if (message.role != Role::User)
                continue;
            const QString line = message.content.trimmed().section(u'\n', 0, 0).trimmed();
            return line.size() > kMaxTitleFromMessage
                ? line.left(kMaxTitleFromMessage - 1) + u'\u2026'
                : line;
        }
        return {};
    }

    ChatGptImport &m_import;
    QString m_label;
};

} // namespace

Result<ChatGptImport> ChatGptImporter::parse(const QByteArray &json, const Progress &progress)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return invalid(u"not a ChatGPT export: the file is not valid JSON (%1 at offset %2)"_s
                           .arg(parseError.errorString())
                           .arg(parseError.offset));
    }
    if (!document.isArray()) {
        return invalid(u"not a ChatGPT export: conversations.json holds a list of "
                       "conversations, this file does not"_s);
    }

    const QJsonArray items = document.array();
    ChatGptImport import;
    ConversationReader reader(import);
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (progress && !progress(i, items.size()))
            return Error{ErrorCode::Cancelled, u"the import was cancelled"_s};
        if (auto conversation = reader.read(items.at(i), i))
            import.conversations.append(*std::move(conversation));
        else
            ++import.skipped;
    }
    if (progress)
        progress(items.size(), items.size());
    if (import.skipped > 0)
        qCInfo(lcIo) << "ChatGPT import skipped" << import.skipped << "of" << items.size()
                     << "conversations";
    return import;
}

Result<ChatGptImport> ChatGptImporter::parseFile(const QString &path, const Progress &progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{ErrorCode::NotFound, u"cannot open %1: %2"_s.arg(path, file.errorString())};
    if (file.size() > maxFileBytes) {
        return invalid(
            u"%1 is larger than %2 MiB, more than a ChatGPT export holds"_s.arg(path).arg(
                maxFileBytes >> 20));
    }
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Error{ErrorCode::Internal, u"cannot read %1: %2"_s.arg(path, file.errorString())};
    return parse(data, progress);
}

} // namespace confab
