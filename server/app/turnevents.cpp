#include "turnevents.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace confab::TurnEvents {

QJsonObject delta(const QString &content, const QString &reasoning)
{
    return {{u"content"_s, content}, {u"reasoning"_s, reasoning}};
}

QJsonObject error(const ApiError &error, const std::optional<Message> &partial)
{
    return {{u"error"_s, error.errorObject()},
            {u"message"_s, partial ? QJsonValue(partial->toJson()) : QJsonValue()}};
}

QJsonObject started(const Message &userMessage, const Message &answer,
                    const QList<qint64> &removedMessageIds)
{
    QJsonArray removed;
    for (qint64 id : removedMessageIds)
        removed.append(QString::number(id));
    return {{u"message"_s, userMessage.toJson()},
            {u"assistant_message"_s, answer.toJson()},
            {u"removed_message_ids"_s, removed}};
}

QByteArray sse(QByteArrayView event, const QJsonObject &data)
{
    return "event: " + event.toByteArray()
        + "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

QJsonObject wsFrame(const QString &type, const QJsonObject &payload, const QJsonObject &correlation)
{
    QJsonObject frame = correlation;
    for (auto it = payload.constBegin(); it != payload.constEnd(); ++it)
        frame.insert(it.key(), it.value());
    frame.insert(u"type"_s, type);
    return frame;
}

QJsonObject wsError(const ApiError &apiError, const std::optional<Message> &partial,
                    const QJsonObject &correlation)
{
    return wsFrame(u"chat.error"_s, error(apiError, partial), correlation);
}

} // namespace confab::TurnEvents
