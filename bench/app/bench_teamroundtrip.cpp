// Team mode against direct mode: the time from pressing Send to the first delta painted in the
// conversation, with the same fast fake upstream behind both. Direct: ChatTab over
// LocalChatService (SQLite file + Provider). Team: ChatTab over RemoteChatService, through a
// confab-server process on loopback (its own SQLite file, synchronous=FULL) over the WebSocket.
//
// Prints the median and the 90th percentile of each, and what team mode adds. Target: <= 5 ms.

#include "api/provider.h"
#include "chat/chattab.h"
#include "chat/composer.h"
#include "chat/localchatservice.h"
#include "chat/messagelistmodel.h"
#include "chat/messageview.h"
#include "fakeupstream.h"
#include "remote/remotechatservice.h"
#include "remote/serverclient.h"
#include "settings/settings.h"
#include "storage/database.h"
#include "storage/userstore.h"
#include "timingstats.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

constexpr int Warmup = 5;
constexpr int Rounds = 40;
constexpr auto AdminPassword = "Bench-Admin-Passw0rd!";

// Notes the first paint of the view after the answer's first delta arrived.
class FirstDeltaPaint final : public QObject
{
public:
    bool deltaSeen = false;
    qint64 deltaAtNs = -1;
    qint64 paintedAtNs = -1;
    QElapsedTimer *clock = nullptr;

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && deltaSeen && paintedAtNs < 0)
            paintedAtNs = clock->nsecsElapsed();
        return QObject::eventFilter(watched, event);
    }
};

// Milliseconds from Send, per round: to the first delta's signal, and to its paint.
struct RoundTimes
{
    QList<double> arrived;
    QList<double> painted;
};

// Rounds of Send -> first delta painted in one tab.
RoundTimes measure(ChatService &service, qint64 conversationId, FakeUpstream &upstream,
                   Settings &settings)
{
    ChatTab tab(service, settings, conversationId);
    tab.resize(900, 700);
    tab.show();
    if (!QTest::qWaitForWindowExposed(&tab))
        qFatal("the tab did not show");
    QElapsedTimer clock;
    FirstDeltaPaint probe;
    probe.clock = &clock;
    tab.view()->viewport()->installEventFilter(&probe);
    QObject::connect(&service, &ChatService::messageDelta, &probe,
                     [&probe](qint64 conversation, qint64, const QString &, const QString &) {
                         Q_UNUSED(conversation);
                         if (!probe.deltaSeen)
                             probe.deltaAtNs = probe.clock->nsecsElapsed();
                         probe.deltaSeen = true;
                     });
    RoundTimes times;
    for (int round = 0; round < Warmup + Rounds; ++round) {
        upstream.enqueue(FakeResponse::chatStream({u"First"_s, u" and second"_s}));
        probe.deltaSeen = false;
        probe.paintedAtNs = -1;
        tab.composer()->setText(u"Round %1: say something short."_s.arg(round));
        clock.start();
        if (!tab.composer()->submit())
            qFatal("Send was refused");
        if (!QTest::qWaitFor([&] { return probe.paintedAtNs >= 0; }, 10000))
            qFatal("no delta was painted");
        if (round >= Warmup) {
            times.arrived.append(double(probe.deltaAtNs) / 1e6);
            times.painted.append(double(probe.paintedAtNs) / 1e6);
        }
        if (!QTest::qWaitFor([&] { return !service.isStreaming(conversationId); }, 10000))
            qFatal("the answer did not finish");
    }
    return times;
}

qint64 newConversation(ChatService &service)
{
    std::optional<Result<Conversation>> created;
    service.createConversation({}, qApp, [&](Result<Conversation> result) { created = result; });
    if (!QTest::qWaitFor([&] { return created.has_value(); }) || !*created)
        qFatal("cannot create a conversation");
    return (*created)->id;
}

RoundTimes direct(FakeUpstream &upstream, const QString &directory, Settings &settings)
{
    auto database = Database::open(directory + u"/direct.db"_s);
    if (!database)
        qFatal("cannot open the database");
    const auto user = UserStore(**database).ensureLocalUser();
    ProviderConfig config;
    config.baseUrl = upstream.baseUrl();
    config.defaultModel = u"fake-model"_s;
    Provider provider(config);
    LocalChatService::Options options;
    options.generateTitles = false;
    LocalChatService service(**database, provider, user->id, options);
    const qint64 conversationId = newConversation(service);
    return measure(service, conversationId, upstream, settings);
}

RoundTimes team(FakeUpstream &upstream, const QString &directory, Settings &settings)
{
    const QString db = directory + u"/team.db"_s;
    QProcess admin;
    admin.start(QStringLiteral(CONFAB_SERVER_EXE),
                {u"--db"_s, db, u"--create-admin"_s, u"admin"_s});
    admin.write(AdminPassword);
    admin.write("\n");
    admin.closeWriteChannel();
    if (!admin.waitForFinished(60000) || admin.exitCode() != 0)
        qFatal("--create-admin failed: %s", admin.readAll().constData());

    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral(CONFAB_SERVER_EXE),
                 {u"--listen"_s, u"127.0.0.1:0"_s, u"--db"_s, db, u"--upstream-base-url"_s,
                  upstream.baseUrl().toString(), u"--upstream-model"_s, u"fake-model"_s,
                  u"--min-interval"_s, u"0"_s});
    static const QRegularExpression listening(u"listening on http://[^:]+:(\\d+)"_s);
    QByteArray log;
    QRegularExpressionMatch match;
    if (!QTest::qWaitFor(
            [&] {
                log += server.readAll();
                match = listening.match(QString::fromUtf8(log));
                return match.hasMatch();
            },
            30000))
        qFatal("the server did not start (%s): %s", qPrintable(server.errorString()),
               log.constData());

    ServerClient client(QUrl(u"http://127.0.0.1:"_s + match.captured(1)));
    bool signedIn = false;
    client.login(u"admin"_s, QString::fromLatin1(AdminPassword), qApp,
                 [&](Result<ServerUser> user) {
                     if (!user)
                         qFatal("login failed: %s", qPrintable(user.error().toString()));
                     signedIn = true;
                 });
    if (!QTest::qWaitFor([&] { return signedIn; }, 30000))
        qFatal("the login did not answer");
    RemoteChatService service(client);
    if (!QTest::qWaitFor([&] { return service.socket().state() == ServerSocket::State::Online; },
                         10000))
        qFatal("the WebSocket did not open");
    const qint64 conversationId = newConversation(service);
    auto times = measure(service, conversationId, upstream, settings);
    server.terminate();
    server.waitForFinished(15000);
    return times;
}

bench::TimingStats print(const char *name, const RoundTimes &rounds)
{
    const auto arrived = bench::TimingStats::of(rounds.arrived);
    const auto painted = bench::TimingStats::of(rounds.painted);
    std::printf("%-8s painted median %6.2f ms  p90 %6.2f ms   (delta arrived: median %6.2f ms)\n",
                name, painted.median, painted.p90, arrived.median);
    return painted;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"confab.*.info=false"_s);
    QTemporaryDir directory;
    FakeUpstream upstream;
    if (!directory.isValid() || !upstream.listen())
        qFatal("cannot set up");
    Settings settings(directory.filePath(u"bench.ini"_s));

    std::printf("Send -> first delta painted (fast fake upstream, %d rounds after %d warm-up)\n",
                Rounds, Warmup);
    const auto directStats = print("direct", direct(upstream, directory.path(), settings));
    const auto teamStats = print("team", team(upstream, directory.path(), settings));
    std::printf("team mode adds: median %+.2f ms, p90 %+.2f ms (target: <= 5 ms)\n",
                teamStats.median - directStats.median, teamStats.p90 - directStats.p90);
    return 0;
}
