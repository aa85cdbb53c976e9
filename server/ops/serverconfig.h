#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <optional>

// confab-server's configuration: command-line flags over an optional config file, secrets from
// the environment only (a flag would show in `ps`).

namespace confab {

enum class RegistrationMode { Open, Approval, Closed };
// "open", "approval", "closed".
QString registrationModeName(RegistrationMode mode);
std::optional<RegistrationMode> registrationModeFromName(QStringView name);

enum class LogFormat { Text, Json };
// "text", "json".
QString logFormatName(LogFormat format);
std::optional<LogFormat> logFormatFromName(QStringView name);

// "debug", "info", "warning" (or "warn"), "error" -> the least severe message type logged.
std::optional<QtMsgType> logLevelFromName(QStringView name);

struct ServerConfig
{
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 8080;
    QString databasePath = QStringLiteral("confab.db");
    QUrl upstreamBaseUrl;
    QString upstreamModel;
    QString upstreamApiKey; // from CONFAB_UPSTREAM_API_KEY only
    // From CONFAB_JWT_SECRET (raw, or "base64:..."), at least 32 bytes; empty = the server
    // generates and stores one.
    QByteArray jwtSecret;
    int contextMessages = 15;
    std::chrono::milliseconds minInterval{5000};
    int maxLiveConversations = 3;
    RegistrationMode registration = RegistrationMode::Approval;
    qint64 maxBodyBytes = 1024 * 1024;
    QString tlsCertPath; // both or neither
    QString tlsKeyPath;
    QString createAdmin; // one-time actions: command line only
    QString backupPath;
    LogFormat logFormat = LogFormat::Text;
    QString logLevel = QStringLiteral("info"); // valid for logLevelFromName()
    QList<QHostAddress> trustedProxies;        // X-Forwarded-For is honoured only from these
    std::chrono::seconds accessTokenLifetime{900};
    std::chrono::seconds refreshTokenLifetime{30 * 24 * 3600};
    // Upstream deadlines (DESIGN.md 4): a stalled answer ends with its partial text kept.
    std::chrono::seconds upstreamFirstByteTimeout{30};
    std::chrono::seconds upstreamIdleTimeout{60};
    int upstreamConnections = 512; // the upstream pool's connections (six per manager)
};

struct ConfigOutcome
{
    enum Kind { Run, ShowHelp, ShowVersion } kind = Run;
    ServerConfig config; // for Run
    QString text;        // the help or version text, ending with a newline
};

// `arguments` as from QCoreApplication::arguments() (the first is the program). Flags override
// the --config file, whose lines are `key = value` with the flags' names without "--", and '#'
// or ';' comments. Any bad flag, unknown key, unreadable file or out-of-range value is
// InvalidInput with a one-line message that starts with the flag ("--context-messages: ...").
// --help and --version win over everything else on the command line, even bad values.
Result<ConfigOutcome> parseServerConfig(const QStringList &arguments,
                                        const QProcessEnvironment &environment);

} // namespace confab
