#include "searchindexer.h"

#include "common/logging.h"
#include "database.h"
#include "searchbacklog.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

const QString what = u"index messages for search"_s;

struct Range
{
    qint64 first = 0;
    qint64 last = 0;
};

// The oldest committed range: an open one belongs to an import still writing on this
// connection, and is closed (or rolled back) by it.
Result<std::optional<Range>> oldestRange(Database &db)
{
    auto query = db.exec(u"SELECT first_id, last_id FROM search_backlog WHERE last_id < ? "
                         "ORDER BY first_id LIMIT 1"_s,
                         {searchbacklog::openEnd}, what);
    if (!query)
        return query.error();
    if (!query->next())
        return std::optional<Range>();
    return std::optional<Range>(Range{query->value(0).toLongLong(), query->value(1).toLongLong()});
}

} // namespace

SearchIndexer::SearchIndexer(Database &db, QObject *parent)
    : SearchIndexer(db, Options{}, parent)
{}

SearchIndexer::SearchIndexer(Database &db, Options options, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_options(options)
{
    m_options.maxMessages = qMax(1, m_options.maxMessages);
    m_options.maxCharacters = qMax<qint64>(1, m_options.maxCharacters);
    m_options.mergePages = qMax(1, m_options.mergePages);
    // 0 ms: the next step waits only for the events already queued (input, paints).
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &SearchIndexer::runStep);
}

SearchIndexer::~SearchIndexer() = default;

void SearchIndexer::start()
{
    auto size = backlogSize();
    if (!size) {
        // Reported from the event loop, like every outcome of start().
        QTimer::singleShot(0, this, [this, error = size.error()] { fail(error); });
        return;
    }
    if (!m_running && *size == 0) {
        // Nothing to index (every start of the app): skip counting the index's pages, which
        // costs milliseconds on a large index.
        QTimer::singleShot(0, this, [this] {
            emit progress(0, 0);
            emit finished();
        });
        return;
    }
    if (!m_running) {
        auto pages = indexPages();
        if (!pages) {
            QTimer::singleShot(0, this, [this, error = pages.error()] { fail(error); });
            return;
        }
        m_pagesAtStart = *pages;
        m_done = 0;
        m_running = true;
    }
    // A new backlog comes first; the merging follows it.
    m_mergeBudget = 0;
    // Whatever was added since the last count joins the total.
    m_total = m_done + *size;
    m_timer.start();
}

void SearchIndexer::stop()
{
    m_running = false;
    m_mergeBudget = 0;
    m_timer.stop();
}

void SearchIndexer::fail(const Error &error)
{
    qCWarning(lcDb) << "search indexing stopped:" << error.toString();
    stop();
    emit failed(error);
}

void SearchIndexer::runStep()
{
    if (m_mergeBudget > 0) {
        auto more = mergeStep();
        if (!more)
            return fail(more.error());
        m_mergeBudget -= m_options.mergePages;
        if (*more && m_mergeBudget > 0) {
            m_timer.start();
            return;
        }
        m_running = false;
        m_mergeBudget = 0;
        emit finished();
        return;
    }

    auto step = indexStep();
    if (!step)
        return fail(step.error());
    m_done += step->covered;
    // Imports committed since start() make the backlog grow past the total counted then.
    m_total = qMax(m_total, m_done);
    if (!step->done) {
        emit progress(m_done, m_total);
        m_timer.start();
        return;
    }
    emit progress(m_total, m_total);
    auto budget = mergeBudget(m_pagesAtStart);
    if (!budget)
        return fail(budget.error());
    m_mergeBudget = *budget;
    if (m_mergeBudget > 0) {
        m_timer.start();
        return;
    }
    m_running = false;
    emit finished();
}

Result<SearchIndexer::Step> SearchIndexer::indexStep()
{
    // Look before taking the write lock: nothing to do is the common case at startup.
    auto seen = oldestRange(m_db);
    if (!seen)
        return seen.error();
    if (!*seen)
        return Step{0, 0, true};

    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    // Read again under the lock: another connection may have worked the range meanwhile.
    auto current = oldestRange(m_db);
    if (!current)
        return current.error();
    if (!*current)
        return Step{0, 0, true};
    const Range range = **current;

    // Where this step ends: at maxMessages messages or maxCharacters characters, whichever
    // comes first. Streaming answers are skipped: they are indexed when they finish, by the
    // update trigger, once out of the backlog.
    auto sizes = m_db.exec(u"SELECT id, length(content) FROM messages "
                           "WHERE id BETWEEN ? AND ? AND state <> 'streaming' "
                           "ORDER BY id LIMIT ?"_s,
                           {range.first, range.last, m_options.maxMessages}, what);
    if (!sizes)
        return sizes.error();
    qint64 end = range.last;
    int rows = 0;
    qint64 characters = 0;
    qint64 previous = range.first - 1;
    while (sizes->next()) {
        const qint64 id = sizes->value(0).toLongLong();
        characters += sizes->value(1).toLongLong();
        if (rows > 0 && characters > m_options.maxCharacters) {
            end = previous; // without this message, which opens the next step
            break;
        }
        if (++rows == m_options.maxMessages) {
            end = id;
            break;
        }
        previous = id;
    }
    sizes->finish();

    Step step;
    auto indexed = m_db.exec(u"INSERT INTO messages_fts (rowid, content) SELECT id, content "
                             "FROM messages WHERE id BETWEEN ? AND ? AND state <> 'streaming'"_s,
                             {range.first, end}, what);
    if (!indexed)
        return indexed.error();
    step.indexed = indexed->numRowsAffected();
    indexed->finish();
    // In the same transaction as the index entries: the triggers take these messages over.
    auto shrunk = end >= range.last
        ? m_db.exec(u"DELETE FROM search_backlog WHERE first_id = ?"_s, {range.first}, what)
        : m_db.exec(u"UPDATE search_backlog SET first_id = ? WHERE first_id = ?"_s,
                    {end + 1, range.first}, what);
    if (!shrunk)
        return shrunk.error();
    shrunk->finish();
    step.covered = end - range.first + 1;

    auto more = m_db.exec(u"SELECT EXISTS (SELECT 1 FROM search_backlog WHERE last_id < ?)"_s,
                          {searchbacklog::openEnd}, what);
    if (!more)
        return more.error();
    step.done = !(more->next() && more->value(0).toBool());
    more->finish();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return step;
}

Result<void> SearchIndexer::indexAll()
{
    auto pagesBefore = indexPages();
    if (!pagesBefore)
        return pagesBefore.error();
    for (;;) {
        auto step = indexStep();
        if (!step)
            return step.error();
        if (step->done)
            break;
    }
    auto budget = mergeBudget(*pagesBefore);
    if (!budget)
        return budget.error();
    for (qint64 left = *budget; left > 0; left -= m_options.mergePages) {
        auto more = mergeStep();
        if (!more)
            return more.error();
        if (!*more)
            break;
    }
    return {};
}

Result<qint64> SearchIndexer::indexPages()
{
    auto query = m_db.exec(u"SELECT count(*) FROM messages_fts_data"_s, {}, what);
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toLongLong() : 0;
}

Result<qint64> SearchIndexer::mergeBudget(qint64 pagesBefore)
{
    auto pages = indexPages();
    if (!pages)
        return pages.error();
    // A full merge writes the whole index once. Into a much larger index, the budget ends it
    // part way: FTS5 carries a merge on bit by bit with later writes.
    return 2 * qMax<qint64>(0, *pages - pagesBefore);
}

Result<bool> SearchIndexer::mergeStep()
{
    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    const auto changes = [this]() -> Result<qint64> {
        auto query = m_db.exec(u"SELECT total_changes()"_s, {}, what);
        if (!query)
            return query.error();
        return query->next() ? query->value(0).toLongLong() : 0;
    };
    auto before = changes();
    if (!before)
        return before.error();
    // Negative: merge towards one segment, across levels, at most this many pages of work.
    auto merged = m_db.exec(u"INSERT INTO messages_fts (messages_fts, rank) VALUES ('merge', ?)"_s,
                            {-m_options.mergePages}, what);
    if (!merged)
        return merged.error();
    merged->finish();
    auto after = changes();
    if (!after)
        return after.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    // FTS5's documented signal: fewer than two changes, nothing was left to merge.
    return *after - *before >= 2;
}

Result<qint64> SearchIndexer::backlogSize()
{
    auto query = m_db.exec(u"SELECT coalesce(sum(last_id - first_id + 1), 0) FROM search_backlog "
                           "WHERE last_id < ?"_s,
                           {searchbacklog::openEnd}, what);
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toLongLong() : 0;
}

} // namespace confab
