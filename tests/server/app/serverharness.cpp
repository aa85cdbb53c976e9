#include "serverharness.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTest>

#ifdef Q_OS_UNIX
#include <csignal>
#endif

using namespace Qt::StringLiterals;

namespace confab::testing {

QJsonObject HttpResult::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray HttpResult::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString HttpResult::errorCode() const
{
    return json().value("error"_L1).toObject().value("code"_L1).toString();
}

ServerHarness::ServerHarness()
{
    m_upstream.listen();
    m_upstream.setRequiredApiKey(QString::fromLatin1(UpstreamKey));
}

ServerHarness::~ServerHarness()
{
    if (isRunning())
        killHard();
}

QString ServerHarness::executable()
{
    return QStringLiteral(CONFAB_SERVER_EXE);
}

QProcessEnvironment ServerHarness::baseEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"CONFAB_UPSTREAM_API_KEY"_s, QString::fromLatin1(UpstreamKey));
    env.insert(u"CONFAB_JWT_SECRET"_s, u"test-jwt-secret-of-more-than-32-bytes-0123456789"_s);
    return env;
}

QString ServerHarness::databasePath() const
{
    return m_dir.filePath(u"confab.db"_s);
}

int ServerHarness::runOnce(const QStringList &arguments, QByteArray *output,
                           const QByteArray &input, const QProcessEnvironment &env)
{
    QProcess process;
    process.setProcessEnvironment(env.isEmpty() ? baseEnvironment() : env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(executable(), arguments);
    if (!process.waitForStarted())
        return -1;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    if (output)
        *output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

bool ServerHarness::createAdmin()
{
    QByteArray output;
    const int code
        = runOnce({u"--db"_s, databasePath(), u"--create-admin"_s, QString::fromLatin1(AdminName)},
                  &output, QByteArray(AdminPassword) + '\n');
    if (code != 0)
        qWarning("--create-admin failed (%d): %s", code, output.constData());
    return code == 0;
}

bool ServerHarness::start(const QStringList &extraArgs, const QProcessEnvironment &extraEnv)
{
    if (!m_adminCreated && !(m_adminCreated = createAdmin()))
        return false;
    m_process = std::make_unique<QProcess>();
    QProcessEnvironment env = baseEnvironment();
    for (const QString &key : extraEnv.keys())
        env.insert(key, extraEnv.value(key));
    m_process->setProcessEnvironment(env);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments{u"--listen"_s,
                          u"127.0.0.1:0"_s,
                          u"--db"_s,
                          databasePath(),
                          u"--upstream-base-url"_s,
                          m_upstream.baseUrl().toString(),
                          u"--upstream-model"_s,
                          u"fake-model"_s,
                          u"--registration"_s,
                          u"open"_s,
                          u"--min-interval"_s,
                          u"0"_s};
    arguments += extraArgs;
    // Only what this process writes: an earlier run's "listening on" line names an old port.
    const qsizetype logStart = m_log.size();
    m_process->start(executable(), arguments);
    if (!m_process->waitForStarted())
        return false;
    static const QRegularExpression listening(u"listening on https?://[^:]+:(\\d+)"_s);
    const bool up = QTest::qWaitFor(
        [this, logStart] {
            m_log += m_process->readAll();
            const auto match = listening.match(QString::fromUtf8(m_log.mid(logStart)));
            if (match.hasMatch())
                m_port = quint16(match.captured(1).toUInt());
            return match.hasMatch() || m_process->state() == QProcess::NotRunning;
        },
        20000);
    if (!up || m_process->state() != QProcess::Running) {
        qWarning("confab-server did not start: %s", m_log.constData());
        return false;
    }
    return true;
}

int ServerHarness::stop(int timeoutMs)
{
    if (!isRunning())
        return m_process ? m_process->exitCode() : -1;
#ifdef Q_OS_UNIX
    ::kill(pid_t(m_process->processId()), SIGTERM);
#else
    m_process->terminate();
#endif
    const bool exited
        = QTest::qWaitFor([this] { return m_process->state() == QProcess::NotRunning; }, timeoutMs);
    m_log += m_process->readAll();
    if (!exited) {
        killHard();
        return -1;
    }
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void ServerHarness::killHard()
{
    m_process->kill();
    m_process->waitForFinished(10000);
    m_log += m_process->readAll();
}

bool ServerHarness::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QUrl ServerHarness::url(const QString &pathAndQuery) const
{
    return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(pathAndQuery));
}

QByteArray ServerHarness::log()
{
    if (m_process)
        m_log += m_process->readAll();
    return m_log;
}

HttpResult ServerHarness::request(const QByteArray &method, const QString &path,
                                  const QByteArray &body, const QString &token,
                                  const QList<std::pair<QByteArray, QByteArray>> &headers,
                                  int timeoutMs)
{
    QNetworkRequest request(url(path));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, timeoutMs + 1000))
        qWarning("%s %s: no answer in time", method.constData(), qPrintable(path));
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    reply->abort();
    reply->deleteLater();
    return result;
}

HttpResult ServerHarness::get(const QString &path, const QString &token)
{
    return request("GET", path, {}, token);
}

HttpResult ServerHarness::post(const QString &path, const QJsonObject &body, const QString &token)
{
    return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), token);
}

HttpResult ServerHarness::patch(const QString &path, const QJsonObject &body, const QString &token)
{
    return request("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact), token);
}

HttpResult ServerHarness::put(const QString &path, const QJsonObject &body, const QString &token)
{
    return request("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact), token);
}

HttpResult ServerHarness::del(const QString &path, const QString &token)
{
    return request("DELETE", path, {}, token);
}

SignedIn ServerHarness::login(const QString &username, const QString &password)
{
    const HttpResult reply
        = post(u"/api/v1/auth/login"_s, {{u"username"_s, username}, {u"password"_s, password}});
    if (reply.status != 200) {
        qWarning("login %s: %d %s", qPrintable(username), reply.status, reply.body.constData());
        return {};
    }
    const QJsonObject json = reply.json();
    return {json.value("access_token"_L1).toString(), json.value("refresh_token"_L1).toString(),
            json.value("user"_L1).toObject().value("id"_L1).toString()};
}

SignedIn ServerHarness::loginAdmin()
{
    // Reused while valid: each login ends the admin's previous session.
    if (m_admin.accessToken.isEmpty()
        || get(u"/api/v1/users/me"_s, m_admin.accessToken).status != 200)
        m_admin = login(QString::fromLatin1(AdminName), QString::fromLatin1(AdminPassword));
    return m_admin;
}

SignedIn ServerHarness::createUserAndLogin(const QString &username)
{
    const SignedIn admin = loginAdmin();
    const HttpResult created
        = post(u"/api/v1/admin/users"_s,
               {{u"username"_s, username}, {u"password"_s, QString::fromLatin1(UserPassword)}},
               admin.accessToken);
    if (created.status != 201)
        qWarning("create %s: %d %s", qPrintable(username), created.status,
                 created.body.constData());
    return login(username, QString::fromLatin1(UserPassword));
}

QString ServerHarness::createConversation(const QString &token, const QJsonObject &fields)
{
    const HttpResult reply = post(u"/api/v1/conversations"_s, fields, token);
    if (reply.status != 201)
        qWarning("create conversation: %d %s", reply.status, reply.body.constData());
    return reply.json().value("id"_L1).toString();
}

QString ServerHarness::createApiToken(const QString &token, const QString &name)
{
    const HttpResult reply = post(u"/api/v1/users/me/tokens"_s, {{u"name"_s, name}}, token);
    return reply.json().value("token"_L1).toString();
}

} // namespace confab::testing
