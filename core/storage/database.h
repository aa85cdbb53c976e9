#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <chrono>
#include <functional>
#include <memory>

class QSqlError;

// One connection to Confab's SQLite file: opens it (WAL, foreign keys, busy timeout), brings
// the schema up to date and gives the stores their prepared statements and error mapping.

namespace confab {

class Database;

// A statement from a Database's cache (Database::statement()), used like the QSqlQuery it is.
// Going out of scope resets it and hands it back, so each statement is compiled once per
// connection instead of on every call. Never move it into a plain QSqlQuery: prepare() gives
// statements to keep.
class Statement final : public QSqlQuery
{
public:
    Statement(Statement &&other) noexcept;
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    Statement &operator=(Statement &&) = delete;

private:
    friend class Database;
    Statement(QSqlQuery query, Database *db, const QString &sql);

    Database *m_db; // null once moved from, and for statements not to be reused
    QString m_sql;
};

struct DatabaseOptions
{
    // synchronous=FULL (the server: a committed message survives a power cut) instead of
    // NORMAL (the desktop: WAL keeps the file consistent, the last commits may be lost).
    bool durable = false;
    std::chrono::milliseconds busyTimeout{5000};
    // Turns answers left 'streaming' by a crash into 'incomplete'. Only the first connection
    // of a process may do it: a later one would cut answers that are streaming right now.
    bool recoverInterrupted = true;
};

// A Database is used from the thread that opened it. Several may be open on one file.
class Database final
{
public:
    // The schema version this build writes (PRAGMA user_version).
    static constexpr int schemaVersion = 2;

    static Result<std::unique_ptr<Database>> open(const QString &path,
                                                  const DatabaseOptions &options = {});
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    QString path() const { return m_path; }
    const DatabaseOptions &options() const { return m_options; }
    QSqlDatabase connection() const { return m_db; }

    // SQLite's integrity check plus the search index checked against the messages it covers
    // (not those waiting in the search backlog).
    Result<void> integrityCheck();
    // A consistent copy of the whole database in a new file, taken with SQLite's online backup
    // API while other connections (a running server) keep reading and writing. Refuses to
    // overwrite an existing file.
    Result<void> backupTo(const QString &path);
    // Every message still 'streaming' becomes 'incomplete' (finish_reason 'interrupted');
    // returns how many there were.
    Result<int> recoverInterruptedMessages();

    // For the stores. `what` names the operation in error messages ("append a message").
    // prepare() compiles a statement for the caller to keep; statement() takes it from the
    // connection's cache, for statements run and read at once.
    Result<QSqlQuery> prepare(const QString &sql, const QString &what);
    Result<Statement> statement(const QString &sql, const QString &what);
    Result<void> execPrepared(QSqlQuery &query, const QString &what);
    // A cached statement with `values` bound to its positional placeholders, executed. QtSql
    // binds a null QString as NULL: NOT NULL text columns take their value through
    // coalesce(?, '').
    Result<Statement> exec(const QString &sql, const QVariantList &values, const QString &what);
    Error error(const QSqlError &sqlError, const QString &what) const;

    // The clock behind every stored time; tests set a fixed one.
    using Clock = std::function<QDateTime()>;
    void setClock(Clock clock);
    QDateTime now() const;

    // Times are stored as integer milliseconds since the epoch, UTC: compact and sortable.
    static qint64 toStoredTime(const QDateTime &time);
    static QDateTime fromStoredTime(const QVariant &value);

private:
    friend class Transaction;
    friend class RelaxedDurability;
    friend class Statement;

    Database(const QString &path, const DatabaseOptions &options, const QString &connectionName);
    Result<void> configure();
    Result<void> migrate(int fromVersion);
    void recycle(const QString &sql, QSqlQuery query);

    QString m_path;
    DatabaseOptions m_options;
    QString m_connectionName;
    QSqlDatabase m_db;
    Clock m_clock;
    int m_transactionDepth = 0;
    bool m_ready = false; // configured and migrated: only then may closing write
    QHash<QString, QSqlQuery> m_statements;
};

// BEGIN IMMEDIATE ... COMMIT, or a savepoint when a transaction is already open on the
// connection; rolled back on destruction unless committed. Immediate, so that two writers
// wait on the busy timeout instead of failing on a lock upgrade.
class Transaction final
{
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    // Whether the transaction began; error() says why not.
    bool ok() const { return m_active; }
    const Error &error() const { return m_error; }

    Result<void> commit();
    void rollback();

private:
    Database &m_db;
    QString m_savepoint; // empty for the outermost transaction
    Error m_error;
    bool m_active = false;
};

// Within its scope, commits on a durable database do not wait for the disk (synchronous=NORMAL:
// WAL keeps the file consistent; a power cut may lose these last commits). For writes that a
// later one supersedes or that matter less than the time: the text of an answer while it
// streams (saved every second, finished durably), usage counters. No effect inside a
// transaction, where the outer commit decides.
class RelaxedDurability final
{
public:
    explicit RelaxedDurability(Database &db);
    ~RelaxedDurability();
    Q_DISABLE_COPY_MOVE(RelaxedDurability)

private:
    Database &m_db;
    bool m_relaxed = false;
};

} // namespace confab
