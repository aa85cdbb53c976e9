#include "serverlog.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>

#include <algorithm>
#include <cstdio>

Q_LOGGING_CATEGORY(lcAccess, "confab.access", QtInfoMsg)

using namespace Qt::StringLiterals;

namespace confab {

namespace {

struct LogState
{
    QMutex configMutex; // guards the members below
    LogFormat format = LogFormat::Text;
    int minimumRank = 1; // info
    LogSink sink;
    QStringList secrets; // longest first, so a secret inside another is not half-replaced

    QMutex writeMutex; // one line at a time, so lines from two threads never interleave
};

// Never destroyed: messages may still come while static objects are torn down at exit.
LogState &state()
{
    static LogState *const instance = new LogState;
    return *instance;
}

// QtMsgType's values are not in order of severity.
int rank(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return 0;
    case QtInfoMsg:
        return 1;
    case QtWarningMsg:
        return 2;
    case QtCriticalMsg:
        return 3;
    case QtFatalMsg:
        return 4;
    }
    return 1;
}

// At most five letters, so that text lines stay aligned.
QString levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return u"debug"_s;
    case QtInfoMsg:
        return u"info"_s;
    case QtWarningMsg:
        return u"warn"_s;
    case QtCriticalMsg:
        return u"error"_s;
    case QtFatalMsg:
        return u"fatal"_s;
    }
    return u"info"_s;
}

QString redact(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets)
        text.replace(secret, u"[redacted]"_s);
    return text;
}

QJsonValue redact(const QJsonValue &value, const QStringList &secrets)
{
    if (value.isString())
        return redact(value.toString(), secrets);
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(redact(item, secrets));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object;
        const QJsonObject source = value.toObject();
        for (auto it = source.begin(); it != source.end(); ++it)
            object.insert(it.key(), redact(it.value(), secrets));
        return object;
    }
    return value;
}

// Qt 6.4 serialises only objects and arrays: a value goes through a one-element array.
QByteArray jsonValue(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QString textValue(const QJsonValue &value)
{
    if (value.isString()) {
        const QString text = value.toString();
        const bool plain = !text.isEmpty() && std::none_of(text.begin(), text.end(), [](QChar c) {
            return c.isSpace() || c == u'"' || c == u'=';
        });
        return plain ? text : QString::fromUtf8(jsonValue(value));
    }
    if (value.isDouble() && value.toDouble() == double(value.toInteger()))
        return QString::number(value.toInteger());
    return QString::fromUtf8(jsonValue(value));
}

// `inMessage` names fields the text format leaves out because the message already says them.
void writeLine(QtMsgType type, const QString &category, const QString &message,
               const QJsonObject &fields, const QStringList &inMessage = {})
{
    LogState &log = state();
    LogFormat format;
    LogSink sink;
    QStringList secrets;
    {
        QMutexLocker locker(&log.configMutex);
        if (rank(type) < log.minimumRank)
            return;
        format = log.format;
        sink = log.sink;
        secrets = log.secrets;
    }

    const QString timestamp = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const QString text = redact(message, secrets);
    const QJsonObject values = redact(fields, secrets).toObject();
    QByteArray line;
    if (format == LogFormat::Json) {
        line = "{\"ts\":" + jsonValue(timestamp) + ",\"level\":" + jsonValue(levelName(type))
            + ",\"category\":" + jsonValue(category) + ",\"msg\":" + jsonValue(text);
        for (auto it = values.begin(); it != values.end(); ++it) {
            static const QStringList reserved{u"ts"_s, u"level"_s, u"category"_s, u"msg"_s};
            if (!reserved.contains(it.key()))
                line += ',' + jsonValue(it.key()) + ':' + jsonValue(it.value());
        }
        line += '}';
    } else {
        QString out
            = timestamp + u' ' + levelName(type).leftJustified(5) + u' ' + category + u' ' + text;
        for (auto it = values.begin(); it != values.end(); ++it) {
            if (!inMessage.contains(it.key()))
                out += u' ' + it.key() + u'=' + textValue(it.value());
        }
        // One line per message, whatever the message holds.
        out.replace(u'\n', u"\\n"_s).replace(u'\r', u"\\r"_s);
        line = out.toUtf8();
    }

    QMutexLocker locker(&log.writeMutex);
    if (sink) {
        sink(line);
    } else {
        line += '\n';
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
        std::fflush(stderr);
    }
}

void messageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    writeLine(type, context.category ? QString::fromLatin1(context.category) : u"default"_s,
              message, {});
}

QString filterRules(QtMsgType minimumLevel)
{
    switch (rank(minimumLevel)) {
    case 0:
        // Confab's categories default to info; Qt's own debug output stays off.
        return u"confab.*.debug=true"_s;
    case 1:
        return u"*.debug=false"_s;
    case 2:
        return u"*.debug=false\n*.info=false"_s;
    default:
        return u"*.debug=false\n*.info=false\n*.warning=false"_s;
    }
}

} // namespace

void installServerLog(LogFormat format, QtMsgType minimumLevel, LogSink sink)
{
    LogState &log = state();
    {
        QMutexLocker locker(&log.configMutex);
        log.format = format;
        log.minimumRank = rank(minimumLevel);
        log.sink = std::move(sink);
    }
    // Disabled categories skip formatting the message at all; the handler's own check stays
    // authoritative, since QT_LOGGING_RULES may override these rules.
    QLoggingCategory::setFilterRules(filterRules(minimumLevel));
    qInstallMessageHandler(messageHandler);
}

void addLogSecret(const QString &secret)
{
    if (secret.isEmpty())
        return;
    LogState &log = state();
    QMutexLocker locker(&log.configMutex);
    if (log.secrets.contains(secret))
        return;
    const auto longer = [](const QString &a, const QString &b) { return a.size() > b.size(); };
    log.secrets.insert(std::upper_bound(log.secrets.begin(), log.secrets.end(), secret, longer),
                       secret);
}

void removeLogSecret(const QString &secret)
{
    LogState &log = state();
    QMutexLocker locker(&log.configMutex);
    log.secrets.removeAll(secret);
}

void logEvent(const QLoggingCategory &category, QtMsgType type, const QString &message,
              const QJsonObject &fields)
{
    if (category.isEnabled(type))
        writeLine(type, QString::fromLatin1(category.categoryName()), message, fields);
}

void logAccess(const AccessLogEntry &entry)
{
    if (!lcAccess().isInfoEnabled())
        return;
    const QString route = entry.route.left(entry.route.indexOf(u'?'));
    QJsonObject fields{
        {u"method"_s, entry.method}, {u"route"_s, route},
        {u"status"_s, entry.status}, {u"duration_ms"_s, qint64(entry.duration.count())},
        {u"bytes"_s, entry.bytes},
    };
    if (entry.userId != 0)
        fields.insert(u"user_id"_s, entry.userId);
    if (!entry.remoteAddress.isEmpty())
        fields.insert(u"remote"_s, entry.remoteAddress);
    writeLine(QtInfoMsg, QString::fromLatin1(lcAccess().categoryName()),
              u"%1 %2 %3"_s.arg(entry.method, route).arg(entry.status), fields,
              {u"method"_s, u"route"_s, u"status"_s});
}

} // namespace confab
