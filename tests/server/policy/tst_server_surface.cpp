// The outside of a real confab-server process: its command line (help, version, usage errors,
// secrets, --create-admin, config file versus flags), /openapi.json against the routes it
// answers, /metrics, /health, and the OpenAI-compatible gateway's shapes and accounting.

#include "policysupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;
using namespace confab::testing;

namespace {

struct Run
{
    int exitCode = -1; // -1: crashed or had to be killed
    QByteArray out;
    QByteArray err;
};

// confab-server with these arguments, stdout and stderr apart; killed after timeoutMs.
Run run(const QStringList &arguments, const QProcessEnvironment &env = {},
        const QByteArray &input = {}, int timeoutMs = 20000)
{
    QProcess process;
    process.setProcessEnvironment(env.isEmpty() ? ServerHarness::baseEnvironment() : env);
    process.start(ServerHarness::executable(), arguments);
    Run result;
    if (!process.waitForStarted())
        return result;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    } else if (process.exitStatus() == QProcess::NormalExit) {
        result.exitCode = process.exitCode();
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

// The routes confab-server answers (DESIGN.md section 4), as OpenAPI writes them.
const QList<std::pair<QByteArray, QString>> &serverRoutes()
{
    static const QList<std::pair<QByteArray, QString>> routes{
        {"POST", u"/api/v1/auth/register"_s},
        {"POST", u"/api/v1/auth/login"_s},
        {"POST", u"/api/v1/auth/refresh"_s},
        {"POST", u"/api/v1/auth/logout"_s},
        {"GET", u"/api/v1/users/me"_s},
        {"PATCH", u"/api/v1/users/me"_s},
        {"POST", u"/api/v1/users/me/password"_s},
        {"GET", u"/api/v1/users/me/usage"_s},
        {"GET", u"/api/v1/users/me/tokens"_s},
        {"POST", u"/api/v1/users/me/tokens"_s},
        {"DELETE", u"/api/v1/users/me/tokens/{id}"_s},
        {"GET", u"/api/v1/models"_s},
        {"GET", u"/api/v1/presets"_s},
        {"GET", u"/api/v1/conversations"_s},
        {"POST", u"/api/v1/conversations"_s},
        {"GET", u"/api/v1/conversations/{id}"_s},
        {"PATCH", u"/api/v1/conversations/{id}"_s},
        {"DELETE", u"/api/v1/conversations/{id}"_s},
        {"GET", u"/api/v1/conversations/{id}/messages"_s},
        {"POST", u"/api/v1/conversations/{id}/messages"_s},
        {"POST", u"/api/v1/conversations/{id}/cancel"_s},
        {"DELETE", u"/api/v1/messages/{id}"_s},
        {"GET", u"/api/v1/search"_s},
        {"GET", u"/api/v1/ws"_s},
        {"GET", u"/api/v1/admin/users"_s},
        {"POST", u"/api/v1/admin/users"_s},
        {"PATCH", u"/api/v1/admin/users/{id}"_s},
        {"DELETE", u"/api/v1/admin/users/{id}"_s},
        {"POST", u"/api/v1/admin/users/{id}/revoke"_s},
        {"GET", u"/api/v1/admin/usage"_s},
        {"GET", u"/api/v1/admin/presets"_s},
        {"PUT", u"/api/v1/admin/presets"_s},
        {"GET", u"/api/v1/admin/settings"_s},
        {"PUT", u"/api/v1/admin/settings"_s},
        {"POST", u"/v1/chat/completions"_s},
        {"GET", u"/v1/models"_s},
        {"GET", u"/health"_s},
        {"GET", u"/metrics"_s},
        {"GET", u"/openapi.json"_s},
    };
    return routes;
}

// The "data:" payloads of an event stream, in order.
QList<QByteArray> sseData(const QByteArray &body)
{
    QList<QByteArray> data;
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith("data: "))
            data.append(line.mid(6).trimmed());
    }
    return data;
}

// The value of one sample line of a Prometheus text page ("name{labels} value"); -1 if absent.
double sample(const QByteArray &page, const QByteArray &nameAndLabels)
{
    for (const QByteArray &line : page.split('\n')) {
        if (line.startsWith(QByteArray(nameAndLabels + ' ')))
            return line.mid(nameAndLabels.size() + 1).toDouble();
    }
    return -1;
}

// A confab-server started without the harness's flags, for what a config file alone decides.
struct RawServer
{
    QProcess process;
    quint16 port = 0;
    QByteArray log;

    bool start(const QStringList &arguments)
    {
        process.setProcessEnvironment(ServerHarness::baseEnvironment());
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(ServerHarness::executable(), arguments);
        static const QRegularExpression listening(u"listening on http://[^:]+:(\\d+)"_s);
        const bool up = QTest::qWaitFor(
            [this] {
                log += process.readAll();
                const auto match = listening.match(QString::fromUtf8(log));
                if (match.hasMatch())
                    port = quint16(match.captured(1).toUInt());
                return match.hasMatch() || process.state() == QProcess::NotRunning;
            },
            20000);
        if (!up || port == 0)
            qWarning("did not start: %s", log.constData());
        return up && port != 0;
    }
    ~RawServer()
    {
        process.terminate();
        if (!process.waitForFinished(10000))
            process.kill();
        process.waitForFinished();
    }
};

HttpResult rawRequest(quint16 port, const QByteArray &method, const QString &path,
                      const QJsonObject &body = {}, const QString &token = {})
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QNetworkReply *reply = network.sendCustomRequest(
        request, method, method == "GET" ? QByteArray() : QJsonDocument(body).toJson());
    (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000);
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    delete reply;
    return result;
}

HttpResult rawPost(quint16 port, const QString &path, const QJsonObject &body)
{
    return rawRequest(port, "POST", path, body);
}

} // namespace

class TestServerSurface : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void cleanupTestCase()
    {
        if (m_server.isRunning())
            QCOMPARE(m_server.stop(), 0);
    }

    // ---- Command line

    void shouldListEveryFlagInHelp()
    {
        const Run help = run({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        for (const char *flag : {"--listen",
                                 "--db",
                                 "--upstream-base-url",
                                 "--upstream-model",
                                 "--context-messages",
                                 "--min-interval",
                                 "--max-live-conversations",
                                 "--registration",
                                 "--max-body-bytes",
                                 "--tls-cert",
                                 "--tls-key",
                                 "--config",
                                 "--create-admin",
                                 "--backup",
                                 "--log-format",
                                 "--log-level",
                                 "--trusted-proxy",
                                 "--access-token-lifetime",
                                 "--refresh-token-lifetime",
                                 "--upstream-connections",
                                 "--help",
                                 "--version",
                                 "CONFAB_UPSTREAM_API_KEY",
                                 "CONFAB_JWT_SECRET"})
            QVERIFY2(help.out.contains(flag), flag);
        QVERIFY(help.err.isEmpty());
        QCOMPARE(run({u"-h"_s}).out, help.out);
    }

    void shouldPrintTheVersion()
    {
        const Run version = run({u"--version"_s});
        QCOMPARE(version.exitCode, 0);
        QVERIFY2(QRegularExpression(u"^confab-server \\d+\\.\\d+\\.\\d+"_s)
                     .match(QString::fromUtf8(version.out))
                     .hasMatch(),
                 version.out.constData());
        QVERIFY(version.err.isEmpty());
    }

    void shouldRefuseABadCommandLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("configText"); // written to a file given with --config
        const QString dir = m_dir.path();
        QTest::newRow("unknown flag") << QStringList{u"--frobnicate"_s} << QString();
        QTest::newRow("unknown single dash") << QStringList{u"-listen"_s} << QString();
        QTest::newRow("missing value") << QStringList{u"--listen"_s} << QString();
        QTest::newRow("positional") << QStringList{u"serve"_s} << QString();
        QTest::newRow("min-interval text")
            << QStringList{u"--min-interval"_s, u"abc"_s} << QString();
        QTest::newRow("min-interval negative") << QStringList{u"--min-interval=-1"_s} << QString();
        QTest::newRow("min-interval nan")
            << QStringList{u"--min-interval"_s, u"nan"_s} << QString();
        QTest::newRow("context 0") << QStringList{u"--context-messages"_s, u"0"_s} << QString();
        QTest::newRow("context 201") << QStringList{u"--context-messages"_s, u"201"_s} << QString();
        QTest::newRow("live 0") << QStringList{u"--max-live-conversations"_s, u"0"_s} << QString();
        QTest::newRow("registration")
            << QStringList{u"--registration"_s, u"sometimes"_s} << QString();
        QTest::newRow("listen no port") << QStringList{u"--listen"_s, u"127.0.0.1"_s} << QString();
        QTest::newRow("listen big port")
            << QStringList{u"--listen"_s, u"127.0.0.1:70000"_s} << QString();
        QTest::newRow("upstream scheme")
            << QStringList{u"--upstream-base-url"_s, u"ftp://example.org/v1"_s} << QString();
        QTest::newRow("body bytes") << QStringList{u"--max-body-bytes"_s, u"10"_s} << QString();
        QTest::newRow("log format") << QStringList{u"--log-format"_s, u"xml"_s} << QString();
        QTest::newRow("trusted proxy")
            << QStringList{u"--trusted-proxy"_s, u"proxy.lan"_s} << QString();
        QTest::newRow("tls half") << QStringList{u"--tls-cert"_s, u"/tmp/cert.pem"_s} << QString();
        QTest::newRow("api key flag")
            << QStringList{u"--upstream-api-key"_s, u"sk-flag-SECRET-123"_s} << QString();
        QTest::newRow("config missing")
            << QStringList{u"--config"_s, dir + u"/no-such.conf"_s} << QString();
        QTest::newRow("config is a directory") << QStringList{u"--config"_s, dir} << QString();
        QTest::newRow("config unknown key") << QStringList() << u"frobnicate = 1\n"_s;
        QTest::newRow("config bad value") << QStringList() << u"# ok\nmin-interval = soon\n"_s;
        QTest::newRow("config no equals") << QStringList() << u"registration closed\n"_s;
        QTest::newRow("config one-time action") << QStringList() << u"create-admin = root\n"_s;
        QTest::newRow("config secret")
            << QStringList() << u"upstream-api-key = sk-file-SECRET-456\n"_s;
    }
    void shouldRefuseABadCommandLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, configText);
        if (!configText.isEmpty()) {
            const QString path = m_dir.filePath(u"bad.conf"_s);
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(configText.toUtf8());
            file.close();
            arguments = QStringList{u"--config"_s, path} + arguments;
        }
        arguments += QStringList{u"--db"_s, m_dir.filePath(u"never.db"_s)};
        const Run result = run(arguments, {}, {}, 10000);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.out.isEmpty(), result.out.constData());
        // One line, naming the program.
        QVERIFY2(result.err.endsWith('\n') && result.err.count('\n') == 1, result.err.constData());
        QVERIFY2(result.err.startsWith("confab-server: "), result.err.constData());
        QVERIFY2(result.err.size() > 25, result.err.constData());
        QVERIFY(!result.err.contains("SECRET"));
        QVERIFY(!QFile::exists(m_dir.filePath(u"never.db"_s)));
    }

    void shouldRefuseAShortJwtSecret_data()
    {
        QTest::addColumn<QString>("secret");
        QTest::newRow("31 bytes") << u"tooShortJwtKey-xyzzy-31bytes-ab"_s;
        QTest::newRow("two bytes") << u"Zq"_s;
        QTest::newRow("base64 of 16 bytes")
            << u"base64:"_s + QString::fromLatin1(QByteArray("xyzzy-0123456789").toBase64());
        QTest::newRow("bad base64") << u"base64:xyzzy!!not-base64"_s;
    }
    void shouldRefuseAShortJwtSecret()
    {
        QFETCH(QString, secret);
        QProcessEnvironment env = ServerHarness::baseEnvironment();
        env.insert(u"CONFAB_JWT_SECRET"_s, secret);
        const Run result
            = run({u"--listen"_s, u"127.0.0.1:0"_s, u"--db"_s, m_dir.filePath(u"jwt.db"_s)}, env,
                  {}, 10000);
        QVERIFY2(result.exitCode > 0, result.err.constData());
        QVERIFY2(result.err.count('\n') == 1, result.err.constData());
        QVERIFY(result.err.contains("CONFAB_JWT_SECRET"));
        QVERIFY(!result.err.contains(secret.toUtf8()));
        QVERIFY(!result.err.contains("xyzzy"));
        QVERIFY(!result.out.contains("listening"));
    }

    void shouldRefuseAWeakAdminPassword()
    {
        const QString db = m_dir.filePath(u"admin.db"_s);
        for (const QByteArray &weak :
             {QByteArray("password123\n"), QByteArray("short\n"), QByteArray("\n"),
              QByteArray("chief-admin\n"), QByteArray(QByteArray(200, 'x') + '\n')}) {
            const Run result
                = run({u"--db"_s, db, u"--create-admin"_s, u"chief-admin"_s}, {}, weak);
            QVERIFY2(result.exitCode > 0, weak.constData());
            // The last line says why (the database's migration may have logged before).
            const QList<QByteArray> lines = result.err.trimmed().split('\n');
            QVERIFY2(lines.last().startsWith("confab-server: cannot create chief-admin: "),
                     result.err.constData());
            QVERIFY(!result.err.contains("password123"));
        }
        // Nothing was created by the refused attempts: the name is still free.
        const Run created = run({u"--db"_s, db, u"--create-admin"_s, u"chief-admin"_s}, {},
                                "Chief-Admin-Passw0rd!\n");
        QCOMPARE(created.exitCode, 0);
        QVERIFY(created.out.contains("created admin chief-admin"));
        const Run again = run({u"--db"_s, db, u"--create-admin"_s, u"chief-admin"_s}, {},
                              "Chief-Admin-Passw0rd!\n");
        QVERIFY(again.exitCode > 0);
    }

    void shouldReadAConfigFileAndLetFlagsOverrideIt()
    {
        const QString config = m_dir.filePath(u"confab.conf"_s);
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("# confab-server settings\n"
                   "; another comment\n"
                   "registration = closed\n"
                   "context-messages = 7\n"
                   "max-live-conversations = \"9\"\n"
                   "min-interval = 4\n");
        file.close();

        // The file alone: registration is closed.
        const QString db = m_dir.filePath(u"raw.db"_s);
        {
            RawServer raw;
            QVERIFY(
                raw.start({u"--listen"_s, u"127.0.0.1:0"_s, u"--db"_s, db, u"--config"_s, config}));
            const HttpResult refused = rawPost(
                raw.port, u"/api/v1/auth/register"_s,
                {{u"username"_s, u"newcomer"_s}, {u"password"_s, u"Newcomer-Passw0rd"_s}});
            QCOMPARE(refused.status, 403);
            QCOMPARE(refused.errorCode(), u"registration_closed"_s);
        }
        // A flag beats the file.
        {
            RawServer raw;
            QVERIFY(raw.start({u"--listen"_s, u"127.0.0.1:0"_s, u"--db"_s, db, u"--config"_s,
                               config, u"--registration"_s, u"open"_s}));
            QCOMPARE(
                rawPost(raw.port, u"/api/v1/auth/register"_s,
                        {{u"username"_s, u"newcomer"_s}, {u"password"_s, u"Newcomer-Passw0rd"_s}})
                    .status,
                201);
        }

        // Through the harness (its --min-interval 0 and --registration open are flags too).
        ServerHarness server;
        QVERIFY(server.start({u"--config"_s, config, u"--context-messages"_s, u"5"_s}));
        const QJsonObject settings
            = server.get(u"/api/v1/admin/settings"_s, server.loginAdmin().accessToken).json();
        QCOMPARE(settings.value("context_messages"_L1).toInt(), 5);       // flag
        QCOMPARE(settings.value("max_live_conversations"_L1).toInt(), 9); // file
        QCOMPARE(settings.value("min_interval_seconds"_L1).toDouble(), 0.0);
        QCOMPARE(settings.value("registration"_L1).toString(), u"open"_s);
        QCOMPARE(server.stop(), 0);
    }

    void shouldKeepFlagsForSettingsAnAdminNeverChanged()
    {
        ServerHarness server;
        QVERIFY(server.start({u"--context-messages"_s, u"4"_s}));
        QCOMPARE(putSettings(server, {{u"max_live_conversations"_s, 5}}).status, 200);
        const QString db = server.databasePath();
        const QString upstream = server.upstream().baseUrl().toString();
        QCOMPARE(server.stop(), 0);

        // Restarted with other flags: the admin's value stays, the others follow the flags.
        // (Not through the harness: a second start() of it may read the first run's port.)
        RawServer raw;
        QVERIFY(raw.start({u"--listen"_s, u"127.0.0.1:0"_s, u"--db"_s, db, u"--upstream-base-url"_s,
                           upstream, u"--context-messages"_s, u"6"_s, u"--registration"_s,
                           u"closed"_s}));
        const HttpResult login
            = rawPost(raw.port, u"/api/v1/auth/login"_s,
                      {{u"username"_s, QString::fromLatin1(ServerHarness::AdminName)},
                       {u"password"_s, QString::fromLatin1(ServerHarness::AdminPassword)}});
        QCOMPARE(login.status, 200);
        const QJsonObject settings = rawRequest(raw.port, "GET", u"/api/v1/admin/settings"_s, {},
                                                login.json().value("access_token"_L1).toString())
                                         .json();
        QCOMPARE(settings.value("max_live_conversations"_L1).toInt(), 5);
        QCOMPARE(settings.value("context_messages"_L1).toInt(), 6);
        QCOMPARE(settings.value("registration"_L1).toString(), u"closed"_s);
        QCOMPARE(rawPost(raw.port, u"/api/v1/auth/register"_s,
                         {{u"username"_s, u"late"_s}, {u"password"_s, u"Late-Passw0rd-1"_s}})
                     .errorCode(),
                 u"registration_closed"_s);
    }

    // ---- The running server

    void shouldStartTheSharedServer()
    {
        QVERIFY(m_server.start());
        m_user = m_server.createUserAndLogin(u"surface"_s);
        m_apiToken = m_server.createApiToken(m_user.accessToken);
        QVERIFY(m_apiToken.startsWith("cfb_"_L1));
    }

    void shouldAnswerHealth()
    {
        const HttpResult health = m_server.get(u"/health"_s);
        QCOMPARE(health.status, 200);
        QCOMPARE(health.json().value("status"_L1).toString(), u"ok"_s);
        QCOMPARE(health.json().value("database"_L1).toString(), u"ok"_s);
    }

    void shouldDocumentEveryRouteThatAnswers()
    {
        const HttpResult reply = m_server.get(u"/openapi.json"_s);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("content-type").startsWith("application/json"));
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(reply.body, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject api = document.object();
        QVERIFY(api.value("openapi"_L1).toString().startsWith(u'3'));
        const QJsonObject paths = api.value("paths"_L1).toObject();

        QSet<QString> documented;
        for (auto path = paths.constBegin(); path != paths.constEnd(); ++path) {
            const QJsonObject operations = path->toObject();
            for (auto op = operations.constBegin(); op != operations.constEnd(); ++op) {
                static const QStringList methods{u"get"_s,    u"post"_s, u"put"_s,    u"patch"_s,
                                                 u"delete"_s, u"head"_s, u"options"_s};
                if (methods.contains(op.key()))
                    documented.insert(op.key().toUpper() + u' ' + path.key());
            }
        }
        QSet<QString> answered;
        for (const auto &[method, path] : serverRoutes())
            answered.insert(QString::fromLatin1(method) + u' ' + path);
        QStringList undocumented = (answered - documented).values();
        QStringList unknown = (documented - answered).values();
        undocumented.sort();
        unknown.sort();
        QVERIFY2(undocumented.isEmpty(),
                 qPrintable(u"not in /openapi.json: "_s + undocumented.join(u", "_s)));
        QVERIFY2(unknown.isEmpty(),
                 qPrintable(u"documented, not in this test's list: "_s + unknown.join(u", "_s)));

        // Each answers its method (not 404, not 405), with ids that exist.
        const SignedIn admin = m_server.loginAdmin();
        const SignedIn leaving = m_server.createUserAndLogin(u"surface-leaving"_s);
        const QString keptConversation = m_server.createConversation(m_user.accessToken);
        const QString goneConversation = m_server.createConversation(m_user.accessToken);
        m_server.upstream().enqueue(FakeResponse::chatStream({u"kept"_s}));
        const QString goneMessage
            = m_server
                  .post(u"/api/v1/conversations/%1/messages"_s.arg(keptConversation),
                        {{u"content"_s, u"to be deleted"_s}}, m_user.accessToken)
                  .json()
                  .value("user_message"_L1)
                  .toObject()
                  .value("id"_L1)
                  .toString();
        QVERIFY(!goneMessage.isEmpty());
        const QString goneToken
            = m_server
                  .post(u"/api/v1/users/me/tokens"_s, {{u"name"_s, u"gone"_s}}, m_user.accessToken)
                  .json()
                  .value("id"_L1)
                  .toString();
        const QString keptUser = m_server.createUserAndLogin(u"surface-kept"_s).userId;
        const QString goneUser = m_server.createUserAndLogin(u"surface-gone"_s).userId;
        for (const auto &[method, pattern] : serverRoutes()) {
            QString path = pattern;
            if (pattern.startsWith("/api/v1/conversations/{id}"_L1))
                path.replace(u"{id}"_s, method == "DELETE" ? goneConversation : keptConversation);
            else if (pattern.startsWith("/api/v1/users/me/tokens/"_L1))
                path.replace(u"{id}"_s, goneToken);
            else if (pattern.startsWith("/api/v1/messages/"_L1))
                path.replace(u"{id}"_s, goneMessage);
            else if (pattern.startsWith("/api/v1/admin/users/"_L1))
                path.replace(u"{id}"_s, method == "DELETE" ? goneUser : keptUser);
            QString token = m_user.accessToken;
            if (pattern.startsWith("/api/v1/admin/"_L1))
                token = admin.accessToken;
            else if (pattern.startsWith("/v1/"_L1))
                token = m_apiToken;
            else if (pattern == "/api/v1/auth/logout"_L1)
                token = leaving.accessToken;

            int status = 0;
            if (pattern == "/api/v1/ws"_L1) {
                WsClient socket;
                status = socket.open(m_server, token) ? 101 : 0;
            } else {
                status = m_server
                             .request(method, path,
                                      method == "GET" || method == "DELETE" ? QByteArray()
                                                                            : QByteArray("{}"),
                                      token)
                             .status;
            }
            QVERIFY2(status != 0 && status != 404 && status != 405,
                     qPrintable(u"%1 %2: %3"_s.arg(QString::fromLatin1(method), path).arg(status)));
        }
        // The check can fail: a route nobody answers is a 404.
        QCOMPARE(m_server.get(u"/api/v1/no-such-route"_s, m_user.accessToken).status, 404);
        QCOMPARE(m_server.request("PUT", u"/health"_s, "{}").status, 405);
    }

    void shouldExposeMetrics()
    {
        for (int i = 0; i < 3; ++i)
            QCOMPARE(m_server.get(u"/api/v1/users/me"_s, m_user.accessToken).status, 200);
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s).status, 401);
        const HttpResult metrics = m_server.get(u"/metrics"_s);
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.header("content-type").startsWith("text/plain"));
        const QByteArray page = metrics.body;
        QVERIFY2(page.contains("# TYPE confab_http_requests_total counter"), page.constData());
        const QByteArray ok
            = R"(confab_http_requests_total{route="/api/v1/users/me",method="GET",status="200"})";
        const QByteArray refused
            = R"(confab_http_requests_total{route="/api/v1/users/me",method="GET",status="401"})";
        QVERIFY2(sample(page, ok) >= 3, page.constData());
        QVERIFY2(sample(page, refused) >= 1, page.constData());
        QCOMPARE(sample(page, "confab_active_streams"), 0.0);

        // Counted as they happen, and the route label is the pattern, never the raw path.
        QCOMPARE(m_server.get(u"/api/v1/users/me"_s, m_user.accessToken).status, 200);
        QCOMPARE(m_server.get(u"/api/v1/conversations/123456789"_s, m_user.accessToken).status,
                 404);
        QCOMPARE(m_server.get(u"/no/such/path/abcdef-777"_s).status, 404);
        const QByteArray after = m_server.get(u"/metrics"_s).body;
        QCOMPARE(sample(after, ok), sample(page, ok) + 1);
        QVERIFY(!after.contains("123456789"));
        QVERIFY(!after.contains("abcdef-777"));

        // A stream in flight shows in confab_active_streams.
        const QString id = m_server.createConversation(m_user.accessToken);
        m_server.upstream().enqueue(
            FakeResponse::chatStream({u"wait"_s, u"ing"_s}).stallAfterEvents(1));
        QNetworkAccessManager network;
        QNetworkRequest request(m_server.url(u"/api/v1/conversations/%1/messages"_s.arg(id)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("Authorization", "Bearer " + m_user.accessToken.toLatin1());
        request.setRawHeader("Accept", "text/event-stream");
        std::unique_ptr<QNetworkReply> reply(network.post(request, R"({"content":"hold on"})"));
        QTRY_VERIFY(reply->peek(4096).contains("event: delta"));
        QCOMPARE(sample(m_server.get(u"/metrics"_s).body, "confab_active_streams"), 1.0);
        QCOMPARE(m_server.post(u"/api/v1/conversations/%1/cancel"_s.arg(id), {}, m_user.accessToken)
                     .status,
                 200);
        QTRY_VERIFY(reply->isFinished());
        QTRY_COMPARE(sample(m_server.get(u"/metrics"_s).body, "confab_active_streams"), 0.0);
        // No secrets in the page.
        const QByteArray last = m_server.get(u"/metrics"_s).body;
        QVERIFY(!last.contains(ServerHarness::UpstreamKey));
        QVERIFY(!last.contains(m_apiToken.toLatin1()));
    }

    // ---- The OpenAI-compatible gateway

    void shouldListModelsForAnApiToken()
    {
        const HttpResult models = m_server.request("GET", u"/v1/models"_s, {}, m_apiToken);
        QCOMPARE(models.status, 200);
        const QJsonObject json = models.json();
        QCOMPARE(json.value("object"_L1).toString(), u"list"_s);
        QStringList ids;
        for (const QJsonValue &model : json.value("data"_L1).toArray()) {
            QCOMPARE(model.toObject().value("object"_L1).toString(), u"model"_s);
            ids.append(model.toObject().value("id"_L1).toString());
        }
        QVERIFY2(ids.contains(u"fake-model"_s), qPrintable(ids.join(u',')));

        const HttpResult anonymous = m_server.request("GET", u"/v1/models"_s);
        QCOMPARE(anonymous.status, 401);
        const QJsonObject error = anonymous.json().value("error"_L1).toObject();
        QVERIFY(!error.value("message"_L1).toString().isEmpty());
        QVERIFY(error.contains("type"_L1));
    }

    void shouldCompleteWithoutStreaming()
    {
        const QJsonObject before = usageToday();
        m_server.upstream().enqueue(
            FakeResponse::chatStream({u"Hel"_s, u"lo"_s}, u"stop"_s, Usage{12, 3, 15}));
        const QJsonObject body{
            {u"model"_s, u"fake-model"_s},
            {u"messages"_s,
             QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Be brief."_s}},
                        QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Greet me"_s}}}},
            {u"temperature"_s, 0.5},
            // Not on the allow-list: must not reach the upstream.
            {u"user"_s, u"someone-else"_s},
            {u"n"_s, 3},
            {u"logit_bias"_s, QJsonObject{{u"50256"_s, -100}}},
            {u"tools"_s, QJsonArray{QJsonObject{{u"type"_s, u"function"_s}}}}};
        const HttpResult reply = m_server.request("POST", u"/v1/chat/completions"_s,
                                                  QJsonDocument(body).toJson(), m_apiToken);
        QCOMPARE(reply.status, 200);
        const QJsonObject json = reply.json();
        QVERIFY(json.value("id"_L1).toString().startsWith("chatcmpl-"_L1));
        QCOMPARE(json.value("object"_L1).toString(), u"chat.completion"_s);
        QVERIFY(json.value("created"_L1).toInteger() > 1'600'000'000);
        QCOMPARE(json.value("model"_L1).toString(), u"fake-model"_s);
        const QJsonArray choices = json.value("choices"_L1).toArray();
        QCOMPARE(choices.size(), 1);
        const QJsonObject choice = choices.first().toObject();
        QCOMPARE(choice.value("index"_L1).toInt(), 0);
        QCOMPARE(choice.value("finish_reason"_L1).toString(), u"stop"_s);
        QCOMPARE(choice.value("message"_L1).toObject().value("role"_L1).toString(), u"assistant"_s);
        QCOMPARE(choice.value("message"_L1).toObject().value("content"_L1).toString(), u"Hello"_s);
        QCOMPARE(json.value("usage"_L1).toObject(),
                 (QJsonObject{{u"prompt_tokens"_s, 12},
                              {u"completion_tokens"_s, 3},
                              {u"total_tokens"_s, 15}}));

        // Upstream: the server's key, usage asked for, only allow-listed fields.
        const FakeRequest upstream = m_server.upstream().lastRequest();
        QCOMPARE(upstream.header("authorization"),
                 QByteArray("Bearer ") + ServerHarness::UpstreamKey);
        const QJsonObject sent = upstream.json();
        QCOMPARE(sent.value("stream_options"_L1).toObject().value("include_usage"_L1).toBool(),
                 true);
        QCOMPARE(sent.value("temperature"_L1).toDouble(), 0.5);
        QCOMPARE(sent.value("messages"_L1).toArray().size(), 2);
        for (const char *field : {"user", "n", "logit_bias", "tools"})
            QVERIFY2(!sent.contains(QLatin1StringView(field)), upstream.body.constData());

        const QJsonObject after = usageToday();
        QCOMPARE(after.value("requests"_L1).toInt(), before.value("requests"_L1).toInt() + 1);
        QCOMPARE(after.value("prompt_tokens"_L1).toInt(),
                 before.value("prompt_tokens"_L1).toInt() + 12);
        QCOMPARE(after.value("completion_tokens"_L1).toInt(),
                 before.value("completion_tokens"_L1).toInt() + 3);
    }

    void shouldStreamChunks_data()
    {
        QTest::addColumn<bool>("includeUsage");
        QTest::newRow("with usage") << true;
        QTest::newRow("without usage") << false;
    }
    void shouldStreamChunks()
    {
        QFETCH(bool, includeUsage);
        const QJsonObject before = usageToday();
        m_server.upstream().enqueue(FakeResponse::chatStream({u"One"_s, u" two"_s, u" three"_s},
                                                             u"stop"_s, Usage{20, 7, 27}));
        QJsonObject body{
            {u"model"_s, u"fake-model"_s},
            {u"stream"_s, true},
            {u"messages"_s,
             QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Count"_s}}}}};
        if (includeUsage)
            body.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
        const HttpResult reply = m_server.request("POST", u"/v1/chat/completions"_s,
                                                  QJsonDocument(body).toJson(), m_apiToken);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("content-type").startsWith("text/event-stream"));

        const QList<QByteArray> data = sseData(reply.body);
        QVERIFY2(data.size() >= 3, reply.body.constData());
        QCOMPARE(data.last(), QByteArray("[DONE]"));
        QCOMPARE(data.count("[DONE]"), 1);
        QString text;
        QString id;
        QString finishReason;
        QJsonObject usage;
        bool sawRole = false;
        for (qsizetype i = 0; i + 1 < data.size(); ++i) {
            const QJsonObject chunk = QJsonDocument::fromJson(data.at(i)).object();
            QVERIFY2(!chunk.isEmpty(), data.at(i).constData());
            QCOMPARE(chunk.value("object"_L1).toString(), u"chat.completion.chunk"_s);
            QCOMPARE(chunk.value("model"_L1).toString(), u"fake-model"_s);
            QVERIFY(chunk.value("created"_L1).toInteger() > 0);
            if (id.isEmpty())
                id = chunk.value("id"_L1).toString();
            QCOMPARE(chunk.value("id"_L1).toString(), id);
            QVERIFY2(usage.isEmpty(), "nothing may follow the usage chunk but [DONE]");
            const QJsonArray choices = chunk.value("choices"_L1).toArray();
            if (chunk.value("usage"_L1).isObject()) {
                QVERIFY(choices.isEmpty());
                usage = chunk.value("usage"_L1).toObject();
                continue;
            }
            QVERIFY(!chunk.contains("usage"_L1) || chunk.value("usage"_L1).isNull());
            QCOMPARE(choices.size(), 1);
            const QJsonObject choice = choices.first().toObject();
            QCOMPARE(choice.value("index"_L1).toInt(), 0);
            const QJsonObject delta = choice.value("delta"_L1).toObject();
            if (i == 0) {
                QCOMPARE(delta.value("role"_L1).toString(), u"assistant"_s);
                sawRole = true;
            } else {
                QVERIFY(!delta.contains("role"_L1));
            }
            text += delta.value("content"_L1).toString();
            if (!choice.value("finish_reason"_L1).isNull()) {
                QVERIFY2(finishReason.isEmpty(), "one finish_reason");
                finishReason = choice.value("finish_reason"_L1).toString();
            }
        }
        QVERIFY(sawRole);
        QVERIFY(id.startsWith("chatcmpl-"_L1));
        QCOMPARE(text, u"One two three"_s);
        QCOMPARE(finishReason, u"stop"_s);
        if (includeUsage) {
            QCOMPARE(usage,
                     (QJsonObject{{u"prompt_tokens"_s, 20},
                                  {u"completion_tokens"_s, 7},
                                  {u"total_tokens"_s, 27}}));
        } else {
            QVERIFY(usage.isEmpty());
        }
        // Counted either way.
        const QJsonObject after = usageToday();
        QCOMPARE(after.value("requests"_L1).toInt(), before.value("requests"_L1).toInt() + 1);
        QCOMPARE(after.value("total_tokens"_L1).toInt(),
                 before.value("total_tokens"_L1).toInt() + 27);
    }

    void shouldRefuseBadGatewayRequestsInOpenAiShape()
    {
        for (const QByteArray &body :
             {QByteArray("{}"), QByteArray(R"({"messages":[]})"), QByteArray("not json"),
              QByteArray(R"({"messages":[{"role":"wizard","content":"hi"}]})"),
              QByteArray(R"({"messages":[{"role":"user","content":[{"type":"image_url"}]}]})")}) {
            const HttpResult reply
                = m_server.request("POST", u"/v1/chat/completions"_s, body, m_apiToken);
            QVERIFY2(reply.status == 400, body.constData());
            const QJsonObject error = reply.json().value("error"_L1).toObject();
            QCOMPARE(error.value("type"_L1).toString(), u"invalid_request_error"_s);
            QVERIFY(!error.value("message"_L1).toString().isEmpty());
        }
    }

private:
    QJsonObject usageToday()
    {
        return m_server.get(u"/api/v1/users/me/usage"_s, m_user.accessToken)
            .json()
            .value("today"_L1)
            .toObject();
    }

    QTemporaryDir m_dir;
    ServerHarness m_server;
    SignedIn m_user;
    QString m_apiToken;
};

QTEST_GUILESS_MAIN(TestServerSurface)
#include "tst_server_surface.moc"
