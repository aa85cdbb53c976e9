#include "presetstore.h"

#include "common/logging.h"
#include "database.h"

#include <QJsonDocument>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

const QString selectColumns
    = u"SELECT id, name, description, icon, system_prompt, opening_message, params, built_in "
      "FROM presets "_s;

Preset presetFromRow(const QSqlQuery &row)
{
    Preset preset;
    preset.id = row.value(0).toString();
    preset.name = row.value(1).toString();
    preset.description = row.value(2).toString();
    preset.icon = row.value(3).toString();
    preset.systemPrompt = row.value(4).toString();
    preset.openingMessage = row.value(5).toString();
    auto params
        = ChatParams::fromJson(QJsonDocument::fromJson(row.value(6).toString().toUtf8()).object());
    if (params)
        preset.params = *params;
    else
        qCWarning(lcDb) << "ignoring unreadable params of preset" << preset.id;
    preset.builtIn = row.value(7).toBool();
    return preset;
}

Result<void> validate(const Preset &preset)
{
    if (preset.name.trimmed().isEmpty())
        return Error{ErrorCode::InvalidInput, u"a preset needs a name"_s};
    if (preset.id.size() > 100)
        return Error{ErrorCode::InvalidInput, u"a preset id has at most 100 characters"_s};
    return {};
}

QString paramsText(const Preset &preset)
{
    return QString::fromUtf8(QJsonDocument(preset.params.toJson()).toJson(QJsonDocument::Compact));
}

} // namespace

PresetStore::PresetStore(Database &db)
    : m_db(db)
{}

Result<QList<Preset>> PresetStore::fetch(const QString &where, const QVariantList &values)
{
    auto query = m_db.exec(selectColumns + where, values, u"read the presets"_s);
    if (!query)
        return query.error();
    QList<Preset> presets;
    while (query->next())
        presets.append(presetFromRow(*query));
    return presets;
}

Result<QList<Preset>> PresetStore::list(qint64 userId)
{
    return fetch(u"WHERE user_id IS NULL OR user_id = ? "
                 "ORDER BY user_id IS NOT NULL, sort_order, created_at, pk"_s,
                 {userId});
}

Result<QList<Preset>> PresetStore::serverPresets()
{
    return fetch(u"WHERE user_id IS NULL ORDER BY sort_order, pk"_s, {});
}

Result<Preset> PresetStore::get(qint64 userId, const QString &id)
{
    auto found = fetch(u"WHERE id = ? AND (user_id IS NULL OR user_id = ?) "
                       "ORDER BY user_id IS NULL LIMIT 1"_s,
                       {id, userId});
    if (!found)
        return found.error();
    if (found->isEmpty())
        return Error{ErrorCode::NotFound, u"no such preset"_s};
    return found->constFirst();
}

Result<Preset> PresetStore::upsert(qint64 userId, const Preset &preset)
{
    if (auto valid = validate(preset); !valid)
        return valid.error();
    Preset saved = preset;
    saved.name = saved.name.trimmed();
    saved.builtIn = false; // only server-wide presets ship built in
    if (saved.id.isEmpty())
        saved.id = QUuid::createUuid().toString(QUuid::WithoutBraces);

    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    auto server = m_db.exec(u"SELECT 1 FROM presets WHERE user_id IS NULL AND id = ?"_s, {saved.id},
                            u"save the preset"_s);
    if (!server)
        return server.error();
    if (server->next())
        return Error{ErrorCode::Conflict, u"a server preset has the id %1"_s.arg(saved.id)};
    server->finish();

    const qint64 now = Database::toStoredTime(m_db.now());
    auto updated = m_db.exec(
        u"UPDATE presets SET name = ?, description = coalesce(?, ''), icon = coalesce(?, ''), "
        "system_prompt = coalesce(?, ''), opening_message = coalesce(?, ''), params = ?, updated_at = ? WHERE user_id = ? AND id = ?"_s,
        {saved.name, saved.description, saved.icon, saved.systemPrompt, saved.openingMessage,
         paramsText(saved), now, userId, saved.id},
        u"save the preset"_s);
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 0) {
        auto inserted = m_db.exec(
            u"INSERT INTO presets (id, user_id, name, description, icon, system_prompt, "
            "opening_message, params, built_in, sort_order, created_at, updated_at) "
            "VALUES (?, ?, ?, coalesce(?, ''), coalesce(?, ''), coalesce(?, ''), coalesce(?, ''), "
            "?, 0, "
            "(SELECT coalesce(max(sort_order), -1) + 1 FROM presets WHERE user_id = ?), ?, ?)"_s,
            {saved.id, userId, saved.name, saved.description, saved.icon, saved.systemPrompt,
             saved.openingMessage, paramsText(saved), userId, now, now},
            u"save the preset"_s);
        if (!inserted) {
            if (inserted.error().code == ErrorCode::Conflict)
                return Error{ErrorCode::NotFound, u"no such user"_s};
            return inserted.error();
        }
    }
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return saved;
}

Result<void> PresetStore::remove(qint64 userId, const QString &id)
{
    auto removed = m_db.exec(u"DELETE FROM presets WHERE user_id = ? AND id = ?"_s, {userId, id},
                             u"delete the preset"_s);
    if (!removed)
        return removed.error();
    if (removed->numRowsAffected() == 0)
        return Error{ErrorCode::NotFound, u"no such preset"_s};
    return {};
}

Result<void> PresetStore::replaceServerPresets(const QList<Preset> &presets)
{
    QSet<QString> ids;
    for (const Preset &preset : presets) {
        if (auto valid = validate(preset); !valid)
            return valid.error();
        if (preset.id.isEmpty())
            return Error{ErrorCode::InvalidInput, u"a server preset needs an id"_s};
        if (ids.contains(preset.id))
            return Error{ErrorCode::InvalidInput, u"two presets have the id %1"_s.arg(preset.id)};
        ids.insert(preset.id);
    }

    Transaction transaction(m_db);
    if (!transaction.ok())
        return transaction.error();
    // Keep the creation time of presets that stay.
    QHash<QString, qint64> created;
    {
        auto existing = m_db.exec(u"SELECT id, created_at FROM presets WHERE user_id IS NULL"_s, {},
                                  u"replace the server presets"_s);
        if (!existing)
            return existing.error();
        while (existing->next())
            created.insert(existing->value(0).toString(), existing->value(1).toLongLong());
    }
    if (auto cleared = m_db.exec(u"DELETE FROM presets WHERE user_id IS NULL"_s, {},
                                 u"replace the server presets"_s);
        !cleared)
        return cleared.error();

    auto insert
        = m_db.prepare(u"INSERT INTO presets (id, user_id, name, description, icon, system_prompt, "
                       "opening_message, params, built_in, sort_order, created_at, updated_at) "
                       "VALUES (?, NULL, ?, coalesce(?, ''), coalesce(?, ''), coalesce(?, ''), "
                       "coalesce(?, ''), ?, ?, "
                       "?, ?, ?)"_s,
                       u"replace the server presets"_s);
    if (!insert)
        return insert.error();
    const qint64 now = Database::toStoredTime(m_db.now());
    for (qsizetype i = 0; i < presets.size(); ++i) {
        const Preset &preset = presets.at(i);
        const QVariantList values{preset.id,
                                  preset.name.trimmed(),
                                  preset.description,
                                  preset.icon,
                                  preset.systemPrompt,
                                  preset.openingMessage,
                                  paramsText(preset),
                                  preset.builtIn ? 1 : 0,
                                  qint64(i),
                                  created.value(preset.id, now),
                                  now};
        for (int column = 0; column < values.size(); ++column)
            insert->bindValue(column, values.at(column));
        if (auto inserted = m_db.execPrepared(*insert, u"replace the server presets"_s); !inserted)
            return inserted.error();
    }
    insert->finish();
    return transaction.commit();
}

} // namespace confab
