#include "processes.h"

#include "httpclient.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTcpServer>

#include <csignal>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace confab::bench {

ProcessCounters countersOf(qint64 pid)
{
    ProcessCounters counters;
    if (pid <= 0)
        return counters;
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                counters.rssMiB = line.sliced(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
            else if (line.startsWith("Threads:"))
                counters.threads = line.sliced(8).trimmed().toInt();
        }
    }
    counters.fds = int(QDir(QStringLiteral("/proc/%1/fd").arg(pid))
                           .entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)
                           .size());
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        // Fields after the command name, which is in parentheses and may hold spaces.
        const QList<QByteArray> fields = text.sliced(text.lastIndexOf(')') + 2).split(' ');
        const double ticks = double(sysconf(_SC_CLK_TCK));
        counters.cpuSeconds = (fields.value(11).toDouble() + fields.value(12).toDouble()) / ticks;
    }
    QFile schedstat(QStringLiteral("/proc/%1/task/%1/schedstat").arg(pid));
    if (schedstat.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> fields = schedstat.readAll().trimmed().split(' ');
        counters.mainCpuMs = fields.value(0).toDouble() / 1e6;
        counters.mainWaitMs = fields.value(1).toDouble() / 1e6;
    }
    return counters;
}

Child::~Child()
{
    stop(3000);
}

bool Child::start(const QString &program, const QStringList &arguments, const QStringList &env,
                  const QString &workingDirectory)
{
    m_process = std::make_unique<QProcess>();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &pair : env)
        environment.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    m_process->setProcessEnvironment(environment);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    if (!workingDirectory.isEmpty())
        m_process->setWorkingDirectory(workingDirectory);
    // Stop with the benchmark, whatever happens to it. Its own process group lets stop()
    // reach what a wrapper (--server heaptrack, strace -f) started too.
    m_process->setChildProcessModifier([] {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    QObject::connect(m_process.get(), &QProcess::readyRead, m_process.get(), [this] { drain(); });
    m_process->start(program, arguments);
    return m_process->waitForStarted(10000);
}

void Child::drain()
{
    if (!m_process)
        return;
    m_output += m_process->readAll();
    if (m_output.size() > 64 * 1024)
        m_output.remove(0, m_output.size() - 64 * 1024);
}

QString Child::waitForOutput(const QString &pattern, int timeoutMs)
{
    const QRegularExpression expression(pattern);
    QString found;
    waitUntil(
        [&] {
            drain();
            const auto match = expression.match(QString::fromUtf8(m_output));
            if (match.hasMatch())
                found = match.captured(1);
            return match.hasMatch() || !isRunning();
        },
        timeoutMs);
    return found;
}

void Child::stop(int timeoutMs)
{
    if (!isRunning())
        return;
    const pid_t group = pid_t(m_process->processId());
    ::kill(-group, SIGTERM);
    if (!m_process->waitForFinished(timeoutMs)) {
        ::kill(-group, SIGKILL);
        m_process->waitForFinished(3000);
    }
    drain();
}

bool Child::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 Child::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QByteArray Child::output()
{
    drain();
    return m_output;
}

bool ConfabServer::start(const QString &executable, const QString &dataDir, quint16 upstreamPort,
                         const QStringList &extraArgs, const QStringList &extraEnv)
{
    const QString db = QDir(dataDir).filePath(QStringLiteral("confab.db"));
    QStringList env{QStringLiteral("CONFAB_UPSTREAM_API_KEY=") + QLatin1String(UpstreamKey),
                    QStringLiteral("CONFAB_JWT_SECRET=bench-jwt-secret-of-more-than-32-bytes-"
                                   "0123456789")};
    QStringList arguments{QStringLiteral("--listen"),
                          QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--db"),
                          db,
                          QStringLiteral("--upstream-base-url"),
                          QStringLiteral("http://127.0.0.1:%1/v1").arg(upstreamPort),
                          QStringLiteral("--upstream-model"),
                          QStringLiteral("fake-model"),
                          QStringLiteral("--registration"),
                          QStringLiteral("open"),
                          QStringLiteral("--min-interval"),
                          QStringLiteral("0")};
    arguments += extraArgs;
    env += extraEnv;
    if (!m_child.start(executable, arguments, env))
        return false;
    m_port = quint16(
        m_child.waitForOutput(QStringLiteral("listening on http://[^:]+:(\\d+)"), 20000).toUInt());
    return m_port != 0;
}

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

long raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    return long(limit.rlim_cur);
}

} // namespace confab::bench
