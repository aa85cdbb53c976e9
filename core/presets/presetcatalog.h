#pragma once

#include "common/result.h"
#include "common/types.h"

#include <QByteArray>
#include <QList>
#include <QLocale>
#include <QStringList>

#include <optional>

namespace confab {

// The presets Confab ships (read from resources/presets/defaults.json, in English or Chinese)
// and the file format in which users export their own presets and import other people's.
class PresetCatalog
{
public:
    static constexpr auto exportFormat = QLatin1StringView("confab.presets");
    static constexpr int exportVersion = 1;
    static constexpr int maxImportedPresets = 500;
    static constexpr qsizetype maxImportBytes = 8 * 1024 * 1024;

    // assistant, creative-writer, tech-expert, casual-chat: Chinese texts for a zh* locale,
    // English otherwise.
    static QList<Preset> builtIns(const QLocale &locale = QLocale());
    static std::optional<Preset> builtIn(const QString &id, const QLocale &locale = QLocale());
    static QStringList builtInIds();

    // {"format":"confab.presets","version":1,"presets":[...]}; ids and the built-in flag
    // are left out, since an import gives every preset a fresh identity.
    static QByteArray exportJson(const QList<Preset> &presets);
    // Reads exportJson's format. Every preset is validated (names, text lengths, parameter
    // ranges) and gets a new UUID id with builtIn = false; the first problem fails the whole
    // import with an InvalidInput error that says where it is.
    static Result<QList<Preset>> importJson(const QByteArray &json);
};

} // namespace confab
