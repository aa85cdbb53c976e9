#include "database.h"

#include "common/logging.h"
#include "schema.h"

#include <QAtomicInteger>
#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// SQLite's primary result codes that callers need to tell apart.
constexpr int sqliteBusy = 5;
constexpr int sqliteLocked = 6;
constexpr int sqliteFull = 13;
constexpr int sqliteConstraint = 19;
constexpr int sqliteNotADb = 26;

// The stores run a few dozen distinct statements; the bound keeps SQL ever built with values
// in it from growing the cache without end.
constexpr qsizetype maxCachedStatements = 200;

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return u"confab-db-%1"_s.arg(counter.fetchAndAddRelaxed(1) + 1);
}

} // namespace

Database::Database(const QString &path, const DatabaseOptions &options,
                   const QString &connectionName)
    : m_path(path)
    , m_options(options)
    , m_connectionName(connectionName)
{}

Statement::Statement(QSqlQuery query, Database *db, const QString &sql)
    : QSqlQuery(std::move(query))
    , m_db(db)
    , m_sql(sql)
{}

Statement::Statement(Statement &&other) noexcept
    : QSqlQuery(std::move(other))
    , m_db(std::exchange(other.m_db, nullptr))
    , m_sql(std::move(other.m_sql))
{}

Statement::~Statement()
{
    if (m_db)
        m_db->recycle(m_sql, std::move(*this));
}

Database::~Database()
{
    // Cached statements must be finalized before the connection closes.
    m_statements.clear();
    if (m_db.isOpen() && m_ready) {
        // Keeps the planner's statistics fresh; cheap when nothing changed.
        QSqlQuery(u"PRAGMA optimize"_s, m_db).finish();
        m_db.close();
    }
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<Database>> Database::open(const QString &path,
                                                 const DatabaseOptions &options)
{
    if (path.isEmpty())
        return Error{ErrorCode::InvalidInput, u"no database file given"_s};
    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s))
        return Error{ErrorCode::Database, u"Qt's SQLite driver (QSQLITE) is not installed"_s};

    const QString name = nextConnectionName();
    std::unique_ptr<Database> db(new Database(path, options, name));
    db->m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
    db->m_db.setDatabaseName(path);
    if (!db->m_db.open())
        return db->error(db->m_db.lastError(), u"open %1"_s.arg(path));
    if (auto configured = db->configure(); !configured)
        return configured.error();
    db->m_ready = true;
    if (options.recoverInterrupted) {
        if (auto recovered = db->recoverInterruptedMessages(); !recovered)
            return recovered.error();
    }
    return db;
}

Result<void> Database::configure()
{
    // Nothing below may write before the version check: a file from a newer Confab, or one
    // that is not a database at all, must be left exactly as it was.
    auto busy = exec(u"PRAGMA busy_timeout = %1"_s.arg(qint64(m_options.busyTimeout.count())), {},
                     u"set the busy timeout"_s);
    if (!busy)
        return busy.error();

    auto version = exec(u"PRAGMA user_version"_s, {}, u"read the schema version"_s);
    if (!version) {
        Error error = version.error();
        error.message = u"cannot open %1: %2"_s.arg(m_path, error.message);
        return error;
    }
    const int fileVersion = version->next() ? version->value(0).toInt() : 0;
    version->finish();
    if (fileVersion > schemaVersion) {
        return Error{
            ErrorCode::SchemaTooNew,
            u"this database was written by a newer Confab (schema %1, this version knows %2)"_s
                .arg(fileVersion)
                .arg(schemaVersion)};
    }

    // The search index needs FTS5's trigram tokenizer (SQLite 3.34+). A temporary table
    // proves it without touching the file.
    auto probe
        = exec(u"CREATE VIRTUAL TABLE temp.confab_fts_probe USING fts5(x, tokenize='trigram')"_s,
               {}, u"check for full-text search"_s);
    if (!probe) {
        return Error{ErrorCode::Database,
                     u"this SQLite has no FTS5 trigram tokenizer (SQLite 3.34 or later with FTS5 "
                     "is needed): %1"_s.arg(probe.error().message)};
    }
    probe->finish();
    if (auto drop
        = exec(u"DROP TABLE temp.confab_fts_probe"_s, {}, u"check for full-text search"_s);
        !drop)
        return drop.error();

    auto wal = exec(u"PRAGMA journal_mode = WAL"_s, {}, u"switch to WAL mode"_s);
    if (!wal)
        return wal.error();
    if (wal->next() && wal->value(0).toString() != "wal"_L1) {
        // In-memory databases answer "memory"; a file system without shared memory refuses.
        qCWarning(lcDb) << "WAL mode is unavailable for" << m_path << "- journal mode is"
                        << wal->value(0).toString();
    }
    wal->finish();

    for (const QString &pragma :
         {u"PRAGMA foreign_keys = ON"_s,
          m_options.durable ? u"PRAGMA synchronous = FULL"_s : u"PRAGMA synchronous = NORMAL"_s}) {
        if (auto set = exec(pragma, {}, u"configure the connection"_s); !set)
            return set.error();
    }
    return migrate(fileVersion);
}

Result<void> Database::migrate(int fromVersion)
{
    const QList<QStringList> migrations = schema::migrations();
    for (int target = fromVersion + 1; target <= schemaVersion; ++target) {
        Transaction transaction(*this);
        if (!transaction.ok())
            return transaction.error();
        // Another connection may have migrated while this one waited for the write lock.
        auto current = exec(u"PRAGMA user_version"_s, {}, u"read the schema version"_s);
        if (!current)
            return current.error();
        const int now = current->next() ? current->value(0).toInt() : 0;
        current->finish();
        if (now >= target)
            continue;

        for (const QString &statement : migrations.at(target - 1)) {
            if (auto done = exec(statement, {}, u"migrate to schema %1"_s.arg(target)); !done)
                return done.error();
        }
        // A pragma takes no bound values; target is our own integer.
        if (auto set = exec(u"PRAGMA user_version = %1"_s.arg(target), {},
                            u"migrate to schema %1"_s.arg(target));
            !set)
            return set.error();
        if (auto committed = transaction.commit(); !committed)
            return committed.error();
        qCInfo(lcDb) << "migrated" << m_path << "to schema" << target;
    }
    return {};
}

Result<void> Database::integrityCheck()
{
    auto check = exec(u"PRAGMA integrity_check"_s, {}, u"check the database"_s);
    if (!check)
        return check.error();
    QStringList problems;
    while (check->next()) {
        const QString line = check->value(0).toString();
        if (line != "ok"_L1)
            problems.append(line);
    }
    check->finish();
    if (!problems.isEmpty()) {
        return Error{ErrorCode::Database,
                     u"the database is damaged: %1"_s.arg(problems.join(u"; "_s))};
    }
    // Ranges that overlap would let a message be counted as both indexed and waiting.
    auto overlaps = exec(u"SELECT count(*) FROM search_backlog a JOIN search_backlog b "
                         "ON a.first_id < b.first_id AND a.last_id >= b.first_id"_s,
                         {}, u"check the search backlog"_s);
    if (!overlaps)
        return overlaps.error();
    if (overlaps->next() && overlaps->value(0).toLongLong() > 0) {
        return Error{ErrorCode::Database,
                     u"the search backlog is damaged: its id ranges overlap"_s};
    }
    overlaps->finish();
    // rank 1: also compare the index with the messages it was built from: those outside the
    // search backlog (messages_indexed), which a SearchIndexer may not have reached yet.
    auto fts
        = exec(u"INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)"_s, {},
               u"check the search index"_s);
    if (!fts)
        return Error{ErrorCode::Database,
                     u"the search index is damaged: %1"_s.arg(fts.error().message)};
    return {};
}

Result<void> Database::backupTo(const QString &path)
{
    if (QFileInfo::exists(path))
        return Error{ErrorCode::Conflict, u"%1 exists already; choose a new file."_s.arg(path)};
    const QVariant handle = m_db.driver()->handle();
    sqlite3 *source = handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0
        ? *static_cast<sqlite3 *const *>(handle.constData())
        : nullptr;
    if (!source)
        return Error{ErrorCode::Database, u"no SQLite handle to back up from"_s};
    sqlite3 *target = nullptr;
    const QByteArray targetPath = QFile::encodeName(path);
    int rc = sqlite3_open_v2(targetPath.constData(), &target,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc == SQLITE_OK) {
        sqlite3_backup *backup = sqlite3_backup_init(target, "main", source, "main");
        if (backup) {
            // One step over a read snapshot: in WAL mode writers carry on meanwhile.
            rc = sqlite3_backup_step(backup, -1);
            sqlite3_backup_finish(backup);
        }
        rc = rc == SQLITE_DONE ? sqlite3_errcode(target) : rc;
    }
    const QString message = QString::fromUtf8(target ? sqlite3_errmsg(target) : "out of memory");
    sqlite3_close(target);
    if (rc != SQLITE_OK) {
        QFile::remove(path);
        return Error{rc == SQLITE_FULL ? ErrorCode::DiskFull : ErrorCode::Database,
                     u"backup to %1 failed: %2"_s.arg(path, message)};
    }
    return {};
}

Result<int> Database::recoverInterruptedMessages()
{
    // Look before writing: an UPDATE takes the write lock even when it changes nothing.
    auto pending = exec(u"SELECT EXISTS (SELECT 1 FROM messages WHERE state = 'streaming')"_s, {},
                        u"recover interrupted answers"_s);
    if (!pending)
        return pending.error();
    if (!pending->next() || !pending->value(0).toBool())
        return 0;
    pending->finish();
    auto recovered
        = exec(uR"(UPDATE messages SET state = 'incomplete', finish_reason = 'interrupted',
                 error_message = coalesce(error_message, ?)
                 WHERE state = 'streaming')"_s,
               {u"Confab stopped while this answer was being written"_s},
               u"recover interrupted answers"_s);
    if (!recovered)
        return recovered.error();
    const int count = recovered->numRowsAffected();
    if (count > 0)
        qCInfo(lcDb) << "marked" << count << "interrupted answers as incomplete";
    return count;
}

Result<QSqlQuery> Database::prepare(const QString &sql, const QString &what)
{
    QSqlQuery query(m_db);
    // Forward-only: QtSql would otherwise cache every row to allow seeking backwards.
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return error(query.lastError(), what);
    return query;
}

Result<Statement> Database::statement(const QString &sql, const QString &what)
{
    // SQLite applies a pragma when compiling it (running it again may do nothing), so pragmas
    // are compiled afresh every time.
    const bool reusable = !sql.startsWith("PRAGMA"_L1, Qt::CaseInsensitive);
    if (const auto cached = reusable ? m_statements.find(sql) : m_statements.end();
        cached != m_statements.end()) {
        QSqlQuery query = std::move(*cached);
        m_statements.erase(cached);
        return Statement(std::move(query), this, sql);
    }
    auto prepared = prepare(sql, what);
    if (!prepared)
        return prepared.error();
    return Statement(std::move(*prepared), reusable ? this : nullptr, sql);
}

void Database::recycle(const QString &sql, QSqlQuery query)
{
    // A failed statement is compiled afresh next time rather than trusted.
    if (query.lastError().isValid() || m_statements.size() >= maxCachedStatements
        || m_statements.contains(sql))
        return;
    // Reset now: a SELECT left mid-way would keep its read snapshot open and hold back
    // checkpoints.
    query.finish();
    m_statements.emplace(sql, std::move(query));
}

Result<void> Database::execPrepared(QSqlQuery &query, const QString &what)
{
    if (!query.exec())
        return error(query.lastError(), what);
    return {};
}

Result<Statement> Database::exec(const QString &sql, const QVariantList &values,
                                 const QString &what)
{
    auto query = statement(sql, what);
    if (!query)
        return query.error();
    for (const QVariant &value : values)
        query->addBindValue(value);
    if (auto done = execPrepared(*query, what); !done)
        return done.error();
    return query;
}

Error Database::error(const QSqlError &sqlError, const QString &what) const
{
    const QString detail
        = sqlError.databaseText().isEmpty() ? sqlError.text() : sqlError.databaseText();
    bool numeric = false;
    const int code = sqlError.nativeErrorCode().toInt(&numeric) & 0xff;
    if ((numeric && code == sqliteFull) || detail.contains("database or disk is full"_L1)) {
        qCWarning(lcDb) << "disk full while trying to" << what;
        return Error{ErrorCode::DiskFull,
                     u"the disk is full: could not %1 (nothing was changed)"_s.arg(what)};
    }
    if (numeric && (code == sqliteBusy || code == sqliteLocked)) {
        return Error{
            ErrorCode::Database,
            u"could not %1: the database is busy (in use by another program?)"_s.arg(what)};
    }
    if (numeric && code == sqliteConstraint)
        return Error{ErrorCode::Conflict, u"could not %1: %2"_s.arg(what, detail)};
    if ((numeric && code == sqliteNotADb) || detail.contains("file is not a database"_L1))
        return Error{ErrorCode::Database, u"the file is not an SQLite database (%1)"_s.arg(detail)};
    qCWarning(lcDb) << "could not" << what << ":" << detail;
    return Error{ErrorCode::Database, u"could not %1: %2"_s.arg(what, detail)};
}

void Database::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

QDateTime Database::now() const
{
    const QDateTime time = m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
    // Whole milliseconds, as stored, so that a value compares equal to itself read back.
    return QDateTime::fromMSecsSinceEpoch(time.toMSecsSinceEpoch(), Qt::UTC);
}

qint64 Database::toStoredTime(const QDateTime &time)
{
    return time.toMSecsSinceEpoch();
}

QDateTime Database::fromStoredTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

// ---- Transaction

RelaxedDurability::RelaxedDurability(Database &db)
    : m_db(db)
{
    if (!m_db.m_options.durable || m_db.m_transactionDepth > 0)
        return;
    m_relaxed = m_db.exec(u"PRAGMA synchronous = NORMAL"_s, {}, u"relax durability"_s).ok();
}

RelaxedDurability::~RelaxedDurability()
{
    if (m_relaxed)
        (void)m_db.exec(u"PRAGMA synchronous = FULL"_s, {}, u"restore durability"_s);
}

Transaction::Transaction(Database &db)
    : m_db(db)
{
    QString sql;
    if (m_db.m_transactionDepth == 0) {
        sql = u"BEGIN IMMEDIATE"_s;
    } else {
        // Named by depth, unique among the open ones: a few names, so their statements cache.
        m_savepoint = u"confab_sp%1"_s.arg(m_db.m_transactionDepth);
        sql = u"SAVEPOINT "_s + m_savepoint;
    }
    auto begun = m_db.exec(sql, {}, u"begin a transaction"_s);
    if (!begun) {
        m_error = begun.error();
        return;
    }
    m_active = true;
    ++m_db.m_transactionDepth;
}

Transaction::~Transaction()
{
    rollback();
}

Result<void> Transaction::commit()
{
    if (!m_active)
        return Error{ErrorCode::Internal, u"commit without an open transaction"_s};
    const QString sql = m_savepoint.isEmpty() ? u"COMMIT"_s : u"RELEASE "_s + m_savepoint;
    auto committed = m_db.exec(sql, {}, u"commit"_s);
    if (!committed) {
        // SQLite keeps the transaction open after a failed COMMIT (e.g. SQLITE_BUSY or a full
        // disk); rolling back here leaves the file as it was, and says so.
        rollback();
        return committed.error();
    }
    m_active = false;
    --m_db.m_transactionDepth;
    return {};
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    --m_db.m_transactionDepth;
    // After some errors (a full disk among them) SQLite has already rolled back by itself;
    // the statements below then fail harmlessly.
    if (m_savepoint.isEmpty()) {
        QSqlQuery(u"ROLLBACK"_s, m_db.m_db).finish();
    } else {
        QSqlQuery(u"ROLLBACK TO "_s + m_savepoint, m_db.m_db).finish();
        QSqlQuery(u"RELEASE "_s + m_savepoint, m_db.m_db).finish();
    }
}

} // namespace confab
