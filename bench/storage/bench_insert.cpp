// Time to store 100,000 messages in one import (ImportWriter: one transaction, prepared
// statements, the messages left in the search backlog), then the time SearchIndexer takes on
// the event loop to index them all, in steps, and the total; on the desktop's and the server's
// durability settings. `--naive` also times the way an import would go through
// MessageStore::append one message at a time (the index updated by trigger per row).

#include "corpusgenerator.h"
#include "storage/database.h"
#include "storage/importwriter.h"
#include "storage/messagestore.h"
#include "storage/searchindexer.h"
#include "storage/userstore.h"
#include "timingstats.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <ctime>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

constexpr int conversationCount = 1000;
constexpr int messagesEach = 100;

qint64 fileSize(const QString &path)
{
    return QFileInfo(path).size() + QFileInfo(path + u"-wal"_s).size();
}

bool importAll(const QList<bench::GeneratedConversation> &corpus, bool durable, bool naive)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"bench.db"_s);
    DatabaseOptions options;
    options.durable = durable;
    auto opened = Database::open(path, options);
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", qPrintable(opened.error().toString()));
        return false;
    }
    Database &db = **opened;
    const qint64 userId = UserStore(db).ensureLocalUser()->id;

    QElapsedTimer timer;
    timer.start();
    const std::clock_t cpuStart = std::clock();
    qint64 rowsMs = 0;
    if (naive) {
        Transaction transaction(db);
        MessageStore messages(db);
        for (const auto &generated : corpus) {
            auto conversation
                = MessageStore(db).importConversation(userId, generated.conversation, {});
            if (!conversation)
                return false;
            for (Message message : generated.messages) {
                message.conversationId = conversation->id;
                if (!messages.append(userId, message))
                    return false;
            }
        }
        rowsMs = timer.elapsed();
        if (!transaction.commit())
            return false;
    } else {
        ImportWriter writer(db);
        if (!writer.begin())
            return false;
        for (const auto &generated : corpus) {
            if (auto added = writer.add(userId, generated.conversation, generated.messages);
                !added) {
                std::fprintf(stderr, "add: %s\n", qPrintable(added.error().toString()));
                return false;
            }
        }
        rowsMs = timer.elapsed();
        if (auto committed = writer.commit(); !committed) {
            std::fprintf(stderr, "commit: %s\n", qPrintable(committed.error().toString()));
            return false;
        }
    }
    const qint64 storeMs = timer.elapsed();
    // CPU time too: on a shared machine wall time also measures the neighbours.
    const double storeCpu = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    const qint64 messages = qint64(conversationCount) * messagesEach;
    std::printf("%-26s %-8s store  %6.2f s wall, %6.2f s CPU  (rows %.2f s, commit %.2f s)  "
                "%7.0f msg/s\n",
                naive ? "per-row append (trigger)" : "ImportWriter", durable ? "durable" : "normal",
                storeMs / 1000.0, storeCpu, rowsMs / 1000.0, (storeMs - rowsMs) / 1000.0,
                messages * 1000.0 / qMax<qint64>(1, storeMs));
    std::fflush(stdout);

    // The imported text is found at once, by the scan of the backlog.
    auto hits = MessageStore(db).search(
        userId, corpus.constFirst().messages.constFirst().content.left(6), 5);
    if (!hits || hits->isEmpty())
        return false;

    // The indexer as the app runs it: steps on the event loop. A 0 ms timer beside it stands
    // for the GUI: the gaps between its turns are how long each step held the event loop.
    SearchIndexer indexer(db);
    const auto backlog = indexer.backlogSize();
    QEventLoop loop;
    bool failed = false;
    QElapsedTimer indexTimer;
    qint64 indexedMs = 0; // the backlog empty; the segments' merging follows
    qint64 indexSteps = 0;
    QObject::connect(&indexer, &SearchIndexer::progress, &loop, [&](qint64 done, qint64 total) {
        ++indexSteps;
        if (done == total)
            indexedMs = indexTimer.elapsed();
    });
    QObject::connect(&indexer, &SearchIndexer::finished, &loop, &QEventLoop::quit);
    QObject::connect(&indexer, &SearchIndexer::failed, &loop, [&](const Error &error) {
        std::fprintf(stderr, "index: %s\n", qPrintable(error.toString()));
        failed = true;
        loop.quit();
    });
    QList<double> gapsMs;
    QElapsedTimer gap;
    QTimer gui;
    gui.setInterval(0);
    QObject::connect(&gui, &QTimer::timeout, &loop, [&] {
        gapsMs.append(double(gap.nsecsElapsed()) / 1e6);
        gap.start();
    });
    indexTimer.start();
    const std::clock_t indexCpuStart = std::clock();
    indexer.start();
    gap.start();
    gui.start();
    loop.exec();
    gui.stop();
    const qint64 indexMs = indexTimer.elapsed();
    const double indexCpu = double(std::clock() - indexCpuStart) / CLOCKS_PER_SEC;
    if (failed)
        return false;
    const auto gaps = bench::TimingStats::of(gapsMs);
    std::printf("%-26s %-8s index  %6.2f s wall, %6.2f s CPU  (%lld in backlog: indexed in %lld "
                "steps by %.2f s, then merged; event loop held per step: median %.1f ms, "
                "p90 %.1f ms, max %.1f ms)\n",
                "", "", indexMs / 1000.0, indexCpu, backlog ? *backlog : -1, indexSteps,
                indexedMs / 1000.0, gaps.median, gaps.p90, gaps.max);
    opened->reset(); // checkpoints the WAL into the file
    std::printf("%-26s %-8s total  %6.2f s wall, %6.2f s CPU  file %.0f MB\n", "", "",
                (storeMs + indexMs) / 1000.0, storeCpu + indexCpu, fileSize(path) / 1e6);
    std::fflush(stdout);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const bool naive = app.arguments().contains(u"--naive"_s);

    bench::CorpusGenerator generator;
    const auto corpus = generator.conversations(conversationCount, messagesEach);
    qint64 characters = 0;
    for (const auto &generated : corpus) {
        for (const Message &message : generated.messages)
            characters += message.content.size();
    }
    const qint64 messages = qint64(conversationCount) * messagesEach;
    std::printf("bench_insert: %lld messages in %d conversations, %.0f characters per message on "
                "average\n",
                messages, conversationCount, double(characters) / double(messages));

    bool ok = true;
    for (const bool durable : {false, true})
        ok = importAll(corpus, durable, false) && ok;
    if (naive) {
        for (const bool durable : {false, true})
            ok = importAll(corpus, durable, true) && ok;
    }
    return ok ? 0 : 1;
}
