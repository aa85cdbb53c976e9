#pragma once

#include "common/result.h"

#include <QMap>
#include <QString>

#include <optional>

// The server's settings that admins change at run time, as key-value text.

namespace confab {

class Database;

class SettingsStore final
{
public:
    explicit SettingsStore(Database &db);

    // nullopt when the key was never set.
    Result<std::optional<QString>> get(const QString &key);
    Result<void> set(const QString &key, const QString &value);
    Result<void> remove(const QString &key);
    Result<QMap<QString, QString>> all();

private:
    Database &m_db;
};

} // namespace confab
