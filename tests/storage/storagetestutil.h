#pragma once

#include "storage/database.h"
#include "storage/userstore.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// What every storage test needs: a real SQLite file in a temporary directory, users in it,
// and a clock the test controls.

namespace confab::testing {

inline std::unique_ptr<Database> openDatabase(const QString &path,
                                              const DatabaseOptions &options = {})
{
    auto opened = Database::open(path, options);
    if (!opened) {
        qWarning("could not open %s: %s", qPrintable(path), qPrintable(opened.error().toString()));
        return {};
    }
    return std::move(opened).value();
}

inline qint64 createUser(Database &db, const QString &name)
{
    User user;
    user.username = name;
    auto created = UserStore(db).create(user);
    if (!created) {
        qWarning("could not create user %s: %s", qPrintable(name),
                 qPrintable(created.error().toString()));
        return 0;
    }
    return created->id;
}

// A clock that only moves when the test says so.
class ManualClock
{
public:
    ManualClock()
        : m_now(QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC))
    {}
    Database::Clock function()
    {
        return [this] { return m_now; };
    }
    void advance(qint64 ms) { m_now = m_now.addMSecs(ms); }
    QDateTime now() const { return m_now; }

private:
    QDateTime m_now;
};

inline qint64 scalar(Database &db, const QString &sql)
{
    auto query = db.exec(sql, {}, QStringLiteral("test query"));
    if (!query || !query->next())
        return -1;
    return query->value(0).toLongLong();
}

// The start of most store tests: a fresh database file with two users, alice and bob, on a
// clock the test controls; a new one for every test function.
class StorageTestCase : public QObject
{
    Q_OBJECT

protected:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    ManualClock m_clock;
    qint64 m_alice = 0;
    qint64 m_bob = 0;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = openDatabase(m_dir->filePath(QStringLiteral("confab.db")));
        QVERIFY(m_db);
        m_db->setClock(m_clock.function());
        m_alice = createUser(*m_db, QStringLiteral("alice"));
        m_bob = createUser(*m_db, QStringLiteral("bob"));
        QVERIFY(m_alice > 0 && m_bob > 0);
    }

    void cleanup()
    {
        m_db.reset();
        m_dir.reset();
    }
};

} // namespace confab::testing
