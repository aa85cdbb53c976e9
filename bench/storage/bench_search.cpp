// Search over 100,000 mixed Chinese/English messages in 1,000 conversations: median and p90
// of MessageStore::search for 3- and 6-character queries (the trigram index), and of the
// scan that answers 1-2 character queries and the conversation list's search, for comparison.
// First, the same searches while all 100,000 imported messages still wait in the search
// backlog (answered by scanning it), then SearchIndexer indexes them and the rest is measured.

#include "corpusgenerator.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/importwriter.h"
#include "storage/messagestore.h"
#include "storage/searchindexer.h"
#include "storage/userstore.h"
#include "timingstats.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

constexpr int queriesPerKind = 200;
constexpr int hitLimit = 50;

void measure(const char *name, const QStringList &queries,
             const std::function<int(const QString &)> &run)
{
    QList<double> times;
    qint64 hits = 0;
    int failures = 0;
    for (const QString &query : queries) {
        QElapsedTimer timer;
        timer.start();
        const int found = run(query);
        times.append(double(timer.nsecsElapsed()) / 1e6);
        if (found < 0)
            ++failures;
        else
            hits += found;
    }
    const auto stats = bench::TimingStats::of(times);
    std::printf("%-34s %4lld queries  median %7.2f ms  p90 %7.2f ms  max %7.2f ms  "
                "%5.1f hits/query%s\n",
                name, qint64(queries.size()), stats.median, stats.p90, stats.max,
                queries.isEmpty() ? 0.0 : double(hits) / double(queries.size()),
                failures ? "  (ERRORS)" : "");
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);

    QTemporaryDir dir;
    auto opened = Database::open(dir.filePath(u"bench.db"_s));
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", qPrintable(opened.error().toString()));
        return 1;
    }
    Database &db = **opened;
    const qint64 userId = UserStore(db).ensureLocalUser()->id;

    bench::CorpusGenerator generator;
    const auto corpus = generator.conversations(1000, 100);
    QStringList texts;
    {
        ImportWriter writer(db);
        if (!writer.begin())
            return 1;
        for (const auto &generated : corpus) {
            if (!writer.add(userId, generated.conversation, generated.messages))
                return 1;
            for (const Message &message : generated.messages)
                texts.append(message.content);
        }
        if (!writer.commit())
            return 1;
    }
    std::printf("bench_search: %lld messages, %d conversations; limit %d hits, newest first\n",
                qint64(texts.size()), int(corpus.size()), hitLimit);

    MessageStore messages(db);
    const auto search = [&](const QString &query) {
        auto hits = messages.search(userId, query, hitLimit);
        return hits ? int(hits->size()) : -1;
    };
    ConversationStore conversations(db);
    const auto listSearch = [&](const QString &query) {
        ConversationQuery request;
        request.search = query;
        auto page = conversations.list(userId, request);
        return page ? int(page->items.size()) : -1;
    };

    const QStringList zh3 = generator.chineseQueries(texts, 3, queriesPerKind);
    const QStringList zh6 = generator.chineseQueries(texts, 6, queriesPerKind);
    const QStringList en3 = generator.englishQueries(texts, 3, queriesPerKind);
    const QStringList en6 = generator.englishQueries(texts, 6, queriesPerKind);
    const QStringList zh2 = generator.chineseQueries(texts, 2, 50);
    const QStringList en2 = generator.englishQueries(texts, 2, 50);
    const QStringList absent = {u"量子纠缠态"_s, u"xylophone"_s, u"零知识证明"_s,
                                u"zeppelin"_s,   u"蝴蝶效应"_s,  u"quasar"_s};

    // Warm the page cache once, as a running app would have it.
    for (const QString &query : zh3.mid(0, 10))
        search(query);

    SearchIndexer indexer(db);
    std::printf("backlog: %lld messages not yet indexed\n", qint64(indexer.backlogSize().value()));
    measure("backlog: search, Chinese 3 chars", zh3.mid(0, 50), search);
    measure("backlog: search, English 6 chars", en6.mid(0, 50), search);
    measure("backlog: search, absent words", absent, search);
    measure("backlog: conversation list, zh 3", zh3.mid(0, 20), listSearch);

    QElapsedTimer indexTimer;
    indexTimer.start();
    if (auto indexed = indexer.indexAll(); !indexed) {
        std::fprintf(stderr, "index: %s\n", qPrintable(indexed.error().toString()));
        return 1;
    }
    std::printf("indexed in %.2f s; backlog: %lld\n", indexTimer.elapsed() / 1000.0,
                qint64(indexer.backlogSize().value()));
    for (const QString &query : zh3.mid(0, 10))
        search(query);

    measure("message search, Chinese 3 chars", zh3, search);
    measure("message search, Chinese 6 chars", zh6, search);
    measure("message search, English 3 chars", en3, search);
    measure("message search, English 6 chars", en6, search);
    measure("message search, absent words", absent, search);
    measure("message search, Chinese 2 chars (LIKE)", zh2, search);
    measure("message search, English 2 chars (LIKE)", en2, search);
    measure("conversation list, Chinese 3 chars", zh3.mid(0, 50), listSearch);
    measure("conversation list, English 6 chars", en6.mid(0, 50), listSearch);
    return 0;
}
