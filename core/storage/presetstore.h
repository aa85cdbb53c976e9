#pragma once

#include "common/types.h"

// Presets a user sees: the server-wide ones (user_id NULL, set by admins or shipped defaults)
// and the user's own. A user can change only their own.

namespace confab {

class Database;

class PresetStore final
{
public:
    explicit PresetStore(Database &db);

    // Server-wide presets first (in their order), then the user's own (oldest first).
    Result<QList<Preset>> list(qint64 userId);
    Result<QList<Preset>> serverPresets();
    // The user's own preset or a server-wide one.
    Result<Preset> get(qint64 userId, const QString &id);
    // Creates or replaces one of the user's own presets; an empty id gets a new UUID. Conflict
    // when a server-wide preset has that id.
    Result<Preset> upsert(qint64 userId, const Preset &preset);
    // One of the user's own presets; a server-wide one is NotFound here.
    Result<void> remove(qint64 userId, const QString &id);
    // Replaces every server-wide preset, in this order, in one transaction.
    Result<void> replaceServerPresets(const QList<Preset> &presets);

private:
    Result<QList<Preset>> fetch(const QString &where, const QVariantList &values);

    Database &m_db;
};

} // namespace confab
