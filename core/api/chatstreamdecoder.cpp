#include "chatstreamdecoder.h"

#include "api/upstreamerrors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QString stringOrEmpty(const QJsonValue &value)
{
    return value.isString() ? value.toString() : QString();
}

// The choice an n=1 request is about: index 0, or the only one when a provider leaves the
// index out.
QJsonObject firstChoice(const QJsonArray &choices)
{
    for (const QJsonValue &choice : choices) {
        const QJsonObject object = choice.toObject();
        const QJsonValue index = object.value("index"_L1);
        if (index.isUndefined() || index.isNull() || index.toInteger(-1) == 0)
            return object;
    }
    return {};
}

} // namespace

QList<ChatDelta> ChatStreamDecoder::feed(QByteArrayView bytes)
{
    QList<ChatDelta> deltas;
    const QList<SseEvent> events = m_parser.feed(bytes);
    for (const SseEvent &event : events) {
        if (auto delta = decodeEvent(event))
            deltas.append(std::move(*delta));
    }
    return deltas;
}

void ChatStreamDecoder::finish()
{
    m_parser.finish();
}

std::optional<ChatDelta> ChatStreamDecoder::decodeEvent(const SseEvent &event)
{
    ++m_dataEvents;
    const QByteArrayView data = QByteArrayView(event.data).trimmed();
    if (data == QByteArrayView("[DONE]")) {
        m_sawDone = true;
        return std::nullopt;
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(event.data, &parseError);
    if (!document.isObject()) {
        // An "event: error" whose data is plain text is still the provider's error.
        if (event.event == QByteArrayView("error") && !data.isEmpty()) {
            if (!m_streamError)
                m_streamError = upstream::errorMessageFromBody(data);
            return std::nullopt;
        }
        ++m_malformed;
        return std::nullopt;
    }
    const QJsonObject chunk = document.object();

    if (chunk.contains("error"_L1) || event.event == QByteArrayView("error")) {
        if (!m_streamError) {
            m_streamError = upstream::errorMessageFromJson(chunk).value_or(
                u"the provider reported an error"_s);
        }
        return std::nullopt;
    }

    if (m_model.isEmpty())
        m_model = stringOrEmpty(chunk.value("model"_L1));
    if (auto usage = Usage::fromJson(chunk.value("usage"_L1)))
        m_usage = usage;

    const QJsonObject choice = firstChoice(chunk.value("choices"_L1).toArray());
    if (choice.isEmpty())
        return std::nullopt;

    const QString finish = stringOrEmpty(choice.value("finish_reason"_L1));
    if (!finish.isEmpty())
        m_finishReason = finish;

    const QJsonObject delta = choice.value("delta"_L1).toObject();
    ChatDelta out;
    out.content = stringOrEmpty(delta.value("content"_L1));
    // DeepSeek and Qwen say reasoning_content, OpenRouter says reasoning; a proxy that sends
    // both sends the same text twice, so one of them is enough.
    out.reasoning = stringOrEmpty(delta.value("reasoning_content"_L1));
    if (out.reasoning.isEmpty())
        out.reasoning = stringOrEmpty(delta.value("reasoning"_L1));
    if (out.content.isEmpty() && out.reasoning.isEmpty())
        return std::nullopt;
    m_text += out.content;
    m_reasoning += out.reasoning;
    return out;
}

} // namespace confab
