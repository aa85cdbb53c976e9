// Start-up of the desktop app with a realistic history (target: the main window painted with
// its conversation in <= 300 ms): 200 stored conversations of 20-50 messages, four tabs open
// from the last session. The preparation is not timed. Each run is a fresh process (this
// program again, with --child), timed from its exec, so loading the libraries counts, up to
// the first frame in which the current tab's conversation view painted its messages. The child does
// what Application::start() and openMainWindow() do, minus what waits on the outside world (the
// keychain over D-Bus, the provider's model list: a MemorySecretStore stands in, no request goes
// out). Runs under QT_QPA_PLATFORM=offscreen unless another platform is set. Prints figures;
// asserts nothing.

#include "api/provider.h"
#include "chat/chattab.h"
#include "chat/localchatservice.h"
#include "chat/messagelistmodel.h"
#include "chat/messageview.h"
#include "corpusgenerator.h"
#include "mainwindow/languageswitcher.h"
#include "mainwindow/mainwindow.h"
#include "presets/presetcatalog.h"
#include "secrets/memorysecretstore.h"
#include "settings/settings.h"
#include "settings/theme.h"
#include "storage/database.h"
#include "storage/importwriter.h"
#include "storage/searchindexer.h"
#include "storage/userstore.h"
#include "timingstats.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QWindow>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

constexpr int ConversationCount = 200;
constexpr int Runs = 7;
constexpr int RestoredTabs = 4;
constexpr double TargetMs = 300;

qint64 nowNs()
{
    // steady_clock is CLOCK_MONOTONIC, the same clock in the parent and in the child.
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The moments of one start, in ns of the monotonic clock; -1 when not reached.
enum Mark {
    Exec,
    MainEntered,
    ApplicationBuilt,
    SettingsApplied,
    DatabaseOpened,
    ServiceCreated,
    WindowConstructed,
    WindowShown,
    WindowPainted,
    TabsOpened,
    PageLoaded,
    ViewPainted,
    FrameDone,
    MarkCount
};

const char *const markNames[MarkCount] = {
    "exec",
    "main() entered (loading libraries)",
    "QApplication constructed",
    "settings, language, theme",
    "database open, local user",
    "Provider + LocalChatService",
    "MainWindow constructed",
    "restoreSession() + show()",
    "first paint in the window",
    "restored tabs open",
    "current tab's first page loaded",
    "conversation view painted",
    "that frame flushed",
};

// ---------------------------------------------------------------------------------------------
// The child: one start of the app.

// Notes paints as they finish: notify() returns after the receiver handled the event.
class ProbeApplication final : public QApplication
{
public:
    using QApplication::QApplication;

    MainWindow *window = nullptr;
    qint64 *marks = nullptr;
    int viewRows = 0;

    bool notify(QObject *receiver, QEvent *event) override
    {
        const QEvent::Type type = event->type();
        const bool handled = QApplication::notify(receiver, event);
        if (!window)
            return handled;
        if (type == QEvent::Paint || type == QEvent::UpdateRequest || type == QEvent::Expose)
            observe(receiver, type);
        // Cheap enough to look at after every event.
        if (marks[TabsOpened] < 0 && window->tabs()->count() == RestoredTabs)
            marks[TabsOpened] = nowNs();
        if (marks[PageLoaded] < 0 && window->tabs()->currentWidget()) {
            const auto *tab = qobject_cast<const ChatTab *>(window->tabs()->currentWidget());
            if (tab && tab->model()->isLoaded())
                marks[PageLoaded] = nowNs();
        }
        return handled;
    }

private:
    void observe(QObject *receiver, QEvent::Type type)
    {
        if (type == QEvent::Paint && receiver->isWidgetType()) {
            auto *widget = static_cast<QWidget *>(receiver);
            if (widget->window() != window)
                return;
            if (marks[WindowPainted] < 0)
                marks[WindowPainted] = nowNs();
            // The current tab's view is the only visible one; it counts once it shows messages.
            auto *view = qobject_cast<MessageView *>(widget->parentWidget());
            if (marks[ViewPainted] < 0 && view && widget == view->viewport() && view->isVisible()
                && view->model() && view->model()->rowCount() > 0) {
                marks[ViewPainted] = nowNs();
                viewRows = view->model()->rowCount();
            }
            return;
        }
        // The repaint manager paints the window's widgets and flushes them within one event
        // to the window's QWindow (expose, paint, update request) or an update request to the
        // top-level widget.
        const bool frame = receiver == window->windowHandle()
            || (receiver == window && type == QEvent::UpdateRequest);
        if (frame && marks[ViewPainted] >= 0 && marks[FrameDone] < 0) {
            marks[FrameDone] = nowNs();
            QCoreApplication::quit();
        }
    }
};

int runChild(int argc, char **argv, qint64 mainEntered)
{
    qint64 marks[MarkCount];
    std::fill(std::begin(marks), std::end(marks), -1);
    marks[MainEntered] = mainEntered;
    const QString directory = QString::fromLocal8Bit(argv[2]);

    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    ProbeApplication app(argc, argv);
    QApplication::setOrganizationName(u"Confab"_s);
    QApplication::setApplicationName(u"Confab"_s);
    QStandardPaths::setTestModeEnabled(true);
    marks[ApplicationBuilt] = nowNs();

    // As Application::start().
    Settings settings(QDir(directory).filePath(u"run.ini"_s));
    LanguageSwitcher language;
    language.apply(settings.language());
    Theme::apply(app, settings.theme());
    marks[SettingsApplied] = nowNs();

    auto database = Database::open(QDir(directory).filePath(u"confab.db"_s));
    if (!database) {
        std::fprintf(stderr, "open: %s\n", qPrintable(database.error().toString()));
        return 1;
    }
    const auto user = UserStore(**database).ensureLocalUser();
    if (!user)
        return 1;
    marks[DatabaseOpened] = nowNs();

    // As Application::openMainWindow().
    auto provider = std::make_unique<Provider>(ProviderConfig{});
    LocalChatService::Options options;
    options.builtInPresets = PresetCatalog::builtIns(language.locale());
    auto service = std::make_unique<LocalChatService>(**database, *provider, user->id, options);
    MemorySecretStore secrets;
    marks[ServiceCreated] = nowNs();

    auto window = std::make_unique<MainWindow>(*service, settings, secrets);
    marks[WindowConstructed] = nowNs();
    app.marks = marks;
    app.window = window.get();
    window->restoreSession();
    window->show();
    marks[WindowShown] = nowNs();

    QTimer::singleShot(30000, &app, &QCoreApplication::quit);
    QApplication::exec();
    if (marks[FrameDone] < 0) {
        std::fprintf(stderr, "the conversation view never painted\n");
        return 1;
    }

    std::printf("figures");
    for (const qint64 mark : marks)
        std::printf(" %lld", mark);
    std::printf(" rows %d tabs %d\n", app.viewRows, window->tabs()->count());
    std::fflush(stdout);
    app.window = nullptr;
    return 0;
}

// ---------------------------------------------------------------------------------------------
// The parent: prepares the data, starts the children, reports.

// An assistant's answer with a markdown table after it, as answers comparing things have.
QString withTable(const QString &answer, bench::CorpusGenerator &generator,
                  QRandomGenerator &random)
{
    const bool chinese = random.bounded(2) == 0;
    QString table = u"\n\n| 项目 Item | Option | 说明 Notes |\n|---|---|---|\n"_s;
    const int rows = 2 + random.bounded(5);
    for (int row = 0; row < rows; ++row) {
        table += u"| "_s + generator.userMessage(chinese).left(4 + random.bounded(10)) + u" | "_s
            + generator.userMessage(!chinese).left(6 + random.bounded(12)) + u" | "_s
            + generator.userMessage(chinese).left(10 + random.bounded(30)) + u" |\n"_s;
    }
    return answer + table;
}

struct Prepared
{
    QList<qint64> ids;
    qint64 messages = 0;
    qint64 characters = 0;
};

std::optional<Prepared> prepare(const QString &directory)
{
    auto opened = Database::open(QDir(directory).filePath(u"confab.db"_s));
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", qPrintable(opened.error().toString()));
        return std::nullopt;
    }
    Database &database = **opened;
    const qint64 userId = UserStore(database).ensureLocalUser()->id;

    bench::CorpusGenerator generator;
    QRandomGenerator random(42);
    Prepared prepared;
    ImportWriter writer(database);
    if (!writer.begin())
        return std::nullopt;
    for (int c = 0; c < ConversationCount; ++c) {
        bench::GeneratedConversation generated
            = generator.conversations(1, 20 + int(random.bounded(31))).takeFirst();
        // Conversations a few hours apart over two months, so the sidebar's order is real.
        const qint64 shift = qint64(c) * 7 * 3600;
        for (qsizetype m = 0; m < generated.messages.size(); ++m) {
            Message &message = generated.messages[m];
            message.createdAt = message.createdAt.addSecs(shift);
            if (message.role == Role::Assistant && random.bounded(5) == 0)
                message.content = withTable(message.content, generator, random);
            prepared.characters += message.content.size();
        }
        generated.conversation.archived = c % 20 == 19;
        auto added = writer.add(userId, generated.conversation, generated.messages);
        if (!added) {
            std::fprintf(stderr, "import: %s\n", qPrintable(added.error().toString()));
            return std::nullopt;
        }
        if (!added->archived)
            prepared.ids.append(added->id);
        prepared.messages += generated.messages.size();
    }
    if (!writer.commit())
        return std::nullopt;
    // A user's history is indexed for search; an unindexed backlog would be indexed during
    // the timed start instead.
    if (auto indexed = SearchIndexer(database).indexAll(); !indexed) {
        std::fprintf(stderr, "index: %s\n", qPrintable(indexed.error().toString()));
        return std::nullopt;
    }
    return prepared;
}

// Runs one child; fills ms (each mark in ms since the exec) and what the view showed.
bool runOnce(const QString &directory, QList<double> &ms, QString &detail)
{
    // Every run starts from the same session: the app rewrites its settings while it runs.
    QFile::remove(QDir(directory).filePath(u"run.ini"_s));
    if (!QFile::copy(QDir(directory).filePath(u"session.ini"_s),
                     QDir(directory).filePath(u"run.ini"_s)))
        return false;

    // The clock starts in the forked child right before exec, as when a launcher starts the
    // app: forking this (larger) process is the harness's cost, not the app's.
    int spawnPipe[2];
    if (pipe2(spawnPipe, O_CLOEXEC) != 0)
        return false;
    QProcess child;
    child.setChildProcessModifier([writeEnd = spawnPipe[1]] {
        const qint64 now = nowNs();
        [[maybe_unused]] const auto written = write(writeEnd, &now, sizeof now);
    });
    child.start(QCoreApplication::applicationFilePath(), {u"--child"_s, directory});
    const bool finished = child.waitForFinished(60000);
    qint64 execAt = -1;
    close(spawnPipe[1]);
    if (read(spawnPipe[0], &execAt, sizeof execAt) != sizeof execAt)
        execAt = -1;
    close(spawnPipe[0]);

    // The offscreen platform's notes on every start are noise here.
    for (const QByteArray &line : child.readAllStandardError().split('\n')) {
        if (!line.isEmpty() && !line.contains("propagateSizeHints")
            && !line.contains("XDG_RUNTIME_DIR"))
            std::fprintf(stderr, "%s\n", line.constData());
    }
    if (!finished || child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0
        || execAt < 0) {
        std::fprintf(stderr, "the child failed: %s, exit code %d\n",
                     qPrintable(child.errorString()), child.exitCode());
        return false;
    }
    const QStringList words
        = QString::fromLocal8Bit(child.readAllStandardOutput()).split(u' ', Qt::SkipEmptyParts);
    if (words.size() < MarkCount + 5 || words.first() != u"figures"_s)
        return false;
    ms.clear();
    for (int i = 0; i < MarkCount; ++i) {
        const qint64 mark = i == Exec ? execAt : words.at(1 + i).toLongLong();
        ms.append(mark < 0 ? -1 : double(mark - execAt) / 1e6);
    }
    detail = u"%1 rows in the view, %2 tabs"_s.arg(words.at(MarkCount + 2),
                                                   words.at(MarkCount + 4).trimmed());
    return true;
}

int runParent(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir directory;
    if (!directory.isValid())
        return 1;
    // To profile one start: CONFAB_BENCH_KEEP=1 keeps the data, then
    // `perf record bench_startup --child DIR` (copy DIR/session.ini to DIR/run.ini first).
    if (qEnvironmentVariableIsSet("CONFAB_BENCH_KEEP")) {
        directory.setAutoRemove(false);
        std::printf("data kept in %s\n", qPrintable(directory.path()));
    }
    const auto prepared = prepare(directory.path());
    if (!prepared)
        return 1;

    {
        // The last session: four tabs open, the second one current.
        Settings session(directory.filePath(u"session.ini"_s));
        Connection connection;
        connection.id = u"3f1c2a4e-0000-4000-8000-000000000001"_s;
        connection.name = u"OpenAI"_s;
        connection.providerId = u"openai"_s;
        connection.baseUrl = QUrl(u"https://api.openai.com/v1"_s);
        connection.model = u"gpt-4o-mini"_s;
        session.setConnections({connection});
        session.setActiveConnectionId(connection.id);
        // The newest conversations, as a user's open tabs usually are.
        const QList<qint64> open = prepared->ids.mid(prepared->ids.size() - RestoredTabs);
        session.setOpenConversations(open, open.at(1));
    }

    std::printf("bench_startup: %d conversations (%lld messages, %.1f M characters), %d tabs "
                "restored, platform %s, Qt %s; %d runs after one warm-up, each a new process\n",
                ConversationCount, qlonglong(prepared->messages),
                double(prepared->characters) / 1e6, RestoredTabs,
                qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")
                    ? "offscreen"
                    : qgetenv("QT_QPA_PLATFORM").constData(),
                qVersion(), Runs);
    std::fflush(stdout);

    QList<double> ms;
    QString detail;
    // The first start after the preparation pays for what is not yet in the page cache.
    if (!runOnce(directory.path(), ms, detail))
        return 1;
    std::printf("warm-up start: %.1f ms to the conversation painted\n", ms.at(FrameDone));

    QList<QList<double>> samples(MarkCount);
    for (int run = 0; run < Runs; ++run) {
        if (!runOnce(directory.path(), ms, detail))
            return 1;
        for (int i = 0; i < MarkCount; ++i)
            samples[i].append(ms.at(i));
    }

    // In the order they happen (the window may paint before or after the tabs open).
    QList<std::pair<bench::TimingStats, int>> rows;
    for (int i = MainEntered; i < MarkCount; ++i)
        rows.append({bench::TimingStats::of(samples.at(i)), i});
    std::sort(rows.begin(), rows.end(),
              [](const auto &a, const auto &b) { return a.first.median < b.first.median; });
    std::printf("\n%-36s %9s %9s %9s   %s\n", "ms since exec", "median", "min", "max",
                "step (median)");
    double previous = 0;
    for (const auto &[stats, mark] : std::as_const(rows)) {
        std::printf("%-36s %9.1f %9.1f %9.1f   %+.1f\n", markNames[mark], stats.median, stats.min,
                    stats.max, stats.median - previous);
        previous = stats.median;
    }
    const bench::TimingStats total = bench::TimingStats::of(samples.at(FrameDone));
    std::printf("\nstart to the conversation painted: median %.1f ms, min %.1f ms, max %.1f ms "
                "(%s; target <= %.0f ms: %s)\n",
                total.median, total.min, total.max, qPrintable(detail), TargetMs,
                total.median <= TargetMs ? "met" : "MISSED");
    std::fflush(stdout);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const qint64 mainEntered = nowNs();
    if (argc == 3 && qstrcmp(argv[1], "--child") == 0)
        return runChild(argc, argv, mainEntered);
    return runParent(argc, argv);
}
