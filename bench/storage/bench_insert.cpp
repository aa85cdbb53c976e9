// Time to store 100,000 messages in one import (ImportWriter: one transaction, prepared
// statements, the search index built in one pass), on the desktop's and the server's
// durability settings. `--naive` also times the way an import would go through
// MessageStore::append one message at a time (the index updated by trigger per row).

#include "corpusgenerator.h"
#include "storage/database.h"
#include "storage/importwriter.h"
#include "storage/messagestore.h"
#include "storage/userstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>

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
    const qint64 totalMs = timer.elapsed();
    // CPU time too: on a shared machine wall time also measures the neighbours.
    const double cpuSeconds = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;

    // The search answers from what was imported.
    auto hits = MessageStore(db).search(
        userId, corpus.constFirst().messages.constFirst().content.left(6), 5);
    opened->reset(); // checkpoints the WAL into the file
    const qint64 messages = qint64(conversationCount) * messagesEach;
    std::printf("%-26s %-8s %6.2f s wall, %6.2f s CPU  (rows %.2f s, index + commit %.2f s)  "
                "%7.0f msg/s  file %.0f MB\n",
                naive ? "per-row append (trigger)" : "ImportWriter", durable ? "durable" : "normal",
                totalMs / 1000.0, cpuSeconds, rowsMs / 1000.0, (totalMs - rowsMs) / 1000.0,
                messages * 1000.0 / qMax<qint64>(1, totalMs), fileSize(path) / 1e6);
    std::fflush(stdout);
    return hits && !hits->isEmpty();
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
