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

} // namespace confab::testing
