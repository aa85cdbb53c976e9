#include "conversationexporter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

Error invalid(const QString &message)
{
    return Error{ErrorCode::InvalidInput, message};
}

QString readableTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-dd HH:mm 'UTC'"_s) : QString();
}

QString roleHeading(Role role)
{
    switch (role) {
    case Role::System:
        return u"System"_s;
    case Role::User:
        return u"User"_s;
    case Role::Assistant:
        return u"Assistant"_s;
    }
    return u"User"_s;
}

QString quoted(const QString &text)
{
    QStringList lines = text.trimmed().split(u'\n');
    for (QString &line : lines)
        line = line.isEmpty() ? u">"_s : u"> "_s + line;
    return lines.join(u'\n');
}

QString untitled(const Conversation &conversation)
{
    const QString title = conversation.title.simplified();
    return title.isEmpty() ? u"Untitled conversation"_s : title;
}

} // namespace

QString ConversationExporter::toMarkdown(const Conversation &conversation,
                                         const QList<Message> &messages)
{
    QString out = u"# "_s + untitled(conversation) + u"\n\n"_s;

    QStringList facts;
    if (!conversation.params.model.isEmpty())
        facts.append(u"Model: "_s + conversation.params.model);
    if (conversation.createdAt.isValid())
        facts.append(u"Created: "_s + readableTime(conversation.createdAt));
    if (conversation.updatedAt.isValid())
        facts.append(u"Updated: "_s + readableTime(conversation.updatedAt));
    facts.append(messages.size() == 1 ? u"1 message"_s : u"%1 messages"_s.arg(messages.size()));
    facts.append(u"Exported from Confab"_s);
    out += u"*"_s + facts.join(u" \u00b7 "_s) + u"*\n"_s;

    for (const Message &message : messages) {
        out += u"\n---\n\n### "_s + roleHeading(message.role);
        if (message.createdAt.isValid())
            out += u" \u00b7 "_s + readableTime(message.createdAt);
        out += u"\n\n"_s;
        if (!message.reasoning.trimmed().isEmpty())
            out += u"> **Reasoning**\n>\n"_s + quoted(message.reasoning) + u"\n\n"_s;
        if (!message.content.isEmpty())
            out += message.content.trimmed() + u'\n';
        if (message.incomplete()) {
            QString why
                = message.errorMessage.isEmpty() ? message.finishReason : message.errorMessage;
            out += u"\n*(Incomplete answer"_s + (why.isEmpty() ? QString() : u": "_s + why)
                + u")*\n"_s;
        }
    }
    return out;
}

QByteArray ConversationExporter::toJson(const Conversation &conversation,
                                        const QList<Message> &messages)
{
    QJsonArray items;
    for (const Message &message : messages)
        items.append(message.toJson());
    const QJsonObject root{{u"format"_s, jsonFormat},
                           {u"version"_s, jsonVersion},
                           {u"exported_at"_s, toIsoUtc(QDateTime::currentDateTimeUtc())},
                           {u"conversation"_s, conversation.toJson()},
                           {u"messages"_s, items}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<std::pair<Conversation, QList<Message>>>
ConversationExporter::fromJson(const QByteArray &json)
{
    if (json.size() > maxJsonBytes)
        return invalid(u"the conversation file is larger than %1 MiB"_s.arg(maxJsonBytes >> 20));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return invalid(u"the conversation file is not valid JSON: %1 at offset %2"_s
                           .arg(parseError.errorString())
                           .arg(parseError.offset));
    }
    if (!document.isObject())
        return invalid(u"the conversation file must hold a JSON object"_s);
    const QJsonObject root = document.object();
    if (root.value("format"_L1).toString() != jsonFormat)
        return invalid(
            u"not a Confab conversation export (no \"format\": \"%1\")"_s.arg(jsonFormat));
    const QJsonValue versionValue = root.value("version"_L1);
    const double version = versionValue.toDouble(-1);
    if (!versionValue.isDouble() || version < 1 || version != std::floor(version))
        return invalid(u"the conversation file has no valid version number"_s);
    if (version > jsonVersion) {
        return invalid(u"the conversation was exported by a newer Confab (format version %1; "
                       "this one reads up to %2)"_s.arg(version)
                           .arg(jsonVersion));
    }

    const QJsonValue conversationValue = root.value("conversation"_L1);
    if (!conversationValue.isObject())
        return invalid(u"the conversation file has no \"conversation\" object"_s);
    auto conversation = Conversation::fromJson(conversationValue.toObject());
    if (!conversation)
        return invalid(u"conversation: "_s + conversation.error().message);

    const QJsonValue messagesValue = root.value("messages"_L1);
    if (!messagesValue.isArray())
        return invalid(u"the conversation file has no \"messages\" array"_s);
    QList<Message> messages;
    const QJsonArray items = messagesValue.toArray();
    messages.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!items.at(i).isObject())
            return invalid(u"message %1 is not a JSON object"_s.arg(i + 1));
        const QJsonObject item = items.at(i).toObject();
        if (!item.value("content"_L1).isString())
            return invalid(u"message %1: content must be a string"_s.arg(i + 1));
        auto message = Message::fromJson(item);
        if (!message)
            return invalid(u"message %1: "_s.arg(i + 1) + message.error().message);
        messages.append(*std::move(message));
    }
    return std::pair{*std::move(conversation), std::move(messages)};
}

QString ConversationExporter::suggestedFileName(const Conversation &conversation,
                                                QStringView extension)
{
    // Reserved on Windows or macOS, control characters, and leading dots (hidden files).
    static const QRegularExpression unsafe(u"[\\\\/:*?\"<>|\\x00-\\x1f\\x7f]+"_s);
    QString name = untitled(conversation).replace(unsafe, u"_"_s).trimmed();
    while (name.startsWith(u'.'))
        name.remove(0, 1);
    name = name.left(100).trimmed();
    if (name.isEmpty())
        name = u"conversation"_s;
    return extension.isEmpty() ? name : name + u'.' + extension.toString();
}

} // namespace confab
