#include "settingsstore.h"

#include "database.h"

using namespace Qt::StringLiterals;

namespace confab {

SettingsStore::SettingsStore(Database &db)
    : m_db(db)
{}

Result<std::optional<QString>> SettingsStore::get(const QString &key)
{
    auto query = m_db.exec(u"SELECT value FROM settings WHERE key = ?"_s, {key},
                           u"read the setting %1"_s.arg(key));
    if (!query)
        return query.error();
    if (!query->next())
        return std::optional<QString>();
    return std::optional(query->value(0).toString());
}

Result<void> SettingsStore::set(const QString &key, const QString &value)
{
    if (key.isEmpty())
        return Error{ErrorCode::InvalidInput, u"a setting needs a name"_s};
    auto saved = m_db.exec(u"INSERT INTO settings (key, value) VALUES (?, coalesce(?, '')) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s,
                           {key, value}, u"save the setting %1"_s.arg(key));
    if (!saved)
        return saved.error();
    return {};
}

Result<void> SettingsStore::remove(const QString &key)
{
    auto removed = m_db.exec(u"DELETE FROM settings WHERE key = ?"_s, {key},
                             u"remove the setting %1"_s.arg(key));
    if (!removed)
        return removed.error();
    return {};
}

Result<QMap<QString, QString>> SettingsStore::all()
{
    auto query
        = m_db.exec(u"SELECT key, value FROM settings ORDER BY key"_s, {}, u"read the settings"_s);
    if (!query)
        return query.error();
    QMap<QString, QString> settings;
    while (query->next())
        settings.insert(query->value(0).toString(), query->value(1).toString());
    return settings;
}

} // namespace confab
