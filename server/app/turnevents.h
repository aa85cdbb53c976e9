#pragma once

#include "apierror.h"
#include "common/types.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>

// The payloads of an answer's events, the same over SSE and the WebSocket (DESIGN.md 4):
// the saved user message, deltas, the saved answer, or an error with the partial answer.

namespace confab::TurnEvents {

// {"content","reasoning"}
QJsonObject delta(const QString &content, const QString &reasoning);
// {"error":{...},"message": the saved partial answer or null}
QJsonObject error(const ApiError &error, const std::optional<Message> &partial);

// The WebSocket's chat.message payload: {"message": the user's message as saved,
// "assistant_message": the answer's row (streaming), "removed_message_ids": [...]}.
QJsonObject started(const Message &userMessage, const Message &answer,
                    const QList<qint64> &removedMessageIds);

// "event: NAME\ndata: JSON\n\n"
QByteArray sse(QByteArrayView event, const QJsonObject &data);

// {"type": type, ...correlation, ...payload}
QJsonObject wsFrame(const QString &type, const QJsonObject &payload,
                    const QJsonObject &correlation);
QJsonObject wsError(const ApiError &error, const std::optional<Message> &partial,
                    const QJsonObject &correlation);

} // namespace confab::TurnEvents
