// confab-server: the headless multi-user backend (DESIGN.md section 4).

#include "app/server.h"
#include "common/logging.h"
#include "ops/serverconfig.h"
#include "ops/serverlog.h"
#include "storage/database.h"
#include "storage/user.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <cstdio>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {

constexpr int ExitUsage = 2;

int fail(const QString &message, int code = 1)
{
    std::fprintf(stderr, "confab-server: %s\n", qUtf8Printable(message));
    return code;
}

#ifdef Q_OS_UNIX
// SIGTERM / SIGINT reach the event loop through a socket pair: a signal handler may only
// write(), and the loop then drains streams and exits cleanly.
int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[0], &byte, 1);
}

void watchStopSignals(QObject *context, std::function<void()> stop)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[1], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context,
                     [notifier, stop = std::move(stop)] {
                         char byte;
                         [[maybe_unused]] const auto read = ::read(signalPipe[1], &byte, 1);
                         notifier->setEnabled(false);
                         stop();
                     });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}
#else
void watchStopSignals(QObject *, std::function<void()>) {}
#endif

// --create-admin: the password is one line on stdin, so it never shows in `ps`.
int createAdmin(const confab::ServerConfig &config)
{
    QTextStream in(stdin);
    const QString password = in.readLine();
    auto database = confab::Database::open(config.databasePath, {});
    if (!database)
        return fail(database.error().toString());
    const auto admin = confab::Server::createAdmin(**database, config.createAdmin, password);
    if (!admin)
        return fail(u"cannot create %1: %2"_s.arg(config.createAdmin, admin.error().message));
    std::fprintf(stdout, "created admin %s (id %lld)\n", qUtf8Printable(admin->username),
                 static_cast<long long>(admin->id));
    return 0;
}

// --backup FILE: an online copy of the database, safe while a server is using it.
int backup(const confab::ServerConfig &config)
{
    confab::DatabaseOptions options;
    options.recoverInterrupted = false; // a running server may be streaming right now
    auto database = confab::Database::open(config.databasePath, options);
    if (!database)
        return fail(database.error().toString());
    if (auto copied = (*database)->backupTo(config.backupPath); !copied)
        return fail(copied.error().message);
    auto copy = confab::Database::open(config.backupPath, options);
    if (!copy || !(*copy)->integrityCheck())
        return fail(u"the copy in %1 did not pass its integrity check"_s.arg(config.backupPath));
    std::fprintf(stdout, "backed up %s to %s\n", qUtf8Printable(config.databasePath),
                 qUtf8Printable(config.backupPath));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
#ifdef __GLIBC__
    // glibc hands the top of the heap back to the OS whenever 128 KiB are free there, and the
    // next request faults those pages in again: under streaming that was nearly a third of
    // the event loop's CPU (bench_server: 240 -> 170 ms/s). Keeping up to 8 MiB costs little and
    // saves it.
    mallopt(M_TRIM_THRESHOLD, 8 << 20);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"confab-server"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));

    const auto outcome = confab::parseServerConfig(QCoreApplication::arguments(),
                                                   QProcessEnvironment::systemEnvironment());
    if (!outcome)
        return fail(outcome.error().message, ExitUsage);
    if (outcome->kind != confab::ConfigOutcome::Run) {
        std::fprintf(stdout, "%s\n", qUtf8Printable(outcome->text));
        return 0;
    }
    const confab::ServerConfig &config = outcome->config;
    confab::installServerLog(config.logFormat,
                             confab::logLevelFromName(config.logLevel).value_or(QtInfoMsg));
    confab::addLogSecret(config.upstreamApiKey);
    confab::addLogSecret(QString::fromLatin1(config.jwtSecret));

    if (!config.createAdmin.isEmpty())
        return createAdmin(config);
    if (!config.backupPath.isEmpty())
        return backup(config);

    auto server = confab::Server::create(config);
    if (!server)
        return fail(server.error().message);
    if (const auto port = (*server)->start(); !port)
        return fail(port.error().message);

    watchStopSignals(&app, [&server] {
        qCInfo(lcHttp) << "stopping: draining answers in flight";
        (*server)->shutdown([] { QCoreApplication::quit(); });
    });
    return QCoreApplication::exec();
}
