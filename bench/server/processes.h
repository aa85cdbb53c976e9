#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// The processes bench_server runs and stops: confab-fake-upstream, confab-server and Portkey's
// gateway. Each dies with the benchmark (PR_SET_PDEATHSIG) even when it crashes.

namespace confab::bench {

// Resident memory and other counters of a running process, from /proc.
struct ProcessCounters
{
    double rssMiB = 0;
    int threads = 0;
    int fds = 0;
    double cpuSeconds = 0; // user + system
    // The main (event-loop) thread alone, from /proc/PID/task/PID/schedstat: time on a CPU
    // and time runnable but waiting for one (a starved event loop shows here).
    double mainCpuMs = 0;
    double mainWaitMs = 0;
};
ProcessCounters countersOf(qint64 pid);

class Child
{
public:
    Child() = default;
    ~Child();
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;

    // Starts program; the environment adds env (KEY=VALUE) to the benchmark's own.
    bool start(const QString &program, const QStringList &arguments, const QStringList &env = {},
               const QString &workingDirectory = {});
    // Runs the event loop until the output (stdout and stderr together) matches pattern
    // (a regular expression with one capture) and returns the capture, or empty on timeout.
    QString waitForOutput(const QString &pattern, int timeoutMs);
    // SIGTERM, then SIGKILL after timeoutMs.
    void stop(int timeoutMs = 5000);
    bool isRunning() const;
    qint64 pid() const;
    QByteArray output(); // what it printed so far (kept up to 64 KiB)

private:
    void drain();

    std::unique_ptr<QProcess> m_process;
    QByteArray m_output;
};

// Sets up and runs a confab-server on a fresh database in dir.
class ConfabServer
{
public:
    static constexpr const char *UpstreamKey = "sk-bench-upstream";

    bool start(const QString &executable, const QString &dataDir, quint16 upstreamPort,
               const QStringList &extraArgs, const QStringList &extraEnv = {});
    quint16 port() const { return m_port; }
    Child &process() { return m_child; }

private:
    Child m_child;
    quint16 m_port = 0;
};

// A free loopback port (bound and released; the caller uses it at once).
quint16 freePort();

// Raises this process's open-file limit to its hard limit (children inherit it); returns it.
long raiseFileLimit();

} // namespace confab::bench
