// Resident memory of the desktop app with ten tabs open of 500 messages each (target: <= 150
// MB). The conversations (mixed Chinese and English, answers with lists, code and tables) are
// prepared first; then a fresh process (this program again, with --child), so nothing of the
// preparation stays resident, builds the app as Application does, opens the ten tabs one by
// one, and in each scrolls to the top (which loads every page, as a user reading back to the
// start does) and back to the bottom, painting as it goes. VmRSS comes from /proc/self/status.
// Runs under QT_QPA_PLATFORM=offscreen unless another platform is set. Prints figures;
// asserts nothing.

#include "api/provider.h"
#include "chat/chattab.h"
#include "chat/localchatservice.h"
#include "chat/messagedelegate.h"
#include "chat/messagelistmodel.h"
#include "chat/messageview.h"
#include "corpusgenerator.h"
#include "mainwindow/conversationlistmodel.h"
#include "mainwindow/conversationsidebar.h"
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

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <malloc.h>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

constexpr int TabCount = 10;
constexpr int MessagesEach = 500;
constexpr double TargetMb = 150;

// Lines of /proc/self/status, in MB.
struct Memory
{
    double rss = 0;
    double anon = 0;
    double file = 0;
    double peak = 0;

    static Memory now()
    {
        QFile status(u"/proc/self/status"_s);
        Memory memory;
        if (!status.open(QIODevice::ReadOnly))
            return memory;
        const auto value = [](const QByteArray &line) {
            return line.mid(line.indexOf(':') + 1).trimmed().split(' ').constFirst().toDouble()
                / 1024;
        };
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                memory.rss = value(line);
            else if (line.startsWith("RssAnon:"))
                memory.anon = value(line);
            else if (line.startsWith("RssFile:"))
                memory.file = value(line);
            else if (line.startsWith("VmHWM:"))
                memory.peak = value(line);
        }
        return memory;
    }
};

void report(const char *what, const Memory &memory)
{
    std::printf("%-46s RSS %7.1f MB  (anonymous %6.1f, files %5.1f)\n", what, memory.rss,
                memory.anon, memory.file);
    std::fflush(stdout);
}

// ---------------------------------------------------------------------------------------------
// The child: the app with its ten tabs.

// Lets queued work (pages, deferred layouts) run, then paints the view as the screen would.
void settle(MessageView *view)
{
    QApplication::processEvents();
    view->flushPendingChanges();
    view->viewport()->repaint();
}

bool waitIdle(const MessageListModel &model)
{
    return QTest::qWaitFor([&] { return model.isLoaded() && !model.isLoading(); }, 30000);
}

// What a user reading the whole conversation does: up to the first message, which loads the
// older pages as the top comes near, then back down to the newest.
bool readThrough(MessageView *view, MessageListModel &model)
{
    QScrollBar *bar = view->verticalScrollBar();
    while (model.canFetchOlder()) {
        if (bar->value() == 0)
            bar->setValue(1); // valueChanged only fires on a change
        bar->setValue(0);
        if (!waitIdle(model))
            return false;
        settle(view);
    }
    bar->setValue(0);
    settle(view);
    view->scrollToBottom();
    settle(view);
    return true;
}

int runChild(int argc, char **argv)
{
    const Memory atMain = Memory::now();
    const QString directory = QString::fromLocal8Bit(argv[2]);
    const QList<qint64> ids = [&] {
        QList<qint64> parsed;
        for (const QString &id : QString::fromLocal8Bit(argv[3]).split(u','))
            parsed.append(id.toLongLong());
        return parsed;
    }();

    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Confab"_s);
    QApplication::setApplicationName(u"Confab"_s);
    QStandardPaths::setTestModeEnabled(true);
    Settings settings(QDir(directory).filePath(u"confab.ini"_s));
    LanguageSwitcher language;
    language.apply(settings.language());
    Theme::apply(app, settings.theme());
    const Memory afterApplication = Memory::now();

    auto database = Database::open(QDir(directory).filePath(u"confab.db"_s));
    if (!database) {
        std::fprintf(stderr, "open: %s\n", qPrintable(database.error().toString()));
        return 1;
    }
    const auto user = UserStore(**database).ensureLocalUser();
    if (!user)
        return 1;
    auto provider = std::make_unique<Provider>(ProviderConfig{});
    LocalChatService::Options options;
    options.builtInPresets = PresetCatalog::builtIns(language.locale());
    auto service = std::make_unique<LocalChatService>(**database, *provider, user->id, options);
    MemorySecretStore secrets;
    auto window = std::make_unique<MainWindow>(*service, settings, secrets);
    window->restoreSession(); // no session: the default size
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get())
        || !QTest::qWaitFor([&] { return window->sidebar()->model()->rowCount() == ids.size(); },
                            30000))
        return 1;
    QApplication::processEvents();
    window->repaint();
    const Memory baseline = Memory::now();

    report("main() entered", atMain);
    report("QApplication, settings, theme", afterApplication);
    report("baseline: window shown, no tabs", baseline);

    QList<ChatTab *> tabs;
    Memory previous = baseline;
    for (const qint64 id : ids) {
        ChatTab *tab = window->openConversation(id);
        tabs.append(tab);
        if (!waitIdle(*tab->model()))
            return 1;
        settle(tab->view());
        if (!readThrough(tab->view(), *tab->model()))
            return 1;
        const Memory memory = Memory::now();
        std::printf("tab %2lld: %3d rows, %3d documents, %3d layouts cached  RSS %7.1f MB  "
                    "(+%.1f MB)\n",
                    qlonglong(tabs.size()), tab->model()->rowCount(),
                    tab->view()->messageDelegate()->cachedDocumentCount(),
                    tab->view()->messageDelegate()->cachedLayoutCount(), memory.rss,
                    memory.rss - previous.rss);
        std::fflush(stdout);
        previous = memory;
    }

    const Memory all = Memory::now();
    qint64 characters = 0;
    for (ChatTab *tab : std::as_const(tabs)) {
        for (int row = 0; row < tab->model()->rowCount(); ++row)
            characters += tab->model()->messageAt(row)->content.size();
    }
    std::printf("\n");
    report("10 tabs open, each read through", all);
    std::printf("  peak (VmHWM) %.1f MB; per tab %.1f MB on average; message text held by the "
                "models %.1f MB (UTF-16)\n",
                all.peak, (all.rss - baseline.rss) / TabCount, double(characters) * 2 / 1e6);

    // Where the increment goes: memory free but not returned to the system, then the
    // delegates' caches of rendered documents and layouts, then the tabs themselves.
    malloc_trim(0);
    const Memory trimmed = Memory::now();
    for (ChatTab *tab : std::as_const(tabs))
        tab->view()->messageDelegate()->clearAll();
    malloc_trim(0);
    const Memory withoutCaches = Memory::now();
    while (window->tabs()->count() > 0)
        window->closeTab(0);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    malloc_trim(0);
    const Memory closed = Memory::now();
    report("  after malloc_trim", trimmed);
    report("  and the delegates' caches cleared", withoutCaches);
    report("  and the tabs closed", closed);

    std::printf("\n10 tabs of %d messages: RSS %.1f MB (target <= %.0f MB: %s)\n", MessagesEach,
                all.rss, TargetMb, all.rss <= TargetMb ? "met" : "MISSED");
    std::fflush(stdout);
    return 0;
}

// ---------------------------------------------------------------------------------------------
// The parent: prepares the data and starts the child.

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

int runParent(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir directory;
    if (!directory.isValid())
        return 1;
    // To look into the child (heaptrack): CONFAB_BENCH_KEEP=1 keeps the data and prints the
    // child's command line.
    const bool keep = qEnvironmentVariableIsSet("CONFAB_BENCH_KEEP");
    directory.setAutoRemove(!keep);

    QStringList ids;
    qint64 characters = 0;
    {
        auto opened = Database::open(directory.filePath(u"confab.db"_s));
        if (!opened) {
            std::fprintf(stderr, "open: %s\n", qPrintable(opened.error().toString()));
            return 1;
        }
        Database &database = **opened;
        const qint64 userId = UserStore(database).ensureLocalUser()->id;
        bench::CorpusGenerator generator;
        QRandomGenerator random(42);
        ImportWriter writer(database);
        if (!writer.begin())
            return 1;
        for (int c = 0; c < TabCount; ++c) {
            bench::GeneratedConversation generated
                = generator.conversations(1, MessagesEach).takeFirst();
            for (qsizetype m = 0; m < generated.messages.size(); ++m) {
                Message &message = generated.messages[m];
                message.createdAt = message.createdAt.addDays(c);
                if (message.role == Role::Assistant && random.bounded(5) == 0)
                    message.content = withTable(message.content, generator, random);
                characters += message.content.size();
            }
            auto added = writer.add(userId, generated.conversation, generated.messages);
            if (!added) {
                std::fprintf(stderr, "import: %s\n", qPrintable(added.error().toString()));
                return 1;
            }
            ids.append(QString::number(added->id));
        }
        if (!writer.commit())
            return 1;
        // A user's history is indexed; the child should not be indexing while measured.
        if (!SearchIndexer(database).indexAll())
            return 1;
    }

    std::printf("bench_memory: %d conversations of %d messages (%.1f M characters), platform %s, "
                "Qt %s\n\n",
                TabCount, MessagesEach, double(characters) / 1e6,
                qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")
                    ? "offscreen"
                    : qgetenv("QT_QPA_PLATFORM").constData(),
                qVersion());
    std::fflush(stdout);

    if (keep) {
        std::printf("child: %s --child %s %s\n\n",
                    qPrintable(QCoreApplication::applicationFilePath()),
                    qPrintable(directory.path()), qPrintable(ids.join(u',')));
    }
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.start(QCoreApplication::applicationFilePath(),
                {u"--child"_s, directory.path(), ids.join(u',')});
    if (!child.waitForFinished(600000) || child.exitStatus() != QProcess::NormalExit
        || child.exitCode() != 0) {
        std::fprintf(stderr, "the child failed\n");
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 4 && qstrcmp(argv[1], "--child") == 0)
        return runChild(argc, argv);
    return runParent(argc, argv);
}
