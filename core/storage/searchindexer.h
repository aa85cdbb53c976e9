#pragma once

#include "common/result.h"

#include <QObject>
#include <QTimer>

// Works off the search backlog an import leaves (see ImportWriter): indexes its messages in
// short steps, each its own transaction, the next step queued behind the events waiting, so
// that a GUI on the same thread stays responsive. What is left to do lives in the database:
// an indexer started after a restart carries on where the last one stopped. Searches find the
// waiting messages all along (by scanning them), only slower.

namespace confab {

class Database;

class SearchIndexer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SearchIndexer)

public:
    // A step ends at whichever limit it reaches first (and takes at least one message). The
    // defaults keep a step near 10 ms: SQLite's trigram tokenizer costs ~160 ns per character.
    // Every few steps FTS5 merges segments, which costs about as much again.
    struct Options
    {
        int maxMessages = 1000;
        qint64 maxCharacters = 50'000;
        // Once the backlog is indexed, the index's segments (one per step) are merged, this
        // many pages of work a step: a search then reads a few segments, not hundreds. The
        // merging writes at most twice what the indexing added.
        int mergePages = 64;
    };

    struct Step
    {
        qint64 indexed = 0; // messages added to the index
        qint64 covered = 0; // ids taken off the backlog (deleted messages' ids among them)
        bool done = false;  // the backlog is empty (but for an import not yet committed)
    };

    // db must outlive the indexer and be used on this thread only.
    explicit SearchIndexer(Database &db, QObject *parent = nullptr);
    SearchIndexer(Database &db, Options options, QObject *parent = nullptr);
    ~SearchIndexer() override;

    // Indexes the backlog in steps on the event loop until it is empty, merges the new
    // segments in steps, then emits finished(). Called while running, it takes in what was
    // added meanwhile.
    void start();
    // After the current step; the rest of the backlog stays for a later start().
    void stop();
    bool isRunning() const { return m_running; }

    // One step now, without the event loop.
    Result<Step> indexStep();
    // The whole backlog now, step after step, and the merging (a server, tools, tests).
    Result<void> indexAll();
    // Ids in the backlog: the messages waiting, plus ids of deleted ones. Cheap.
    Result<qint64> backlogSize();

signals:
    // Since start(): ids taken off the backlog out of those there were. done == total: all
    // indexed (the merging follows, without progress).
    void progress(qint64 done, qint64 total);
    void finished();
    // The step failed and was rolled back (a full disk, the file locked by another program):
    // the indexer stops; start() tries again.
    void failed(const confab::Error &error);

private:
    void runStep();
    void fail(const Error &error);
    // Leaf pages of the index, to weigh what indexing added.
    Result<qint64> indexPages();
    // The merge budget once the backlog is done: twice the pages added since `pagesBefore`.
    Result<qint64> mergeBudget(qint64 pagesBefore);
    // One bounded merge; whether there is more to merge.
    Result<bool> mergeStep();

    Database &m_db;
    Options m_options;
    QTimer m_timer;
    qint64 m_done = 0;
    qint64 m_total = 0;
    qint64 m_pagesAtStart = 0;
    qint64 m_mergeBudget = 0; // pages; > 0 while merging
    bool m_running = false;
};

} // namespace confab
