// bench_server: confab-server under load on loopback, against the same scripted upstream
// (confab-fake-upstream) reached directly and through Portkey's open-source gateway.
// It starts the three processes itself, drives them with raw keep-alive HTTP/1.1
// connections (TCP_NODELAY, connections opened in a backlog-safe ramp), stops them, and
// prints one table of figures with their targets:
//   1. time to first token added by confab-server, 1 stream and 100 paced streams
//   2. non-streaming gateway requests/s at concurrency 10 (confab, upstream, Portkey)
//   3. 1,000 concurrent streams held, confab-server's resident memory idle and at 1,000
//   4. GET /api/v1/conversations/{id}/messages (50 per page) requests/s at concurrency 64
//   5. logins/s while 100 streams run, and what they do to the streams' inter-token gaps
// Every loop is bounded in requests and time. Portkey needs `npm ci` in bench/server/portkey
// (done here when node_modules is missing); without node or npm its rows read n/a.

#include "httpclient.h"
#include "loadgen.h"
#include "processes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <optional>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace confab::bench;

namespace {

constexpr const char *Password = "bench-Password-4711-quiet";
constexpr const char *ConfabUpstreamKey = ConfabServer::UpstreamKey;

struct Options
{
    int sequential = 200; // 1-stream TTFT requests per target
    int paced = 100;      // concurrent paced streams
    int pacedRounds = 3;  // streams per slot, one after another
    int hold = 1000;      // streams held at once
    int measureMs = 5000; // request/s windows
    bool portkey = true;
    bool verbose = false;
};

// ---- Output

struct Row
{
    QString section;
    QString figure;
    QString value;
    QString target;
    QString verdict; // PASS, MISS or empty
};
QList<Row> g_rows;

void note(const char *format, auto... args)
{
    std::fprintf(stderr, "  .. ");
    std::fprintf(stderr, format, args...);
    std::fprintf(stderr, "\n");
    std::fflush(stderr);
}

QString num(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

void row(const QString &section, const QString &figure, const QString &value,
         const QString &target = {}, std::optional<bool> pass = std::nullopt)
{
    g_rows.append(
        {section, figure, value, target, pass ? (*pass ? u"PASS"_s : u"MISS"_s) : QString()});
}

void printTable()
{
    qsizetype widths[4] = {7, 6, 5, 6};
    for (const Row &r : std::as_const(g_rows)) {
        widths[0] = std::max(widths[0], r.section.size());
        widths[1] = std::max(widths[1], r.figure.size());
        widths[2] = std::max(widths[2], r.value.size());
        widths[3] = std::max(widths[3], r.target.size());
    }
    const auto line = [&](const QString &a, const QString &b, const QString &c, const QString &d,
                          const QString &e) {
        std::printf("%s  %s  %s  %s  %s\n", qPrintable(a.leftJustified(widths[0])),
                    qPrintable(b.leftJustified(widths[1])), qPrintable(c.rightJustified(widths[2])),
                    qPrintable(d.leftJustified(widths[3])), qPrintable(e));
    };
    line(u"section"_s, u"figure"_s, u"value"_s, u"target"_s, u"result"_s);
    line(QString(widths[0], u'-'), QString(widths[1], u'-'), QString(widths[2], u'-'),
         QString(widths[3], u'-'), u"------"_s);
    QString last;
    for (const Row &r : std::as_const(g_rows)) {
        line(r.section == last ? QString() : r.section, r.figure, r.value, r.target, r.verdict);
        last = r.section;
    }
    std::fflush(stdout);
}

// ---- Plain requests for the setup

HttpResponse call(HttpConnection &connection, HttpRequest request, int timeoutMs = 30000)
{
    std::optional<HttpResponse> result;
    connection.send(request, {}, [&](const HttpResponse &r) { result = r; });
    if (!waitUntil([&] { return result.has_value(); }, timeoutMs)) {
        connection.abort();
        HttpResponse timedOut;
        timedOut.error = u"timed out"_s;
        return timedOut;
    }
    return *result;
}

HttpRequest jsonRequest(const QByteArray &method, const QByteArray &target,
                        const QJsonObject &body = {}, const QByteArray &bearer = {})
{
    HttpRequest request;
    request.method = method;
    request.target = target;
    if (method != "GET") {
        request.headers.emplaceBack(QByteArray("Content-Type"), "application/json");
        request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    if (!bearer.isEmpty())
        request.headers.emplaceBack(QByteArray("Authorization"), "Bearer " + bearer);
    return request;
}

QJsonObject jsonOf(const HttpResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

[[noreturn]] void fail(const QString &what, const HttpResponse &response = {})
{
    std::fprintf(stderr, "bench_server: %s (HTTP %d %s %s)\n", qPrintable(what), response.status,
                 qPrintable(response.error), response.body.left(300).constData());
    std::exit(1);
}

// ---- The fake upstream's script: each streaming phase queues exactly what it will use.

void enqueue(quint16 fakePort, const QString &spec, int count)
{
    HttpConnection connection(fakePort);
    QByteArray lines;
    for (int i = 0; i < count; ++i)
        lines += spec.toUtf8() + '\n';
    HttpRequest request;
    request.method = "POST";
    request.target = "/__fake/enqueue";
    request.body = lines;
    const HttpResponse response = call(connection, request);
    if (!response.ok())
        fail(u"could not script the fake upstream"_s, response);
}

QJsonObject fakeStats(quint16 fakePort)
{
    HttpConnection connection(fakePort);
    return jsonOf(call(connection, jsonRequest("GET", "/__fake/stats")));
}

void clearFakeLog(quint16 fakePort)
{
    HttpConnection connection(fakePort);
    call(connection, jsonRequest("DELETE", "/__fake/requests"));
}

// ---- Targets

enum class Kind { Direct, Confab, Portkey };

struct Account
{
    QString name;
    QByteArray token;
    QList<QByteArray> conversations;
};

struct World
{
    quint16 fakePort = 0;
    quint16 confabPort = 0;
    quint16 portkeyPort = 0;   // 0: not running
    QList<Account> streamers;  // conversations for streams, slot i -> streamers[i % n]
    Account historian;         // one conversation: the 1-stream TTFT turns and the history
    QList<Account> loginUsers; // logged in over and over in section 5
    QByteArray apiToken;       // the gateway
};

QByteArray chatBody(bool stream)
{
    return QJsonDocument(QJsonObject{{u"model"_s, u"fake-model"_s},
                                     {u"stream"_s, stream},
                                     {u"messages"_s,
                                      QJsonArray{QJsonObject{{u"role"_s, u"user"_s},
                                                             {u"content"_s, u"Hello there"_s}}}}})
        .toJson(QJsonDocument::Compact);
}

HttpRequest upstreamChat(const World &world, Kind kind, bool stream, const QByteArray &bearer)
{
    HttpRequest request;
    request.method = "POST";
    request.target = "/v1/chat/completions";
    request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + bearer}};
    if (kind == Kind::Portkey) {
        request.headers.emplaceBack(QByteArray("x-portkey-provider"), "openai");
        request.headers.emplaceBack(QByteArray("x-portkey-custom-host"),
                                    "http://127.0.0.1:" + QByteArray::number(world.fakePort)
                                        + "/v1");
    }
    request.body = chatBody(stream);
    return request;
}

HttpRequest confabTurn(const Account &account, const QByteArray &conversation)
{
    HttpRequest request = jsonRequest("POST", "/api/v1/conversations/" + conversation + "/messages",
                                      {{u"content"_s, u"Hello there"_s}}, account.token);
    request.headers.emplaceBack(QByteArray("Accept"), "text/event-stream");
    return request;
}

quint16 portOf(const World &world, Kind kind)
{
    return kind == Kind::Direct ? world.fakePort
                                : (kind == Kind::Confab ? world.confabPort : world.portkeyPort);
}

QString nameOf(Kind kind)
{
    return kind == Kind::Direct ? u"upstream"_s
                                : (kind == Kind::Confab ? u"confab"_s : u"portkey"_s);
}

// Streams for slot i go to conversation i of the streamers (round-robin over the users).
StreamRun::Plan streamPlan(const World &world, Kind kind, int lanes, int rounds, double staggerMs,
                           const Account *single = nullptr)
{
    StreamRun::Plan plan;
    plan.port = portOf(world, kind);
    plan.lanes = lanes;
    plan.rounds = rounds;
    plan.staggerMs = staggerMs;
    plan.confabEvents = kind == Kind::Confab;
    plan.request = [&world, kind, single](int slot, int) {
        if (kind != Kind::Confab)
            return upstreamChat(world, kind, true, ConfabUpstreamKey);
        if (single)
            return confabTurn(*single, single->conversations.first());
        const Account &account = world.streamers.at(slot % world.streamers.size());
        return confabTurn(account, account.conversations.at(slot / world.streamers.size()));
    };
    return plan;
}

StreamStats runStreams(const World &world, Kind kind, const QString &spec, StreamRun::Plan plan,
                       int timeoutMs, const std::function<void(StreamRun &)> &tick = {})
{
    enqueue(world.fakePort, spec, plan.lanes * plan.rounds);
    StreamRun run(std::move(plan));
    run.start();
    QTimer ticker;
    if (tick) {
        QObject::connect(&ticker, &QTimer::timeout, &run, [&] { tick(run); });
        ticker.start(200);
    }
    if (!waitUntil([&] { return run.isFinished(); }, timeoutMs)) {
        note("%s: streams still open after %d s; dropping them", qPrintable(nameOf(kind)),
             timeoutMs / 1000);
        run.abortAll();
        waitUntil([&] { return run.isFinished(); }, 5000);
    }
    ticker.stop();
    const int left = fakeStats(world.fakePort).value("queued"_L1).toInt();
    if (left > 0)
        note("%d scripted answers left unused (requests that failed before the upstream)", left);
    for (const QString &error : run.stats().errors)
        note("%s stream error: %s", qPrintable(nameOf(kind)), qPrintable(error));
    return run.stats();
}

RequestStats runRequests(RequestRun::Plan plan)
{
    const int timeoutMs = plan.warmupMs + plan.measureMs + 60000;
    RequestRun run(std::move(plan));
    run.start();
    waitUntil([&] { return run.isFinished(); }, timeoutMs);
    for (const QString &error : run.stats().errors)
        note("request error: %s", qPrintable(error));
    return run.stats();
}

// ---- Setup: users, conversations, tokens

void setUp(World &world, int streamers, int conversationsEach)
{
    HttpConnection admin(world.confabPort);
    const QString password = QString::fromLatin1(Password);
    for (int i = 0; i < streamers; ++i)
        world.streamers.append({u"bench-stream-%1"_s.arg(i), {}, {}});
    world.historian = {u"bench-history"_s, {}, {}};
    for (int i = 0; i < 8; ++i)
        world.loginUsers.append({u"bench-login-%1"_s.arg(i), {}, {}});
    Account gateway{u"bench-gateway"_s, {}, {}};
    QList<Account *> everyone;
    for (Account &a : world.streamers)
        everyone.append(&a);
    everyone.append(&world.historian);
    everyone.append(&gateway);
    for (Account &a : world.loginUsers)
        everyone.append(&a);

    for (Account *account : std::as_const(everyone)) {
        const HttpResponse r
            = call(admin,
                   jsonRequest("POST", "/api/v1/auth/register",
                               {{u"username"_s, account->name}, {u"password"_s, password}}));
        if (r.status != 201 && r.status != 200)
            fail(u"could not register %1"_s.arg(account->name), r);
        const HttpResponse in
            = call(admin,
                   jsonRequest("POST", "/api/v1/auth/login",
                               {{u"username"_s, account->name}, {u"password"_s, password}}));
        if (in.status != 200)
            fail(u"could not log in %1"_s.arg(account->name), in);
        account->token = jsonOf(in).value("access_token"_L1).toString().toLatin1();
    }

    const HttpResponse token = call(
        admin,
        jsonRequest("POST", "/api/v1/users/me/tokens", {{u"name"_s, u"bench"_s}}, gateway.token));
    world.apiToken = jsonOf(token).value("token"_L1).toString().toLatin1();
    if (world.apiToken.isEmpty())
        fail(u"could not make an API token"_s, token);

    // Conversations, over several connections at once.
    const int total = streamers * conversationsEach + 1;
    QList<QByteArray> ids(total);
    RequestRun::Plan plan;
    plan.port = world.confabPort;
    plan.concurrency = 8;
    plan.warmupMs = 0;
    plan.measureMs = 300000;
    plan.maxRequests = total;
    const auto ownerOf = [&](int index) -> Account & {
        return index < total - 1 ? world.streamers[index % streamers] : world.historian;
    };
    plan.request = [&](int, int index) {
        return jsonRequest("POST", "/api/v1/conversations", {{u"title"_s, u"bench"_s}},
                           ownerOf(index).token);
    };
    plan.onResponse = [&](int index, const HttpResponse &r) {
        ids[index] = jsonOf(r).value("id"_L1).toString().toLatin1();
    };
    const RequestStats created = runRequests(plan);
    if (created.ok != total || ids.contains(QByteArray()))
        fail(u"could not create the conversations (%1 of %2)"_s.arg(created.ok).arg(total));
    for (int index = 0; index < total; ++index)
        ownerOf(index).conversations.append(ids.at(index));
}

// A conversation of `messages` messages: turns answered by the fake's default short stream.
void seedHistory(const World &world, int messages)
{
    HttpConnection connection(world.confabPort);
    const QByteArray &conversation = world.historian.conversations.first();
    const QByteArray target = "/api/v1/conversations/" + conversation + "/messages";
    int count = jsonOf(call(connection,
                            jsonRequest("GET", "/api/v1/conversations/" + conversation, {},
                                        world.historian.token)))
                    .value("message_count"_L1)
                    .toInt();
    while (count < messages) {
        const HttpResponse r = call(
            connection,
            jsonRequest("POST", target, {{u"content"_s, u"Hello there"_s}}, world.historian.token));
        if (!r.ok())
            fail(u"could not seed the history"_s, r);
        count += 2;
    }
}

// ---- Portkey

QString findProgram(const QString &name)
{
    return QStandardPaths::findExecutable(name);
}

bool startPortkey(Child &child, quint16 &port)
{
    const QString dir = QStringLiteral(CONFAB_BENCH_PORTKEY_DIR);
    const QString script = dir + u"/node_modules/@portkey-ai/gateway/build/start-server.js"_s;
    const QString node = findProgram(u"node"_s);
    if (node.isEmpty()) {
        note("Portkey: node not found; its rows read n/a");
        return false;
    }
    if (!QFileInfo::exists(script)) {
        const QString npm = findProgram(u"npm"_s);
        note("Portkey: installing it (npm ci --prefix %s)", qPrintable(dir));
        QProcess install;
        install.setProcessChannelMode(QProcess::MergedChannels);
        install.start(npm, {u"ci"_s, u"--prefix"_s, dir, u"--no-audit"_s, u"--no-fund"_s});
        if (npm.isEmpty() || !install.waitForFinished(300000) || install.exitCode() != 0
            || !QFileInfo::exists(script)) {
            note("Portkey: npm ci failed; its rows read n/a: %s",
                 install.readAll().right(500).constData());
            return false;
        }
    }
    port = freePort();
    // Production mode: no log UI; --headless: no browser page.
    if (!child.start(node, {script, u"--port=%1"_s.arg(port), u"--headless"_s},
                     {u"NODE_ENV=production"_s}, QFileInfo(script).path())) {
        note("Portkey: node did not start");
        return false;
    }
    child.waitForOutput(u"(Ready) for connections"_s, 30000);
    HttpConnection probe(port);
    const HttpResponse r = call(probe, jsonRequest("GET", "/"), 5000);
    if (r.status != 200) {
        note("Portkey did not answer: %s", child.output().right(500).constData());
        return false;
    }
    return true;
}

// ---- Figures

struct PerTarget
{
    std::optional<StreamStats> direct, confab, portkey;
    std::optional<StreamStats> &of(Kind kind)
    {
        return kind == Kind::Direct ? direct : (kind == Kind::Confab ? confab : portkey);
    }
};

QList<Kind> targets(const World &world)
{
    QList<Kind> kinds{Kind::Direct, Kind::Confab};
    if (world.portkeyPort)
        kinds.append(Kind::Portkey);
    return kinds;
}

QString streamsSummary(const StreamStats &s)
{
    return u"%1 ok, %2 failed"_s.arg(s.ok).arg(s.failed);
}

// What one durable commit costs on the disk under dir: 4 KiB written and fdatasync'ed, as the
// commit of a user's message does before its upstream call. That wait is in confab's TTFT.
QList<double> fdatasyncMs(const QString &dir, int rounds = 200)
{
    QFile file(dir + u"/fdatasync-probe"_s);
    QList<double> samples;
    if (!file.open(QIODevice::ReadWrite | QIODevice::Truncate))
        return samples;
    const QByteArray page(4096, 'x');
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer timer;
        timer.start();
        file.write(page);
        file.flush();
        ::fdatasync(file.handle());
        samples.append(double(timer.nsecsElapsed()) / 1e6);
    }
    file.remove();
    return samples;
}

void sectionTtft(const World &world, const Options &options, const QString &dataDir)
{
    const QString section = u"1 TTFT"_s;
    // One stream at a time: a short answer, so the first token is all that is timed.
    PerTarget seq;
    for (Kind kind : targets(world)) {
        note("1 stream, %d requests: %s", options.sequential, qPrintable(nameOf(kind)));
        seq.of(kind) = runStreams(world, kind, u"tokens:5"_s,
                                  streamPlan(world, kind, 1, options.sequential, 0,
                                             kind == Kind::Confab ? &world.historian : nullptr),
                                  120000);
    }
    const double directP50 = percentile(seq.direct->ttftMs, 50);
    const double confabP50 = percentile(seq.confab->ttftMs, 50);
    for (Kind kind : targets(world)) {
        const StreamStats &s = *seq.of(kind);
        row(section, u"1 stream TTFT p50 / p99, %1 (ms)"_s.arg(nameOf(kind)),
            u"%1 / %2"_s.arg(num(percentile(s.ttftMs, 50), 2), num(percentile(s.ttftMs, 99), 2)),
            streamsSummary(s));
    }
    row(section, u"1 stream TTFT added by confab, p50 (ms)"_s, num(confabP50 - directP50, 2),
        u"<= 1 ms"_s, confabP50 - directP50 <= 1.0 && seq.confab->failed == 0);
    // The same through confab's OpenAI-compatible gateway, which is what Portkey is: no
    // conversation, so no durable commit before the upstream call.
    note("1 stream, %d requests: confab /v1 gateway", options.sequential);
    StreamRun::Plan gatewayPlan = streamPlan(world, Kind::Direct, 1, options.sequential, 0);
    gatewayPlan.port = world.confabPort;
    gatewayPlan.request
        = [&world](int, int) { return upstreamChat(world, Kind::Direct, true, world.apiToken); };
    const StreamStats gateway = runStreams(world, Kind::Confab, u"tokens:5"_s, gatewayPlan, 120000);
    const double gatewayP50 = percentile(gateway.ttftMs, 50);
    row(section, u"1 stream TTFT p50 / p99, confab /v1 gateway (ms)"_s,
        u"%1 / %2"_s.arg(num(gatewayP50, 2), num(percentile(gateway.ttftMs, 99), 2)),
        streamsSummary(gateway));
    row(section, u"1 stream TTFT added by confab's /v1 gateway, p50 (ms)"_s,
        num(gatewayP50 - directP50, 2), u"<= 1 ms"_s,
        gatewayP50 - directP50 <= 1.0 && gateway.failed == 0);
    const QList<double> commits = fdatasyncMs(dataDir);
    row(section, u"one durable commit on this disk: fdatasync p50 / p99 (ms)"_s,
        u"%1 / %2"_s.arg(num(percentile(commits, 50), 2), num(percentile(commits, 99), 2)),
        u"4 KiB in the database's folder"_s);
    if (seq.portkey)
        row(section, u"1 stream TTFT added by portkey, p50 (ms)"_s,
            num(percentile(seq.portkey->ttftMs, 50) - directP50, 2));

    // 100 streams at once, paced tokens; lanes start 10 ms apart and each runs a few streams
    // back to back, so ~100 are always open and they do not all ask in the same millisecond.
    const QString spec = u"tokens:20;interval=50"_s;
    const double stagger = 1000.0 / options.paced;
    PerTarget paced;
    for (Kind kind : targets(world)) {
        note("%d paced streams x %d: %s", options.paced, options.pacedRounds,
             qPrintable(nameOf(kind)));
        paced.of(kind) = runStreams(
            world, kind, spec, streamPlan(world, kind, options.paced, options.pacedRounds, stagger),
            120000);
    }
    const double directP99 = percentile(paced.direct->ttftMs, 99);
    for (Kind kind : targets(world)) {
        const StreamStats &s = *paced.of(kind);
        row(section,
            u"%1 paced streams TTFT p50 / p99, %2 (ms)"_s.arg(options.paced).arg(nameOf(kind)),
            u"%1 / %2"_s.arg(num(percentile(s.ttftMs, 50)), num(percentile(s.ttftMs, 99))),
            streamsSummary(s));
    }
    const double added = percentile(paced.confab->ttftMs, 99) - directP99;
    row(section, u"%1 paced streams TTFT added by confab, p99 (ms)"_s.arg(options.paced),
        num(added), u"<= 20 ms"_s, added <= 20.0 && paced.confab->failed == 0);
    if (paced.portkey)
        row(section, u"%1 paced streams TTFT added by portkey, p99 (ms)"_s.arg(options.paced),
            num(percentile(paced.portkey->ttftMs, 99) - directP99));
    for (Kind kind : targets(world)) {
        const StreamStats &s = *paced.of(kind);
        row(section,
            u"%1 paced streams inter-token gap p50 / p99, %2 (ms)"_s.arg(options.paced)
                .arg(nameOf(kind)),
            u"%1 / %2"_s.arg(num(percentile(s.gapsMs, 50)), num(percentile(s.gapsMs, 99))),
            u"tokens every 50 ms"_s);
    }

    // The same 100 asking in the same millisecond: every user message is committed
    // (synchronous=FULL) before its upstream call, one after another on the event loop.
    PerTarget burst;
    for (Kind kind : {Kind::Direct, Kind::Confab}) {
        note("%d streams sent at once: %s", options.paced, qPrintable(nameOf(kind)));
        burst.of(kind)
            = runStreams(world, kind, spec, streamPlan(world, kind, options.paced, 1, 0), 120000);
    }
    row(section, u"%1 streams sent at once, TTFT p50 / p99, upstream (ms)"_s.arg(options.paced),
        u"%1 / %2"_s.arg(num(percentile(burst.direct->ttftMs, 50)),
                         num(percentile(burst.direct->ttftMs, 99))),
        streamsSummary(*burst.direct));
    row(section, u"%1 streams sent at once, TTFT p50 / p99, confab (ms)"_s.arg(options.paced),
        u"%1 / %2"_s.arg(num(percentile(burst.confab->ttftMs, 50)),
                         num(percentile(burst.confab->ttftMs, 99))),
        streamsSummary(*burst.confab));
}

void sectionGateway(const World &world, const Options &options, Child &confab)
{
    const QString section = u"2 gateway"_s;
    std::optional<double> rate[3];
    for (Kind kind : targets(world)) {
        note("gateway stream:false at concurrency 10: %s", qPrintable(nameOf(kind)));
        clearFakeLog(world.fakePort);
        RequestRun::Plan plan;
        plan.port = portOf(world, kind);
        plan.concurrency = 10;
        plan.measureMs = options.measureMs;
        plan.request = [&world, kind](int, int) {
            return upstreamChat(world, kind, false,
                                kind == Kind::Confab ? world.apiToken
                                                     : QByteArray(ConfabUpstreamKey));
        };
        plan.accept = [](const HttpResponse &r) {
            return r.ok() && r.body.contains("\"chat.completion\"");
        };
        const double cpuBefore = kind == Kind::Confab ? countersOf(confab.pid()).cpuSeconds : 0;
        const RequestStats s = runRequests(plan);
        rate[int(kind)] = s.perSecond();
        QString extra = u"%1 failed; p50 %2 ms, p99 %3 ms"_s.arg(s.failed).arg(
            num(percentile(s.latencyMs, 50), 2), num(percentile(s.latencyMs, 99), 2));
        if (kind == Kind::Confab)
            extra += u"; confab CPU %1 ms/req"_s.arg(
                num((countersOf(confab.pid()).cpuSeconds - cpuBefore) * 1000.0
                        / std::max(1, s.ok + s.failed),
                    2));
        row(section, u"non-streaming requests/s at c=10, %1"_s.arg(nameOf(kind)),
            num(s.perSecond(), 0), extra);
    }
    clearFakeLog(world.fakePort);
    if (rate[int(Kind::Portkey)] && *rate[int(Kind::Portkey)] > 0) {
        const double ratio = *rate[int(Kind::Confab)] / *rate[int(Kind::Portkey)];
        row(section, u"confab / portkey requests/s"_s, num(ratio, 2) + u"x"_s, u">= 3x"_s,
            ratio >= 3.0);
    } else {
        row(section, u"confab / portkey requests/s"_s, u"n/a"_s, u">= 3x"_s);
    }
}

void sectionHistory(const World &world, const Options &options, Child &confab)
{
    const QString section = u"4 history"_s;
    note("seeding 500 messages");
    seedHistory(world, 500);
    note("GET messages, 50 a page, at concurrency 64");
    RequestRun::Plan plan;
    plan.port = world.confabPort;
    plan.concurrency = 64;
    plan.measureMs = options.measureMs;
    const QByteArray target
        = "/api/v1/conversations/" + world.historian.conversations.first() + "/messages?limit=50";
    plan.request = [&](int, int) { return jsonRequest("GET", target, {}, world.historian.token); };
    plan.accept = [](const HttpResponse &r) { return r.ok() && r.body.size() > 1000; };
    const ProcessCounters before = countersOf(confab.pid());
    const RequestStats s = runRequests(plan);
    const ProcessCounters after = countersOf(confab.pid());
    row(section, u"GET 50 messages (of 500), requests/s at c=64"_s, num(s.perSecond(), 0),
        u">= 5000/s"_s, s.perSecond() >= 5000 && s.failed == 0);
    row(section, u"  latency p50 / p99 (ms)"_s,
        u"%1 / %2"_s.arg(num(percentile(s.latencyMs, 50), 2), num(percentile(s.latencyMs, 99), 2)),
        u"%1 failed; confab CPU %2 ms/req, %3 threads"_s.arg(s.failed)
            .arg(num((after.cpuSeconds - before.cpuSeconds) * 1000.0 / std::max(1, s.ok + s.failed),
                     2))
            .arg(after.threads));
}

void sectionLogins(const World &world, const Options &options, Child &confab)
{
    const QString section = u"5 logins"_s;
    const QString spec = u"tokens:20;interval=50"_s;
    const int rounds = options.pacedRounds + 2;
    const auto perSecond = [](const ProcessCounters &a, const ProcessCounters &b, double seconds) {
        return u"cpu %1, waiting for a cpu %2 ms/s"_s.arg(
            num((b.mainCpuMs - a.mainCpuMs) / seconds, 0),
            num((b.mainWaitMs - a.mainWaitMs) / seconds, 0));
    };
    note("%d paced streams without logins", options.paced);
    const ProcessCounters q0 = countersOf(confab.pid());
    const StreamStats quiet = runStreams(
        world, Kind::Confab, spec,
        streamPlan(world, Kind::Confab, options.paced, rounds, 1000.0 / options.paced), 120000);

    note("%d paced streams while 8 users log in over and over", options.paced);
    const ProcessCounters q1 = countersOf(confab.pid());
    RequestRun::Plan plan;
    plan.port = world.confabPort;
    plan.concurrency = int(world.loginUsers.size());
    plan.warmupMs = 0;
    plan.measureMs = 0; // until the streams end
    plan.request = [&world](int connection, int) {
        return jsonRequest("POST", "/api/v1/auth/login",
                           {{u"username"_s, world.loginUsers.at(connection).name},
                            {u"password"_s, QString::fromLatin1(Password)}});
    };
    RequestRun logins(plan);
    logins.start();
    const StreamStats busy = runStreams(
        world, Kind::Confab, spec,
        streamPlan(world, Kind::Confab, options.paced, rounds, 1000.0 / options.paced), 120000);
    const ProcessCounters b1 = countersOf(confab.pid());
    logins.stop();
    waitUntil([&] { return logins.isFinished(); }, 30000);
    const RequestStats &l = logins.stats();
    for (const QString &error : l.errors)
        note("login error: %s", qPrintable(error));

    row(section, u"logins/s (8 users in parallel) during %1 streams"_s.arg(options.paced),
        num(l.perSecond(), 1),
        u"p50 %1 ms, p99 %2 ms, %3 failed"_s
            .arg(num(percentile(l.latencyMs, 50), 0), num(percentile(l.latencyMs, 99), 0))
            .arg(l.failed));
    const double gapQuiet = percentile(quiet.gapsMs, 99);
    const double gapBusy = percentile(busy.gapsMs, 99);
    row(section, u"streams' inter-token gap p99, without logins (ms)"_s, num(gapQuiet),
        streamsSummary(quiet));
    row(section, u"streams' inter-token gap p99, with logins (ms)"_s, num(gapBusy),
        u"<= without + 10 ms"_s, gapBusy <= gapQuiet + 10.0 && busy.failed == 0);
    row(section, u"confab event-loop thread without logins"_s, u""_s,
        perSecond(q0, q1, quiet.seconds));
    row(section, u"confab event-loop thread with logins"_s, u""_s, perSecond(q1, b1, busy.seconds));
    row(section, u"streams' TTFT p99 without / with logins (ms)"_s,
        u"%1 / %2"_s.arg(num(percentile(quiet.ttftMs, 99)), num(percentile(busy.ttftMs, 99))),
        streamsSummary(busy));
}

void sectionHold(const World &world, const Options &options, Child &confab, double idleFresh)
{
    const QString section = u"3 hold"_s;
    const ProcessCounters idle = countersOf(confab.pid());
    // Slow tokens so every stream is still open when the last one starts: requests go out
    // 5 ms apart (5 s for 1,000), each stream lasts ~47 s.
    const QString spec = u"tokens:45;interval=1000"_s;
    note("%d streams held at once (about a minute)", options.hold);
    ProcessCounters atPeak;
    int peakStreaming = 0;
    StreamRun::Plan plan = streamPlan(world, Kind::Confab, options.hold, 1, 5.0);
    plan.preconnect = false; // each connects with its request: 200 connections/s
    const StreamStats s
        = runStreams(world, Kind::Confab, spec, std::move(plan), 180000, [&](StreamRun &run) {
              if (run.streaming() >= peakStreaming) {
                  peakStreaming = run.streaming();
                  atPeak = countersOf(confab.pid());
              }
              if (options.verbose)
                  note("started %d, streaming %d, rss %.1f MiB", run.started(), run.streaming(),
                       countersOf(confab.pid()).rssMiB);
          });
    row(section, u"streams held at once (peak), errors"_s,
        u"%1, %2"_s.arg(s.peakConcurrent).arg(s.failed), u"%1, 0"_s.arg(options.hold),
        s.peakConcurrent >= options.hold && s.failed == 0);
    row(section, u"confab RSS idle, fresh after setup (MiB)"_s, num(idleFresh), u"<= 30 MB"_s,
        idleFresh <= 30.0 * 1e6 / (1024 * 1024));
    row(section, u"confab RSS idle, after sections 1-2,4-5 (MiB)"_s, num(idle.rssMiB),
        u"%1 threads"_s.arg(idle.threads));
    row(section, u"confab RSS at %1 streams (MiB)"_s.arg(peakStreaming), num(atPeak.rssMiB),
        u"<= 100 MB"_s,
        atPeak.rssMiB <= 100.0 * 1e6 / (1024 * 1024) && peakStreaming >= options.hold);
    row(section, u"  at peak: threads, fds"_s, u"%1, %2"_s.arg(atPeak.threads).arg(atPeak.fds));
    row(section, u"  TTFT p50 / p99 while ramping to %1 (ms)"_s.arg(options.hold),
        u"%1 / %2"_s.arg(num(percentile(s.ttftMs, 50)), num(percentile(s.ttftMs, 99))));
    row(section, u"  inter-token gap p99 at %1 streams (ms)"_s.arg(options.hold),
        num(percentile(s.gapsMs, 99)), u"tokens every 1000 ms"_s);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_server"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"confab-server under load against confab-fake-upstream and Portkey, on loopback."_s);
    parser.addHelpOption();
    const QCommandLineOption quickOption(u"quick"_s, u"Smaller counts (a smoke run)."_s);
    const QCommandLineOption holdOption(u"hold"_s, u"Streams held at once (1000)."_s, u"n"_s,
                                        u"1000"_s);
    const QCommandLineOption noPortkeyOption(u"no-portkey"_s, u"Leave Portkey out."_s);
    const QCommandLineOption sectionsOption(u"sections"_s,
                                            u"Sections to run, e.g. 1,2,4 (all: 1,2,3,4,5)."_s,
                                            u"list"_s, u"1,2,3,4,5"_s);
    const QCommandLineOption verboseOption(u"verbose"_s, u"Progress of the hold section."_s);
    const QCommandLineOption serverOption(u"server"_s, u"confab-server to measure."_s, u"path"_s,
                                          QStringLiteral(CONFAB_SERVER_EXE));
    const QCommandLineOption serverArgsOption(
        u"server-arg"_s, u"Extra confab-server argument (repeatable)."_s, u"arg"_s);
    const QCommandLineOption dataOption(
        u"data-dir"_s,
        u"Where confab-server's database goes (a fresh folder inside; default: the "
        "system temp dir). A tmpfs here (/dev/shm) shows what fsync costs."_s,
        u"dir"_s);
    parser.addOption(dataOption);
    const QCommandLineOption serverEnvOption(
        u"server-env"_s, u"Extra environment for confab-server, KEY=VALUE (repeatable)."_s,
        u"pair"_s);
    parser.addOption(serverEnvOption);
    parser.addOptions({quickOption, holdOption, noPortkeyOption, sectionsOption, verboseOption,
                       serverOption, serverArgsOption});
    parser.process(app);

    Options options;
    options.hold = parser.value(holdOption).toInt();
    options.portkey = !parser.isSet(noPortkeyOption);
    options.verbose = parser.isSet(verboseOption);
    if (parser.isSet(quickOption)) {
        options.sequential = 30;
        options.paced = 20;
        options.pacedRounds = 1;
        options.hold = std::min(options.hold, 100);
        options.measureMs = 1000;
    }
    const QStringList sections = parser.value(sectionsOption).split(u',');
    const long files = raiseFileLimit();
    if (files < options.hold * 2 + 100)
        note("open-file limit %ld is low for %d streams", files, options.hold);

    // The fake upstream: answers are queued per section; with the queue empty it answers
    // stream:false with a completion and stream:true with a short stream.
    Child fake;
    if (!fake.start(
            QStringLiteral(CONFAB_FAKE_UPSTREAM_EXE),
            {u"--api-key"_s, QString::fromLatin1(ConfabUpstreamKey), u"--exit-on-stdin-close"_s}))
        fail(u"confab-fake-upstream did not start"_s);
    World world;
    world.fakePort = quint16(fake.waitForOutput(u"^(\\d+)\\n"_s, 10000).toUInt());
    if (!world.fakePort)
        fail(u"confab-fake-upstream printed no port: "_s + QString::fromUtf8(fake.output()));

    QTemporaryDir data(parser.isSet(dataOption)
                           ? parser.value(dataOption) + u"/bench_server-XXXXXX"_s
                           : QDir::tempPath() + u"/bench_server-XXXXXX"_s);
    ConfabServer confab;
    // Enough upstream managers for every held stream (six connections each), and enough
    // open conversations per user for the streams' conversations.
    const int streamers = std::max(10, (options.hold + 49) / 50);
    QStringList serverArgs{
        u"--upstream-connections"_s,   QString::number(std::max(512, options.hold + 48)),
        u"--max-live-conversations"_s, u"100"_s,
        u"--access-token-lifetime"_s,  u"3600"_s};
    serverArgs += parser.values(serverArgsOption);
    if (!confab.start(parser.value(serverOption), data.path(), world.fakePort, serverArgs,
                      parser.values(serverEnvOption)))
        fail(u"confab-server did not start: "_s + QString::fromUtf8(confab.process().output()));
    world.confabPort = confab.port();
    pause(500);
    const ProcessCounters started = countersOf(confab.process().pid());

    Child portkey;
    if (options.portkey && (sections.contains(u"1"_s) || sections.contains(u"2"_s))) {
        quint16 port = 0;
        if (startPortkey(portkey, port))
            world.portkeyPort = port;
    }

    note("setting up %d users and %d conversations", int(streamers + 10),
         streamers * ((std::max(options.hold, options.paced) + streamers - 1) / streamers));
    setUp(world, streamers, (std::max(options.hold, options.paced) + streamers - 1) / streamers);
    pause(1000);
    const ProcessCounters idleFresh = countersOf(confab.process().pid());

    std::printf("bench_server: confab-server %s, pid %lld, db in %s, %d cores, load %s\n",
                qPrintable(parser.value(serverOption)), confab.process().pid(),
                qPrintable(data.path()), QThread::idealThreadCount(),
                [] {
                    QFile file(u"/proc/loadavg"_s);
                    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
                }()
                    .constData());
    row(u"0 memory"_s, u"confab RSS just started / idle after setup (MiB)"_s,
        u"%1 / %2"_s.arg(num(started.rssMiB), num(idleFresh.rssMiB)),
        u"setup: %1 registrations + logins"_s.arg(streamers + 10));

    if (sections.contains(u"1"_s))
        sectionTtft(world, options, data.path());
    if (sections.contains(u"2"_s))
        sectionGateway(world, options, confab.process());
    portkey.stop();
    if (sections.contains(u"4"_s))
        sectionHistory(world, options, confab.process());
    if (sections.contains(u"5"_s))
        sectionLogins(world, options, confab.process());
    if (sections.contains(u"3"_s))
        sectionHold(world, options, confab.process(), idleFresh.rssMiB);

    const ProcessCounters end = countersOf(confab.process().pid());
    rusage self{};
    getrusage(RUSAGE_SELF, &self);
    const double selfCpu = double(self.ru_utime.tv_sec + self.ru_stime.tv_sec)
        + double(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6;
    row(u"0 memory"_s, u"CPU over the run: confab / fake upstream / this generator (s)"_s,
        u"%1 / %2 / %3"_s.arg(num(end.cpuSeconds, 1), num(countersOf(fake.pid()).cpuSeconds, 1),
                              num(selfCpu, 1)));
    confab.process().stop();
    fake.stop();
    std::printf("load at the end: %s\n",
                [] {
                    QFile file(u"/proc/loadavg"_s);
                    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
                }()
                    .constData());
    printTable();
    return 0;
}
