#pragma once

#include "serverconfig.h"

#include <QByteArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QString>

#include <chrono>
#include <functional>

// confab-server's log: every Qt message, one line each on stderr, as text
//   2026-11-22T10:00:00.123Z info  confab.server.http message
// or as JSON lines {"ts","level","category","msg", ...fields}. Registered secrets are replaced
// by "[redacted]" wherever they appear. Safe to use from any thread.

Q_DECLARE_LOGGING_CATEGORY(lcAccess) // confab.access: one line per HTTP request

namespace confab {

// Where finished lines go (each without its newline); tests collect them.
using LogSink = std::function<void(const QByteArray &line)>;

// Replaces the Qt message handler. Messages below minimumLevel (debug < info < warning <
// critical < fatal) are dropped; at QtDebugMsg, Confab's own debug categories are enabled.
// Without a sink, lines are written to stderr.
void installServerLog(LogFormat format, QtMsgType minimumLevel, LogSink sink = {});

// Every later line has each registered secret replaced, even inside a longer word. Empty
// strings are ignored. Per-session tokens should be removed again when they expire, since each
// line is checked against all of them.
void addLogSecret(const QString &secret);
void removeLogSecret(const QString &secret);

// One message with structured fields: JSON members in the json format, key=value pairs after
// the message in text. Honours the category's enabled levels like qCInfo() and friends.
void logEvent(const QLoggingCategory &category, QtMsgType type, const QString &message,
              const QJsonObject &fields = {});

struct AccessLogEntry
{
    QString method;
    QString route; // the route pattern or path; anything from '?' on is dropped
    int status = 0;
    std::chrono::milliseconds duration{0};
    qint64 userId = 0;     // 0 when anonymous
    qint64 bytes = 0;      // response body bytes
    QString remoteAddress; // the client, after trusted-proxy resolution; may be empty
};

// An info line in confab.access: method, route, status, duration, user, bytes and client.
// Never headers or query strings (tokens travel there).
void logAccess(const AccessLogEntry &entry);

} // namespace confab
