#include "serverconfig.h"

#include "common/enumnames.h"

#include <QCommandLineParser>
#include <QFile>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr EnumNames<RegistrationMode, 3>
    RegistrationModeNames({{{RegistrationMode::Approval, u"approval"},
                            {RegistrationMode::Open, u"open"},
                            {RegistrationMode::Closed, u"closed"}}});
constexpr EnumNames<LogFormat, 2>
    LogFormatNames({{{LogFormat::Text, u"text"}, {LogFormat::Json, u"json"}}});

constexpr QStringView UpstreamKeyVariable = u"CONFAB_UPSTREAM_API_KEY";
constexpr QStringView JwtSecretVariable = u"CONFAB_JWT_SECRET";
constexpr QStringView Base64Prefix = u"base64:";
constexpr qsizetype MinimumJwtSecretBytes = 32; // HS256 wants a 256-bit key

Error invalid(const QString &message)
{
    return Error{ErrorCode::InvalidInput, message};
}

// A value echoed in an error: quoted, short, and on one line whatever the user typed.
QString quoted(const QString &value)
{
    QString shown = value.left(80);
    for (QChar &c : shown) {
        if (c.category() == QChar::Other_Control)
            c = u'?';
    }
    return u'"' + shown + (value.size() > 80 ? u"...\""_s : u"\""_s);
}

Result<qint64> wholeNumber(const QString &value, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 number = value.trimmed().toLongLong(&ok);
    if (!ok || number < min || number > max)
        return invalid(u"expected a whole number from %1 to %2, got %3"_s.arg(min).arg(max).arg(
            quoted(value)));
    return number;
}

Result<void> setInt(int &target, const QString &value, int min, int max)
{
    auto number = wholeNumber(value, min, max);
    if (!number)
        return number.error();
    target = int(*number);
    return {};
}

Result<void> setSeconds(std::chrono::seconds &target, const QString &value, qint64 min, qint64 max)
{
    auto number = wholeNumber(value, min, max);
    if (!number)
        return number.error();
    target = std::chrono::seconds(*number);
    return {};
}

Result<void> setText(QString &target, const QString &value)
{
    if (value.trimmed().isEmpty())
        return invalid(u"must not be empty"_s);
    target = value;
    return {};
}

Result<QHostAddress> hostAddress(const QString &text)
{
    if (text.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    QHostAddress address;
    if (!address.setAddress(text))
        return invalid(u"expected an IP address, got %1"_s.arg(quoted(text)));
    return address;
}

Result<void> setListen(ServerConfig &config, const QString &value)
{
    const QString usage = u"expected HOST:PORT or [IPv6]:PORT, got %1"_s.arg(quoted(value));
    QString host;
    QString port;
    if (value.startsWith(u'[')) {
        const qsizetype close = value.indexOf(u"]:"_s);
        if (close < 0)
            return invalid(usage);
        host = value.mid(1, close - 1);
        port = value.mid(close + 2);
    } else {
        const qsizetype colon = value.lastIndexOf(u':');
        if (colon < 0)
            return invalid(usage);
        host = value.left(colon);
        port = value.mid(colon + 1);
        if (host.contains(u':'))
            return invalid(
                u"an IPv6 address goes in brackets, as in [::1]:8080; got %1"_s.arg(quoted(value)));
    }
    auto address = hostAddress(host);
    if (!address)
        return address.error();
    bool ok = false;
    const uint number = port.toUInt(&ok);
    if (!ok || number > 65535)
        return invalid(
            u"expected a port from 0 (any free one) to 65535, got %1"_s.arg(quoted(port)));
    config.listenAddress = *address;
    config.listenPort = quint16(number);
    return {};
}

Result<void> setUpstreamBaseUrl(ServerConfig &config, const QString &value)
{
    const QUrl url(value.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http"_s && scheme != u"https"_s) || url.host().isEmpty())
        return invalid(u"expected an http:// or https:// URL, got %1"_s.arg(quoted(value)));
    config.upstreamBaseUrl = url;
    return {};
}

Result<void> setMinInterval(ServerConfig &config, const QString &value)
{
    bool ok = false;
    const double seconds = value.trimmed().toDouble(&ok);
    // Written so that NaN fails too.
    if (!ok || !(seconds >= 0 && seconds <= 3600))
        return invalid(
            u"expected seconds from 0 to 3600 (decimals allowed), got %1"_s.arg(quoted(value)));
    config.minInterval = std::chrono::milliseconds(std::llround(seconds * 1000));
    return {};
}

Result<void> setRegistration(ServerConfig &config, const QString &value)
{
    const auto mode = registrationModeFromName(value.trimmed());
    if (!mode)
        return invalid(u"expected open, approval or closed, got %1"_s.arg(quoted(value)));
    config.registration = *mode;
    return {};
}

Result<void> setMaxBodyBytes(ServerConfig &config, const QString &value)
{
    auto number = wholeNumber(value, 1024, 64 * 1024 * 1024);
    if (!number)
        return number.error();
    config.maxBodyBytes = *number;
    return {};
}

Result<void> setLogFormat(ServerConfig &config, const QString &value)
{
    const auto format = logFormatFromName(value.trimmed());
    if (!format)
        return invalid(u"expected text or json, got %1"_s.arg(quoted(value)));
    config.logFormat = *format;
    return {};
}

Result<void> setLogLevel(ServerConfig &config, const QString &value)
{
    if (!logLevelFromName(value.trimmed()))
        return invalid(u"expected debug, info, warning or error, got %1"_s.arg(quoted(value)));
    config.logLevel = value.trimmed();
    return {};
}

// Repeatable, and a comma-separated list is accepted too.
Result<void> addTrustedProxies(ServerConfig &config, const QString &value)
{
    const QStringList parts = value.split(u',', Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return invalid(u"expected an IP address, got %1"_s.arg(quoted(value)));
    for (const QString &part : parts) {
        const QString text = part.trimmed();
        QHostAddress address;
        if (!address.setAddress(text))
            return invalid(u"expected an IP address, got %1"_s.arg(quoted(text)));
        config.trustedProxies.append(address);
    }
    return {};
}

using Apply = Result<void> (*)(ServerConfig &, const QString &);

struct Flag
{
    QStringView name;      // without "--"
    QStringView valueName; // empty for a switch
    QStringView description;
    Apply apply = nullptr; // null for --config, --help and --version
    bool inFile = true;
    bool repeatable = false;
};

const std::array<Flag, 24> &flags()
{
    static const std::array<Flag, 24> table{{
        {u"listen", u"HOST:PORT",
         u"address and port to listen on; [ADDR]:PORT for IPv6 (default 127.0.0.1:8080)",
         setListen},
        {u"db", u"PATH", u"SQLite database file (default confab.db)",
         [](ServerConfig &c, const QString &v) { return setText(c.databasePath, v); }},
        {u"upstream-base-url", u"URL",
         u"base URL of the OpenAI-compatible API, http(s) (e.g. https://api.openai.com/v1)",
         setUpstreamBaseUrl},
        {u"upstream-model", u"NAME", u"model used when a request names none",
         [](ServerConfig &c, const QString &v) { return setText(c.upstreamModel, v); }},
        {u"context-messages", u"N",
         u"last messages of a conversation sent upstream, 1..200 (default 15)",
         [](ServerConfig &c, const QString &v) { return setInt(c.contextMessages, v, 1, 200); }},
        {u"min-interval", u"SECONDS",
         u"least time between a user's chat requests, 0..3600, decimals allowed (default 5)",
         setMinInterval},
        {u"max-live-conversations", u"N",
         u"conversations a user may have open at once, 1..100 (default 3)",
         [](ServerConfig &c, const QString &v) {
             return setInt(c.maxLiveConversations, v, 1, 100);
         }},
        {u"registration", u"MODE",
         u"who may sign up: open, approval (by an admin) or closed (default approval)",
         setRegistration},
        {u"max-body-bytes", u"N", u"largest request body, 1024..67108864 (default 1048576 = 1 MiB)",
         setMaxBodyBytes},
        {u"tls-cert", u"FILE", u"PEM certificate chain: serve HTTPS (needs --tls-key)",
         [](ServerConfig &c, const QString &v) { return setText(c.tlsCertPath, v); }},
        {u"tls-key", u"FILE", u"PEM private key of --tls-cert",
         [](ServerConfig &c, const QString &v) { return setText(c.tlsKeyPath, v); }},
        {u"config", u"FILE", u"read settings from FILE first; flags override them"},
        {u"create-admin", u"NAME",
         u"create an admin (password read from stdin) and exit; command line only",
         [](ServerConfig &c, const QString &v) { return setText(c.createAdmin, v); }, false},
        {u"backup", u"FILE",
         u"copy the database online (SQLite backup API) to a new FILE, check it, exit; command "
         u"line only",
         [](ServerConfig &c, const QString &v) { return setText(c.backupPath, v); }, false},
        {u"log-format", u"FORMAT", u"text or json lines on stderr (default text)", setLogFormat},
        {u"log-level", u"LEVEL", u"debug, info, warning or error (default info)", setLogLevel},
        {u"trusted-proxy", u"ADDR",
         u"reverse proxy whose X-Forwarded-For is believed; repeatable (default none)",
         addTrustedProxies, true, true},
        {u"access-token-lifetime", u"SECONDS", u"lifetime of access tokens, 1..86400 (default 900)",
         [](ServerConfig &c, const QString &v) {
             return setSeconds(c.accessTokenLifetime, v, 1, 86400);
         }},
        {u"refresh-token-lifetime", u"SECONDS",
         u"lifetime of refresh tokens, 1..31536000 (default 2592000 = 30 days)",
         [](ServerConfig &c, const QString &v) {
             return setSeconds(c.refreshTokenLifetime, v, 1, 365 * 24 * 3600);
         }},
        {u"upstream-first-byte-timeout", u"SECONDS",
         u"longest wait for an answer to start, 1..3600 (default 30)",
         [](ServerConfig &c, const QString &v) {
             return setSeconds(c.upstreamFirstByteTimeout, v, 1, 3600);
         }},
        {u"upstream-idle-timeout", u"SECONDS",
         u"longest silence within a streamed answer (keep-alives do not count), 1..3600 "
         u"(default 60)",
         [](ServerConfig &c, const QString &v) {
             return setSeconds(c.upstreamIdleTimeout, v, 1, 3600);
         }},
        {u"upstream-connections", u"N",
         u"most connections open to the upstream at once (streams beyond wait), 1..8192 "
         u"(default 512)",
         [](ServerConfig &c, const QString &v) {
             return setInt(c.upstreamConnections, v, 1, 8192);
         }},
        {u"help", {}, u"show this help and exit"},
        {u"version", {}, u"show the version and exit"},
    }};
    return table;
}

const Flag *findFlag(QStringView name)
{
    for (const Flag &flag : flags()) {
        if (flag.name == name)
            return &flag;
    }
    return nullptr;
}

QString secretsHint(QStringView name)
{
    if (name == u"upstream-api-key")
        return u"not a setting (it would show in ps); set %1 instead"_s.arg(UpstreamKeyVariable);
    if (name == u"jwt-secret")
        return u"not a setting (it would show in ps); set %1 instead"_s.arg(JwtSecretVariable);
    return {};
}

// Two aligned columns, the right one wrapped to stay within 100 characters.
QString helpTable(const QList<std::pair<QString, QString>> &rows, qsizetype width)
{
    constexpr qsizetype LineWidth = 100;
    QString text;
    for (const auto &[left, description] : rows) {
        QString line = left.leftJustified(width);
        qsizetype used = line.size();
        for (const QString &word : description.split(u' ')) {
            if (used > width && used + 1 + word.size() > LineWidth) {
                text += line + u'\n';
                line = QString(width, u' ');
                used = width;
            }
            line += (used > width ? u" "_s : QString()) + word;
            used = line.size();
        }
        text += line + u'\n';
    }
    return text;
}

QString helpText()
{
    QList<std::pair<QString, QString>> flagRows;
    for (const Flag &flag : flags()) {
        QString left = flag.name == u"help" ? u"  -h, --help"_s : u"  --"_s + flag.name;
        if (!flag.valueName.isEmpty())
            left += u' ' + flag.valueName;
        flagRows.append({left, flag.description.toString()});
    }
    const QList<std::pair<QString, QString>> variableRows{
        {u"  "_s + UpstreamKeyVariable,
         u"API key sent to the upstream (never a flag: flags "
         "show in ps)"_s},
        {u"  "_s + JwtSecretVariable,
         u"key signing access tokens, at least 32 bytes, raw or "
         "base64:... (default: generated and stored by the "
         "server)"_s},
    };
    qsizetype width = 0;
    for (const auto &row : flagRows + variableRows)
        width = std::max(width, row.first.size() + 2);

    return u"Usage: confab-server [flags]\n\n"
           "Confab's multi-user chat server: an HTTP API in front of an OpenAI-compatible "
           "upstream.\n\nFlags:\n"_s
        + helpTable(flagRows, width)
        + u"\nConfig file (--config): one `key = value` per line, keys are the flags without "
          "\"--\"\n(context-messages = 20), whole-line comments start with # or ;. Flags "
          "override the file.\n\nEnvironment:\n"_s
        + helpTable(variableRows, width);
}

Result<QByteArray> jwtSecret(const QString &value)
{
    QByteArray secret;
    if (value.startsWith(Base64Prefix)) {
        auto decoded = QByteArray::fromBase64Encoding(value.mid(Base64Prefix.size()).toLatin1(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return invalid(u"%1: not valid base64 after \"base64:\""_s.arg(JwtSecretVariable));
        secret = *decoded;
    } else {
        secret = value.toUtf8();
    }
    if (secret.size() < MinimumJwtSecretBytes)
        return invalid(u"%1: at least %2 bytes (256 bits) needed, got %3; unset it to let the "
                       "server generate one"_s.arg(JwtSecretVariable)
                           .arg(MinimumJwtSecretBytes)
                           .arg(secret.size()));
    return secret;
}

Result<void> applyEnvironment(ServerConfig &config, const QProcessEnvironment &environment)
{
    // Keys never contain white space; a stray newline from a key file would otherwise end up in
    // an HTTP header.
    const QString key = environment.value(UpstreamKeyVariable.toString()).trimmed();
    for (const QChar c : key) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return invalid(
                u"%1: contains white space or control characters"_s.arg(UpstreamKeyVariable));
    }
    config.upstreamApiKey = key;

    const QString secret = environment.value(JwtSecretVariable.toString());
    if (!secret.isEmpty()) {
        auto bytes = jwtSecret(secret);
        if (!bytes)
            return bytes.error();
        config.jwtSecret = *bytes;
    }
    return {};
}

struct Setting
{
    QString value;
    QString origin; // empty on the command line, else " (FILE line N)"
};
using Settings = QHash<QString, QList<Setting>>;

Result<void> readConfigFile(const QString &path, Settings &settings)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return invalid(
            u"--config: cannot read %1: %2"_s.arg(quoted(path), file.errorString().simplified()));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString origin = u" (%1 line %2)"_s.arg(path).arg(i + 1);
        QString line = lines[i].trimmed();
        if (i == 0 && line.startsWith(QChar::ByteOrderMark))
            line = line.mid(1).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        const qsizetype equals = line.indexOf(u'=');
        if (equals < 0)
            return invalid(u"--config: expected key = value, got %1%2"_s.arg(quoted(line), origin));
        const QString key = line.left(equals).trimmed();
        QString value = line.mid(equals + 1).trimmed();
        if (value.size() >= 2 && value.startsWith(u'"') && value.endsWith(u'"'))
            value = value.mid(1, value.size() - 2);
        const QString hint = secretsHint(key);
        if (!hint.isEmpty())
            return invalid(u"--config: %1 is %2%3"_s.arg(key, hint, origin));
        const Flag *flag = findFlag(key);
        if (!flag || !flag->apply)
            return invalid(u"--config: unknown key %1%2"_s.arg(quoted(key), origin));
        if (!flag->inFile)
            return invalid(u"--%1: a one-time action, give it on the command line%2"_s.arg(
                flag->name, origin));
        settings[key].append({value, origin});
    }
    return {};
}

} // namespace

QString registrationModeName(RegistrationMode mode)
{
    return RegistrationModeNames.name(mode);
}

std::optional<RegistrationMode> registrationModeFromName(QStringView name)
{
    return RegistrationModeNames.value(name);
}

QString logFormatName(LogFormat format)
{
    return LogFormatNames.name(format);
}

std::optional<LogFormat> logFormatFromName(QStringView name)
{
    return LogFormatNames.value(name);
}

std::optional<QtMsgType> logLevelFromName(QStringView name)
{
    if (name == u"debug")
        return QtDebugMsg;
    if (name == u"info")
        return QtInfoMsg;
    if (name == u"warning" || name == u"warn")
        return QtWarningMsg;
    if (name == u"error")
        return QtCriticalMsg;
    return std::nullopt;
}

Result<ConfigOutcome> parseServerConfig(const QStringList &arguments,
                                        const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    // "-listen" then reads as an unknown "listen", not as the short options l, i, s, t, e, n.
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    for (const Flag &flag : flags()) {
        QStringList names{flag.name.toString()};
        if (flag.name == u"help")
            names.prepend(u"h"_s);
        if (!flag.description.isEmpty())
            parser.addOption(
                QCommandLineOption(names, flag.description.toString(), flag.valueName.toString()));
    }
    const bool parsed = parser.parse(arguments);

    ConfigOutcome outcome;
    if (parser.isSet(u"help"_s)) {
        outcome.kind = ConfigOutcome::ShowHelp;
        outcome.text = helpText();
        return outcome;
    }
    if (parser.isSet(u"version"_s)) {
        outcome.kind = ConfigOutcome::ShowVersion;
        outcome.text = u"confab-server " CONFAB_VERSION "\n"_s;
        return outcome;
    }
    if (!parsed) {
        const QStringList unknown = parser.unknownOptionNames();
        if (unknown.isEmpty()) {
            // Qt's own message ("Missing value after '--listen'.") names the flag in quotes;
            // it goes first, as in every other error.
            const QString text = parser.errorText().simplified();
            const auto quotedFlag = QRegularExpression(u"'(-[^']+)'"_s).match(text);
            return invalid(quotedFlag.hasMatch() ? quotedFlag.captured(1) + u": "_s + text : text);
        }
        const QString name = unknown.constFirst();
        const QString longForm = u"--"_s + name;
        const bool typedLong
            = std::any_of(arguments.begin(), arguments.end(), [&](const QString &a) {
                  return a == longForm || a.startsWith(longForm + u'=');
              });
        const QString shown = typedLong ? longForm : u"-"_s + name;
        const QString hint = secretsHint(name);
        return invalid(shown + u": "_s + (hint.isEmpty() ? u"unknown flag (see --help)"_s : hint));
    }
    if (!parser.positionalArguments().isEmpty())
        return invalid(u"unexpected argument %1 (flags start with --)"_s.arg(
            quoted(parser.positionalArguments().constFirst())));

    Settings settings;
    if (parser.isSet(u"config"_s)) {
        if (auto read = readConfigFile(parser.value(u"config"_s), settings); !read)
            return read.error();
    }
    for (const Flag &flag : flags()) {
        const QString name = flag.name.toString();
        if (!flag.apply || !parser.isSet(name))
            continue;
        QList<Setting> given;
        for (const QString &value : parser.values(name))
            given.append({value, {}});
        settings[name] = given; // the command line replaces the file, repeatable flags too
    }

    ServerConfig &config = outcome.config;
    for (const Flag &flag : flags()) {
        const QList<Setting> values = settings.value(flag.name.toString());
        if (values.isEmpty())
            continue;
        // The last of a flag given twice wins, as with most command-line tools.
        const QList<Setting> applied = flag.repeatable ? values : values.mid(values.size() - 1);
        for (const Setting &setting : applied) {
            if (auto set = flag.apply(config, setting.value); !set)
                return invalid(u"--"_s + flag.name + u": "_s + set.error().message
                               + setting.origin);
        }
    }
    if (config.tlsCertPath.isEmpty() != config.tlsKeyPath.isEmpty())
        return invalid(config.tlsCertPath.isEmpty() ? u"--tls-key: needs --tls-cert too"_s
                                                    : u"--tls-cert: needs --tls-key too"_s);
    if (auto applied = applyEnvironment(config, environment); !applied)
        return applied.error();
    return outcome;
}

} // namespace confab
