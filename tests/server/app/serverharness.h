#pragma once

#include "fakeupstream.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

// Black-box tests of confab-server: the real executable on a free loopback port, its SQLite
// file in a temporary directory, and a FakeUpstream (real HTTP on loopback, in this process)
// as its OpenAI-compatible upstream. Requests go over real sockets.

namespace confab::testing {

struct HttpResult
{
    int status = 0; // 0: no HTTP answer (connection refused, reset, timeout)
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;

    QJsonObject json() const;
    QByteArray header(QByteArrayView name) const;
    // The error code of an {"error":{"code"}} body.
    QString errorCode() const;
};

struct SignedIn
{
    QString accessToken;
    QString refreshToken;
    QString userId;
};

class ServerHarness final
{
public:
    static constexpr auto AdminName = "admin";
    static constexpr auto AdminPassword = "Admin-Test-Passw0rd!";
    static constexpr auto UpstreamKey = "sk-upstream-SECRET-4f9a2b7c1d0e";
    static constexpr auto UserPassword = "User-Test-Passw0rd!";

    ServerHarness();
    ~ServerHarness();

    // Starts the fake upstream (once) and the server with these extra flags (besides
    // --listen, --db, --upstream-base-url, --upstream-model and --registration open). The
    // first start creates the admin. The throttle is off unless extraArgs sets it.
    bool start(const QStringList &extraArgs = {}, const QProcessEnvironment &extraEnv = {});
    // SIGTERM and wait for the exit; the exit code, or -1 when it had to be killed.
    int stop(int timeoutMs = 15000);
    void killHard(); // SIGKILL: a crash or power cut
    bool isRunning() const;

    FakeUpstream &upstream() { return m_upstream; }
    QString databasePath() const;
    QUrl url(const QString &pathAndQuery) const;
    quint16 port() const { return m_port; }
    // Everything the server wrote to stderr and stdout so far.
    QByteArray log();

    HttpResult request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                       const QString &token = {},
                       const QList<std::pair<QByteArray, QByteArray>> &headers = {},
                       int timeoutMs = 20000);
    HttpResult get(const QString &path, const QString &token = {});
    HttpResult post(const QString &path, const QJsonObject &body, const QString &token = {});
    HttpResult patch(const QString &path, const QJsonObject &body, const QString &token = {});
    HttpResult put(const QString &path, const QJsonObject &body, const QString &token = {});
    HttpResult del(const QString &path, const QString &token = {});

    SignedIn login(const QString &username, const QString &password);
    // The admin's session, signed in once and reused while it stays valid.
    SignedIn loginAdmin();
    // Creates an active user through the admin API and signs in as them.
    SignedIn createUserAndLogin(const QString &username);
    // A conversation of the signed-in user; its id.
    QString createConversation(const QString &token, const QJsonObject &fields = {});
    // A personal API token (cfb_...) for the /v1 gateway.
    QString createApiToken(const QString &token, const QString &name = QStringLiteral("test"));

    // Runs confab-server with these arguments to completion (no server started): for the
    // command line's own behaviour. Returns the exit code; output gets stdout+stderr.
    static int runOnce(const QStringList &arguments, QByteArray *output,
                       const QByteArray &input = {}, const QProcessEnvironment &env = {});
    static QString executable();
    static QProcessEnvironment baseEnvironment();

private:
    bool createAdmin();

    QTemporaryDir m_dir;
    FakeUpstream m_upstream;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
    quint16 m_port = 0;
    bool m_adminCreated = false;
    SignedIn m_admin;
    QNetworkAccessManager m_network;
};

} // namespace confab::testing
