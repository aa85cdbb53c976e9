#include "ops/serverconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace std::chrono_literals;

namespace {

QStringList command(const QStringList &flags)
{
    return QStringList{u"confab-server"_s} + flags;
}

Result<ConfigOutcome> parse(const QStringList &flags, const QProcessEnvironment &environment = {})
{
    return parseServerConfig(command(flags), environment);
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &contents)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        qWarning("could not write %s", qPrintable(path));
    return path;
}

} // namespace

class ServerConfigTest final : public QObject
{
    Q_OBJECT

private slots:
    void shouldUseTheDefaultsWithoutFlags()
    {
        auto outcome = parse({});
        QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
        QCOMPARE(outcome->kind, ConfigOutcome::Run);
        const ServerConfig &config = outcome->config;
        QCOMPARE(config.listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(config.listenPort, 8080);
        QCOMPARE(config.databasePath, u"confab.db"_s);
        QVERIFY(config.upstreamBaseUrl.isEmpty());
        QVERIFY(config.upstreamApiKey.isEmpty());
        QVERIFY(config.jwtSecret.isEmpty());
        QCOMPARE(config.contextMessages, 15);
        QCOMPARE(config.minInterval, 5000ms);
        QCOMPARE(config.maxLiveConversations, 3);
        QCOMPARE(config.registration, RegistrationMode::Approval);
        QCOMPARE(config.maxBodyBytes, 1024 * 1024);
        QVERIFY(config.tlsCertPath.isEmpty());
        QVERIFY(config.createAdmin.isEmpty());
        QVERIFY(config.backupPath.isEmpty());
        QCOMPARE(config.logFormat, LogFormat::Text);
        QCOMPARE(config.logLevel, u"info"_s);
        QVERIFY(config.trustedProxies.isEmpty());
        QCOMPARE(config.accessTokenLifetime, 900s);
        QCOMPARE(config.refreshTokenLifetime, std::chrono::seconds(30 * 24 * 3600));
        QCOMPARE(config.upstreamConnections, 512);
    }

    void shouldReadEveryFlag()
    {
        auto outcome = parse({u"--listen"_s,
                              u"0.0.0.0:9090"_s,
                              u"--db"_s,
                              u"/var/lib/confab/server.db"_s,
                              u"--upstream-base-url=https://api.example.com/v1"_s,
                              u"--upstream-model"_s,
                              u"gpt-test"_s,
                              u"--context-messages"_s,
                              u"20"_s,
                              u"--min-interval"_s,
                              u"2.5"_s,
                              u"--max-live-conversations"_s,
                              u"5"_s,
                              u"--registration"_s,
                              u"open"_s,
                              u"--max-body-bytes"_s,
                              u"2048"_s,
                              u"--tls-cert"_s,
                              u"cert.pem"_s,
                              u"--tls-key"_s,
                              u"key.pem"_s,
                              u"--create-admin"_s,
                              u"root"_s,
                              u"--backup"_s,
                              u"copy.db"_s,
                              u"--log-format"_s,
                              u"json"_s,
                              u"--log-level"_s,
                              u"debug"_s,
                              u"--trusted-proxy"_s,
                              u"10.0.0.1"_s,
                              u"--trusted-proxy"_s,
                              u"fd00::1,10.0.0.2"_s,
                              u"--access-token-lifetime"_s,
                              u"60"_s,
                              u"--refresh-token-lifetime"_s,
                              u"3600"_s,
                              u"--upstream-connections"_s,
                              u"8"_s});
        QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
        const ServerConfig &config = outcome->config;
        QCOMPARE(config.listenAddress, QHostAddress(QHostAddress::AnyIPv4));
        QCOMPARE(config.listenPort, 9090);
        QCOMPARE(config.databasePath, u"/var/lib/confab/server.db"_s);
        QCOMPARE(config.upstreamBaseUrl, QUrl(u"https://api.example.com/v1"_s));
        QCOMPARE(config.upstreamModel, u"gpt-test"_s);
        QCOMPARE(config.contextMessages, 20);
        QCOMPARE(config.minInterval, 2500ms);
        QCOMPARE(config.maxLiveConversations, 5);
        QCOMPARE(config.registration, RegistrationMode::Open);
        QCOMPARE(config.maxBodyBytes, 2048);
        QCOMPARE(config.tlsCertPath, u"cert.pem"_s);
        QCOMPARE(config.tlsKeyPath, u"key.pem"_s);
        QCOMPARE(config.createAdmin, u"root"_s);
        QCOMPARE(config.backupPath, u"copy.db"_s);
        QCOMPARE(config.logFormat, LogFormat::Json);
        QCOMPARE(config.logLevel, u"debug"_s);
        QCOMPARE(config.trustedProxies,
                 (QList<QHostAddress>{QHostAddress(u"10.0.0.1"_s), QHostAddress(u"fd00::1"_s),
                                      QHostAddress(u"10.0.0.2"_s)}));
        QCOMPARE(config.accessTokenLifetime, 60s);
        QCOMPARE(config.refreshTokenLifetime, 3600s);
        QCOMPARE(config.upstreamConnections, 8);
    }

    void shouldReadListenAddresses_data()
    {
        QTest::addColumn<QString>("listen");
        QTest::addColumn<QHostAddress>("address");
        QTest::addColumn<int>("port");
        QTest::newRow("ipv6 loopback")
            << u"[::1]:9000"_s << QHostAddress(QHostAddress::LocalHostIPv6) << 9000;
        QTest::newRow("ipv6 any") << u"[::]:443"_s << QHostAddress(QHostAddress::AnyIPv6) << 443;
        QTest::newRow("ipv4") << u"192.168.1.5:1"_s << QHostAddress(u"192.168.1.5"_s) << 1;
        QTest::newRow("localhost")
            << u"localhost:65535"_s << QHostAddress(QHostAddress::LocalHost) << 65535;
    }

    void shouldReadListenAddresses()
    {
        QFETCH(QString, listen);
        QFETCH(QHostAddress, address);
        QFETCH(int, port);
        auto outcome = parse({u"--listen"_s, listen});
        QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
        QCOMPARE(outcome->config.listenAddress, address);
        QCOMPARE(outcome->config.listenPort, port);
    }

    void shouldLetTheLastOfARepeatedFlagWin()
    {
        auto outcome = parse({u"--context-messages=3"_s, u"--context-messages=4"_s});
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->config.contextMessages, 4);
    }

    void shouldReadTheConfigFileUnderTheFlags()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"confab.conf"_s,
                                       "\xEF\xBB\xBF# confab-server settings\n"
                                       "listen = 127.0.0.1:7000\n"
                                       "\n"
                                       "; another comment\n"
                                       "context-messages=30\n"
                                       "  registration = closed  \n"
                                       "db = \"/srv/confab data/confab.db\"\n"
                                       "min-interval = 0\n"
                                       "trusted-proxy = 10.1.1.1\n"
                                       "trusted-proxy = 10.1.1.2\n"
                                       "log-format = json\n");
        auto fromFile = parse({u"--config"_s, path});
        QVERIFY2(fromFile.ok(), qPrintable(fromFile.error().toString()));
        QCOMPARE(fromFile->config.listenPort, 7000);
        QCOMPARE(fromFile->config.contextMessages, 30);
        QCOMPARE(fromFile->config.registration, RegistrationMode::Closed);
        QCOMPARE(fromFile->config.databasePath, u"/srv/confab data/confab.db"_s);
        QCOMPARE(fromFile->config.minInterval, 0ms);
        QCOMPARE(fromFile->config.trustedProxies,
                 (QList<QHostAddress>{QHostAddress(u"10.1.1.1"_s), QHostAddress(u"10.1.1.2"_s)}));
        QCOMPARE(fromFile->config.logFormat, LogFormat::Json);

        // Flags win, before or after --config; a repeatable flag replaces the file's list.
        auto overridden = parse(
            {u"--context-messages"_s, u"7"_s, u"--config"_s, path, u"--trusted-proxy"_s, u"::1"_s});
        QVERIFY2(overridden.ok(), qPrintable(overridden.error().toString()));
        QCOMPARE(overridden->config.contextMessages, 7);
        QCOMPARE(overridden->config.trustedProxies,
                 QList<QHostAddress>{QHostAddress(QHostAddress::LocalHostIPv6)});
        QCOMPARE(overridden->config.listenPort, 7000);
        QCOMPARE(overridden->config.registration, RegistrationMode::Closed);
    }

    void shouldTakeTheSecretsFromTheEnvironment()
    {
        const QByteArray secret(40, 'k');
        QProcessEnvironment environment;
        environment.insert(u"CONFAB_UPSTREAM_API_KEY"_s, u"sk-test-123\n"_s);
        environment.insert(u"CONFAB_JWT_SECRET"_s, QString::fromLatin1(secret));
        auto raw = parse({}, environment);
        QVERIFY2(raw.ok(), qPrintable(raw.error().toString()));
        QCOMPARE(raw->config.upstreamApiKey, u"sk-test-123"_s);
        QCOMPARE(raw->config.jwtSecret, secret);

        QByteArray binary(32, '\0');
        for (int i = 0; i < binary.size(); ++i)
            binary[i] = char(255 - i);
        environment.insert(u"CONFAB_JWT_SECRET"_s,
                           u"base64:"_s + QString::fromLatin1(binary.toBase64()));
        auto decoded = parse({}, environment);
        QVERIFY2(decoded.ok(), qPrintable(decoded.error().toString()));
        QCOMPARE(decoded->config.jwtSecret, binary);
    }

    void shouldNameTheFlagOfABadValue_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("prefix");
        const auto row = [](const char *name, const QStringList &flags, const QString &prefix) {
            QTest::newRow(name) << flags << prefix;
        };
        row("listen without port", {u"--listen"_s, u"127.0.0.1"_s}, u"--listen:"_s);
        row("listen port too big", {u"--listen"_s, u"127.0.0.1:65536"_s}, u"--listen:"_s);
        row("listen host name", {u"--listen"_s, u"example.org:80"_s}, u"--listen:"_s);
        row("listen bare ipv6", {u"--listen"_s, u"::1:9000"_s}, u"--listen:"_s);
        row("listen no value", {u"--listen"_s}, u"--listen:"_s);
        row("db empty", {u"--db="_s}, u"--db:"_s);
        row("base url ftp", {u"--upstream-base-url"_s, u"ftp://example.org"_s},
            u"--upstream-base-url:"_s);
        row("base url no scheme", {u"--upstream-base-url"_s, u"example.org/v1"_s},
            u"--upstream-base-url:"_s);
        row("context 0", {u"--context-messages"_s, u"0"_s}, u"--context-messages:"_s);
        row("context 201", {u"--context-messages"_s, u"201"_s}, u"--context-messages:"_s);
        row("context text", {u"--context-messages"_s, u"many"_s}, u"--context-messages:"_s);
        row("interval negative", {u"--min-interval=-1"_s}, u"--min-interval:"_s);
        row("interval too long", {u"--min-interval"_s, u"3600.5"_s}, u"--min-interval:"_s);
        row("interval nan", {u"--min-interval"_s, u"nan"_s}, u"--min-interval:"_s);
        row("live 0", {u"--max-live-conversations"_s, u"0"_s}, u"--max-live-conversations:"_s);
        row("live 101", {u"--max-live-conversations"_s, u"101"_s}, u"--max-live-conversations:"_s);
        row("registration", {u"--registration"_s, u"maybe"_s}, u"--registration:"_s);
        row("body too small", {u"--max-body-bytes"_s, u"1023"_s}, u"--max-body-bytes:"_s);
        row("body too big", {u"--max-body-bytes"_s, u"67108865"_s}, u"--max-body-bytes:"_s);
        row("log format", {u"--log-format"_s, u"xml"_s}, u"--log-format:"_s);
        row("log level", {u"--log-level"_s, u"verbose"_s}, u"--log-level:"_s);
        row("trusted proxy", {u"--trusted-proxy"_s, u"10.0.0.300"_s}, u"--trusted-proxy:"_s);
        row("token lifetime", {u"--access-token-lifetime"_s, u"0"_s},
            u"--access-token-lifetime:"_s);
        row("refresh lifetime", {u"--refresh-token-lifetime"_s, u"31536001"_s},
            u"--refresh-token-lifetime:"_s);
        row("connections", {u"--upstream-connections"_s, u"0"_s}, u"--upstream-connections:"_s);
        row("create-admin empty", {u"--create-admin"_s, u" "_s}, u"--create-admin:"_s);
        row("cert without key", {u"--tls-cert"_s, u"cert.pem"_s}, u"--tls-cert:"_s);
        row("key without cert", {u"--tls-key"_s, u"key.pem"_s}, u"--tls-key:"_s);
        row("value with a newline", {u"--context-messages"_s, u"5\n--evil"_s},
            u"--context-messages:"_s);
        row("unknown flag", {u"--bogus"_s, u"1"_s}, u"--bogus: unknown flag"_s);
        row("unknown short flag", {u"-x"_s}, u"-x: unknown flag"_s);
        row("api key flag", {u"--upstream-api-key"_s, u"sk-1"_s}, u"--upstream-api-key:"_s);
        row("positional", {u"extra"_s}, u"unexpected argument \"extra\""_s);
    }

    void shouldNameTheFlagOfABadValue()
    {
        QFETCH(QStringList, flags);
        QFETCH(QString, prefix);
        auto outcome = parse(flags);
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().code, ErrorCode::InvalidInput);
        const QString message = outcome.error().message;
        QVERIFY2(message.startsWith(prefix), qPrintable(message));
        QVERIFY2(!message.contains(u'\n') && !message.contains(u'\r'), qPrintable(message));
    }

    void shouldPointAtTheEnvironmentForTheApiKey()
    {
        auto outcome = parse({u"--upstream-api-key=sk-secret"_s});
        QVERIFY(!outcome.ok());
        QVERIFY(outcome.error().message.contains(u"CONFAB_UPSTREAM_API_KEY"_s));
        QVERIFY(!outcome.error().message.contains(u"sk-secret"_s));
    }

    void shouldRefuseBadSecrets_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::newRow("short jwt secret") << u"CONFAB_JWT_SECRET"_s << u"too-short"_s;
        QTest::newRow("short base64 secret")
            << u"CONFAB_JWT_SECRET"_s
            << u"base64:"_s + QString::fromLatin1(QByteArray(31, 'a').toBase64());
        QTest::newRow("bad base64") << u"CONFAB_JWT_SECRET"_s << u"base64:!!!not base64!!!"_s;
        QTest::newRow("key with a space") << u"CONFAB_UPSTREAM_API_KEY"_s << u"sk-1 sk-2"_s;
    }

    void shouldRefuseBadSecrets()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        QProcessEnvironment environment;
        environment.insert(variable, value);
        auto outcome = parse({}, environment);
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().code, ErrorCode::InvalidInput);
        QVERIFY2(outcome.error().message.startsWith(variable + u':'),
                 qPrintable(outcome.error().message));
        QVERIFY(!outcome.error().message.contains(u'\n'));
        // The secret itself is never echoed.
        QVERIFY(!outcome.error().message.contains(value));
    }

    void shouldRefuseBadConfigFiles_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown key") << QByteArray("listen = 127.0.0.1:80\ncolour = blue\n")
                                     << u"--config:"_s << u"line 2"_s;
        QTest::newRow("no equals")
            << QByteArray("context-messages 20\n") << u"--config:"_s << u"line 1"_s;
        QTest::newRow("flag spelling")
            << QByteArray("--context-messages = 20\n") << u"--config:"_s << u"unknown key"_s;
        QTest::newRow("bad value") << QByteArray("# comment\ncontext-messages = 500\n")
                                   << u"--context-messages:"_s << u"line 2"_s;
        QTest::newRow("one-time action")
            << QByteArray("create-admin = root\n") << u"--create-admin:"_s << u"command line"_s;
        QTest::newRow("config in config")
            << QByteArray("config = other.conf\n") << u"--config:"_s << u"unknown key"_s;
        QTest::newRow("api key") << QByteArray("upstream-api-key = sk-1\n") << u"--config:"_s
                                 << u"CONFAB_UPSTREAM_API_KEY"_s;
    }

    void shouldRefuseBadConfigFiles()
    {
        QFETCH(QByteArray, contents);
        QFETCH(QString, prefix);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const QString path = writeFile(dir, u"bad.conf"_s, contents);
        auto outcome = parse({u"--config"_s, path});
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().code, ErrorCode::InvalidInput);
        const QString message = outcome.error().message;
        QVERIFY2(message.startsWith(prefix), qPrintable(message));
        QVERIFY2(message.contains(mentions), qPrintable(message));
        QVERIFY2(!message.contains(u'\n'), qPrintable(message));
    }

    void shouldRefuseAnUnreadableConfigFile()
    {
        QTemporaryDir dir;
        for (const QString &path : {dir.filePath(u"missing.conf"_s), dir.path()}) {
            auto outcome = parse({u"--config"_s, path});
            QVERIFY(!outcome.ok());
            QCOMPARE(outcome.error().code, ErrorCode::InvalidInput);
            QVERIFY2(outcome.error().message.startsWith(u"--config: cannot read"_s),
                     qPrintable(outcome.error().message));
            QVERIFY(!outcome.error().message.contains(u'\n'));
        }
    }

    void shouldListEveryFlagInTheHelp()
    {
        auto outcome = parse({u"--help"_s});
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->kind, ConfigOutcome::ShowHelp);
        const QString help = outcome->text;
        const QStringList expected{
            u"--listen HOST:PORT"_s,
            u"--db"_s,
            u"--upstream-base-url"_s,
            u"--upstream-model"_s,
            u"--context-messages"_s,
            u"--min-interval"_s,
            u"--max-live-conversations"_s,
            u"--registration"_s,
            u"--max-body-bytes"_s,
            u"--tls-cert"_s,
            u"--tls-key"_s,
            u"--config"_s,
            u"--create-admin"_s,
            u"--backup"_s,
            u"--log-format"_s,
            u"--log-level"_s,
            u"--trusted-proxy"_s,
            u"--access-token-lifetime"_s,
            u"--refresh-token-lifetime"_s,
            u"--upstream-connections"_s,
            u"--help"_s,
            u"--version"_s,
            u"CONFAB_UPSTREAM_API_KEY"_s,
            u"CONFAB_JWT_SECRET"_s,
            u"default 127.0.0.1:8080"_s,
            u"default 15"_s,
            u"default approval"_s,
        };
        // Descriptions wrap: compare with white space collapsed.
        const QString flat = help.simplified();
        for (const QString &text : expected)
            QVERIFY2(flat.contains(text), qPrintable(text));
        for (const QString &line : help.split(u'\n'))
            QVERIFY2(line.size() <= 100, qPrintable(line));
        QVERIFY(help.endsWith(u'\n'));
    }

    void shouldShowHelpEvenWithBadValues()
    {
        auto outcome = parse({u"--context-messages"_s, u"0"_s, u"-h"_s});
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->kind, ConfigOutcome::ShowHelp);
    }

    void shouldShowTheVersion()
    {
        auto outcome = parse({u"--version"_s});
        QVERIFY(outcome.ok());
        QCOMPARE(outcome->kind, ConfigOutcome::ShowVersion);
        QCOMPARE(outcome->text, u"confab-server " CONFAB_VERSION "\n"_s);
    }

    void shouldNameEnumValuesBothWays()
    {
        for (auto mode :
             {RegistrationMode::Open, RegistrationMode::Approval, RegistrationMode::Closed})
            QCOMPARE(registrationModeFromName(registrationModeName(mode)), mode);
        QCOMPARE(registrationModeName(RegistrationMode::Open), u"open"_s);
        QCOMPARE(logFormatFromName(u"json"), LogFormat::Json);
        QCOMPARE(logLevelFromName(u"error"), QtCriticalMsg);
        QCOMPARE(logLevelFromName(u"warn"), QtWarningMsg);
        QCOMPARE(logLevelFromName(u"loud"), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(ServerConfigTest)
#include "tst_serverconfig.moc"
