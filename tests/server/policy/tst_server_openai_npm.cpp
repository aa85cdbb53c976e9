// The official `openai` npm client against a real confab-server's /v1 gateway: runs
// tests/server/e2e/openai_e2e.mjs with node. Its node_modules come from the source folder when
// someone installed them there, else from `npm ci` into a copy in the build folder, done here.
// Missing node or npm is a failure, not a skip: the gateway's compatibility is the point.

#include "policysupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

namespace {

const QString SourceDir = QStringLiteral(CONFAB_E2E_SOURCE_DIR);
const QString WorkDir = QStringLiteral(CONFAB_E2E_WORK_DIR);
const QStringList Files{u"package.json"_s, u"package-lock.json"_s, u"openai_e2e.mjs"_s};

bool hasClient(const QString &dir)
{
    return QFile::exists(dir + u"/node_modules/openai/package.json"_s);
}

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// Copies the e2e files into WorkDir; true when package-lock.json changed (or was new).
bool refreshCopy(QString *error)
{
    if (!QDir().mkpath(WorkDir)) {
        *error = u"cannot create "_s + WorkDir;
        return false;
    }
    bool lockChanged = false;
    for (const QString &name : Files) {
        const QString from = SourceDir + u'/' + name;
        const QString to = WorkDir + u'/' + name;
        if (fileHash(from) == fileHash(to))
            continue;
        lockChanged |= name == "package-lock.json"_L1;
        QFile::remove(to);
        if (!QFile::copy(from, to)) {
            *error = u"cannot copy %1 to %2"_s.arg(from, to);
            return false;
        }
    }
    return lockChanged;
}

} // namespace

class TestServerOpenAiNpm : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_node = QStandardPaths::findExecutable(u"node"_s);
        m_npm = QStandardPaths::findExecutable(u"npm"_s);
        if (m_node.isEmpty() || m_npm.isEmpty())
            QFAIL("node and npm are needed for the openai client end-to-end test: install the "
                  "nodejs and npm packages (./dev installs them when missing).");
        QVERIFY2(QFile::exists(SourceDir + u"/openai_e2e.mjs"_s), qPrintable(SourceDir));
    }

    void shouldInstallTheClient()
    {
        // Set CONFAB_E2E_FORCE_COPY=1 to use (and test) the build folder's copy.
        if (hasClient(SourceDir) && qEnvironmentVariableIsEmpty("CONFAB_E2E_FORCE_COPY")) {
            m_dir = SourceDir;
            return;
        }
        QString error;
        const bool lockChanged = refreshCopy(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_dir = WorkDir;
        if (hasClient(WorkDir) && !lockChanged)
            return;
        QProcess npm;
        npm.setWorkingDirectory(WorkDir);
        npm.setProcessChannelMode(QProcess::MergedChannels);
        npm.start(m_npm, {u"ci"_s, u"--no-audit"_s, u"--no-fund"_s});
        QVERIFY2(npm.waitForStarted(), qPrintable(m_npm));
        const bool finished = npm.waitForFinished(240000);
        const QByteArray output = npm.readAll();
        if (!finished)
            npm.kill();
        QVERIFY2(finished && npm.exitStatus() == QProcess::NormalExit && npm.exitCode() == 0,
                 qPrintable(u"npm ci in %1 failed: %2"_s.arg(WorkDir, QString::fromUtf8(output))));
        QVERIFY2(hasClient(WorkDir), output.constData());
    }

    void shouldServeTheOfficialClient()
    {
        QVERIFY(!m_dir.isEmpty());
        ServerHarness server;
        QVERIFY(server.start());
        const SignedIn user = server.createUserAndLogin(u"npm-user"_s);
        const QString token = server.createApiToken(user.accessToken, u"openai-npm"_s);
        QVERIFY(token.startsWith("cfb_"_L1));

        QProcess node;
        node.setWorkingDirectory(m_dir);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"CONFAB_BASE_URL"_s, server.url(u"/v1"_s).toString());
        env.insert(u"CONFAB_API_TOKEN"_s, token);
        node.setProcessEnvironment(env);
        node.start(m_node, {u"openai_e2e.mjs"_s});
        QVERIFY2(node.waitForStarted(), qPrintable(m_node));
        // The fake upstream answers from this event loop: wait without blocking it.
        const bool finished
            = QTest::qWaitFor([&node] { return node.state() == QProcess::NotRunning; }, 45000);
        if (!finished) {
            node.kill();
            node.waitForFinished();
        }
        const QByteArray out = node.readAllStandardOutput();
        const QByteArray err = node.readAllStandardError();
        QVERIFY2(finished && node.exitStatus() == QProcess::NormalExit && node.exitCode() == 0,
                 qPrintable(u"node openai_e2e.mjs (exit %1):\n%2\n%3\nserver log:\n%4"_s
                                .arg(node.exitCode())
                                .arg(QString::fromUtf8(out), QString::fromUtf8(err),
                                     QString::fromUtf8(server.log().right(4000)))));
        QVERIFY2(out.contains("\"streamed\""), out.constData());

        // Both completions went upstream and were counted for the token's owner.
        const QJsonObject today = server.get(u"/api/v1/users/me/usage"_s, user.accessToken)
                                      .json()
                                      .value("today"_L1)
                                      .toObject();
        QCOMPARE(today.value("requests"_L1).toInt(), 2);
        QCOMPARE(server.stop(), 0);
    }

private:
    QString m_node;
    QString m_npm;
    QString m_dir;
};

QTEST_GUILESS_MAIN(TestServerOpenAiNpm)
#include "tst_server_openai_npm.moc"
