#include "fakeresponse.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr qint64 FakeCreated = 1731000000;

QByteArray compact(const QJsonObject &json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

// Cuts raw SSE bytes after each blank line, with the same line-end rules as the parser; bytes
// after the last blank line become a last, unterminated "event".
QList<QByteArray> splitEvents(const QByteArray &bytes)
{
    QList<QByteArray> events;
    qsizetype eventStart = 0;
    qsizetype lineStart = 0;
    qsizetype i = 0;
    while (i < bytes.size()) {
        const char c = bytes.at(i);
        if (c != '\n' && c != '\r') {
            ++i;
            continue;
        }
        const bool emptyLine = (i == lineStart);
        i += (c == '\r' && i + 1 < bytes.size() && bytes.at(i + 1) == '\n') ? 2 : 1;
        lineStart = i;
        if (emptyLine) {
            events.append(bytes.mid(eventStart, i - eventStart));
            eventStart = i;
        }
    }
    if (eventStart < bytes.size())
        events.append(bytes.mid(eventStart));
    return events;
}

QJsonObject usageJson(const Usage &usage)
{
    return usage.toJson();
}

} // namespace

QByteArray FakeResponse::chatChunkEvent(const QString &content, const QString &finishReason,
                                        const QString &model)
{
    QJsonObject delta;
    if (!content.isEmpty())
        delta.insert(u"content"_s, content);
    const QJsonObject choice{
        {u"index"_s, 0},
        {u"delta"_s, delta},
        {u"finish_reason"_s, finishReason.isEmpty() ? QJsonValue() : QJsonValue(finishReason)}};
    const QJsonObject chunk{{u"id"_s, u"chatcmpl-fake"_s},
                            {u"object"_s, u"chat.completion.chunk"_s},
                            {u"created"_s, FakeCreated},
                            {u"model"_s, model},
                            {u"choices"_s, QJsonArray{choice}}};
    return "data: " + compact(chunk) + "\n\n";
}

FakeResponse FakeResponse::sse(const QByteArray &bytes)
{
    FakeResponse response;
    response.kind = Kind::Events;
    response.events = splitEvents(bytes);
    return response;
}

FakeResponse FakeResponse::sseFixture(const QString &nameOrPath)
{
    const QString path = QDir::isAbsolutePath(nameOrPath)
        ? nameOrPath
        : QStringLiteral(CONFAB_FIXTURES_DIR) + u"/sse/"_s + nameOrPath;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("FakeResponse: cannot read the fixture %s", qPrintable(path));
    return sse(file.readAll());
}

FakeResponse FakeResponse::chatStream(const QStringList &pieces, const QString &finishReason,
                                      std::optional<Usage> usage)
{
    FakeResponse response;
    response.kind = Kind::Events;
    for (const QString &piece : pieces)
        response.events.append(chatChunkEvent(piece, {}, response.model));
    response.events.append(chatChunkEvent({}, finishReason, response.model));
    if (usage) {
        const QJsonObject chunk{
            {u"id"_s, u"chatcmpl-fake"_s}, {u"object"_s, u"chat.completion.chunk"_s},
            {u"created"_s, FakeCreated},   {u"model"_s, response.model},
            {u"choices"_s, QJsonArray()},  {u"usage"_s, usageJson(*usage)}};
        response.events.append("data: " + compact(chunk) + "\n\n");
    }
    response.events.append("data: [DONE]\n\n");
    return response;
}

FakeResponse FakeResponse::tokens(int count, std::chrono::milliseconds interval)
{
    FakeResponse response;
    response.kind = Kind::Generated;
    response.tokenCount = count;
    response.eventInterval = interval;
    return response;
}

FakeResponse FakeResponse::completion(const QString &content, const QString &reasoning,
                                      const QString &finishReason, std::optional<Usage> usage)
{
    QJsonObject message{{u"role"_s, u"assistant"_s}, {u"content"_s, content}};
    if (!reasoning.isEmpty())
        message.insert(u"reasoning_content"_s, reasoning);
    const Usage counted = usage.value_or(Usage{10, qint64(content.size()), 10 + content.size()});
    const QJsonObject body{
        {u"id"_s, u"chatcmpl-fake"_s},
        {u"object"_s, u"chat.completion"_s},
        {u"created"_s, FakeCreated},
        {u"model"_s, u"fake-model"_s},
        {u"choices"_s,
         QJsonArray{QJsonObject{
             {u"index"_s, 0}, {u"message"_s, message}, {u"finish_reason"_s, finishReason}}}},
        {u"usage"_s, usageJson(counted)}};
    return json(body);
}

FakeResponse FakeResponse::json(const QJsonObject &body, int status)
{
    return text(status, compact(body), "application/json");
}

FakeResponse FakeResponse::text(int status, const QByteArray &body, const QByteArray &contentType)
{
    FakeResponse response;
    response.kind = Kind::Fixed;
    response.status = status;
    response.body = body;
    response.contentType = contentType;
    return response;
}

FakeResponse FakeResponse::error(int status, const QString &message, const QByteArray &retryAfter)
{
    const QString type = status == 429 ? u"rate_limit_error"_s
        : status == 401                ? u"invalid_request_error"_s
                                       : u"server_error"_s;
    FakeResponse response = json({{u"error"_s,
                                   QJsonObject{{u"message"_s, message},
                                               {u"type"_s, type},
                                               {u"param"_s, QJsonValue()},
                                               {u"code"_s, QJsonValue()}}}},
                                 status);
    if (!retryAfter.isEmpty())
        response.withHeader("Retry-After", retryAfter);
    return response;
}

FakeResponse FakeResponse::redirect(const QByteArray &location, int status)
{
    FakeResponse response = text(status, "moved", "text/plain");
    response.withHeader("Location", location);
    return response;
}

FakeResponse FakeResponse::stallBeforeHeaders()
{
    FakeResponse response;
    response.kind = Kind::StallBeforeHeaders;
    return response;
}

FakeResponse FakeResponse::keepAliveOnly(std::chrono::milliseconds interval)
{
    FakeResponse response;
    response.kind = Kind::KeepAlive;
    response.eventInterval = interval;
    return response;
}

FakeResponse FakeResponse::models(const QStringList &ids)
{
    QJsonArray data;
    for (const QString &id : ids)
        data.append(QJsonObject{{u"id"_s, id},
                                {u"object"_s, u"model"_s},
                                {u"created"_s, FakeCreated},
                                {u"owned_by"_s, u"fake"_s}});
    return json({{u"object"_s, u"list"_s}, {u"data"_s, data}});
}

FakeResponse &FakeResponse::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append({name, value});
    return *this;
}

FakeResponse &FakeResponse::withHeaderDelay(std::chrono::milliseconds delay)
{
    headerDelay = delay;
    return *this;
}

FakeResponse &FakeResponse::withEventInterval(std::chrono::milliseconds interval)
{
    eventInterval = interval;
    return *this;
}

FakeResponse &FakeResponse::splitWrites(int bytes, std::chrono::milliseconds delay)
{
    writeSize = bytes;
    writeDelay = delay;
    return *this;
}

FakeResponse &FakeResponse::stallAfterEvents(int count)
{
    stallAtEvent = count;
    return *this;
}

FakeResponse &FakeResponse::dropAfterEvents(int count)
{
    dropAtEvent = count;
    return *this;
}

FakeResponse &FakeResponse::dropAfterBytes(qint64 count)
{
    dropAtByte = count;
    return *this;
}

std::optional<FakeResponse> FakeResponse::fromSpec(QStringView spec, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<FakeResponse> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    auto toInt = [](QStringView text, bool *ok) { return text.toLongLong(ok); };

    const QList<QStringView> parts = spec.trimmed().split(u';');
    const QStringView head = parts.first().trimmed();
    const qsizetype colon = head.indexOf(u':');
    const QStringView kind = colon < 0 ? head : head.left(colon);
    const QStringView argument = colon < 0 ? QStringView() : head.mid(colon + 1);

    // Options first: some kinds (error) need them to be built.
    QString message;
    QByteArray retryAfter;
    FakeResponse modifiers;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QStringView option = parts.at(i).trimmed();
        if (option.isEmpty())
            continue;
        const qsizetype equals = option.indexOf(u'=');
        if (equals < 0)
            return fail(u"option without a value: %1"_s.arg(option));
        const QStringView name = option.left(equals);
        const QStringView value = option.mid(equals + 1);
        bool ok = true;
        if (name == u"message") {
            message = value.toString();
        } else if (name == u"retry-after") {
            retryAfter = value.toLatin1();
        } else if (name == u"token") {
            modifiers.token = value.toString();
        } else if (name == u"model") {
            modifiers.model = value.toString();
        } else {
            const qint64 number = toInt(value, &ok);
            if (!ok || number < 0)
                return fail(u"option %1 needs a non-negative number"_s.arg(name));
            const std::chrono::milliseconds ms(number);
            if (name == u"interval")
                modifiers.eventInterval = ms;
            else if (name == u"write-size")
                modifiers.writeSize = int(number);
            else if (name == u"write-delay")
                modifiers.writeDelay = ms;
            else if (name == u"header-delay")
                modifiers.headerDelay = ms;
            else if (name == u"stall-after")
                modifiers.stallAtEvent = int(number);
            else if (name == u"drop-after")
                modifiers.dropAtEvent = int(number);
            else if (name == u"drop-after-bytes")
                modifiers.dropAtByte = number;
            else
                return fail(u"unknown option: %1"_s.arg(name));
        }
    }

    FakeResponse response;
    bool ok = true;
    if (kind == u"stream") {
        response = chatStream({u"Hello"_s, u" from"_s, u" the fake"_s, u" upstream."_s}, u"stop"_s,
                              Usage{10, 4, 14});
    } else if (kind == u"fixture") {
        const QString path = QDir::isAbsolutePath(argument.toString())
            ? argument.toString()
            : QStringLiteral(CONFAB_FIXTURES_DIR) + u"/sse/"_s + argument;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(u"cannot read the fixture %1"_s.arg(path));
        response = sse(file.readAll());
    } else if (kind == u"tokens") {
        const qint64 count = toInt(argument, &ok);
        if (!ok || count < 0 || count > std::numeric_limits<int>::max())
            return fail(u"tokens needs a count"_s);
        response = tokens(int(count));
    } else if (kind == u"completion") {
        response = completion(argument.isEmpty() ? u"Hello from the fake upstream."_s
                                                 : argument.toString());
    } else if (kind == u"error") {
        const qint64 status = toInt(argument, &ok);
        if (!ok || status < 100 || status > 599)
            return fail(u"error needs an HTTP status"_s);
        response = FakeResponse::error(
            int(status), message.isEmpty() ? u"fake upstream error"_s : message, retryAfter);
    } else if (kind == u"redirect") {
        response = redirect(argument.isEmpty() ? QByteArray("http://127.0.0.1:9/v1")
                                               : argument.toUtf8());
    } else if (kind == u"stall-headers") {
        response = stallBeforeHeaders();
    } else if (kind == u"keepalive") {
        response = keepAliveOnly();
    } else if (kind == u"models") {
        QStringList ids;
        for (const QStringView id : argument.split(u',', Qt::SkipEmptyParts))
            ids.append(id.trimmed().toString());
        response = models(ids);
    } else {
        return fail(u"unknown scenario: %1"_s.arg(kind));
    }

    if (!retryAfter.isEmpty() && kind != u"error")
        response.withHeader("Retry-After", retryAfter);
    if (!modifiers.token.isEmpty())
        response.token = modifiers.token;
    if (modifiers.model != response.model)
        response.model = modifiers.model;
    if (modifiers.eventInterval.count() > 0)
        response.eventInterval = modifiers.eventInterval;
    response.writeSize = modifiers.writeSize;
    response.writeDelay = modifiers.writeDelay;
    response.headerDelay = modifiers.headerDelay;
    response.stallAtEvent = modifiers.stallAtEvent;
    response.dropAtEvent = modifiers.dropAtEvent;
    response.dropAtByte = modifiers.dropAtByte;
    return response;
}

} // namespace confab
