#include "presetcatalog.h"

#include "common/logging.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUuid>

#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr auto kDefaultsResource = ":/confab/presets/defaults.json"_L1;
constexpr auto kDefaultsFormat = "confab.presets.defaults"_L1;

constexpr qsizetype kMaxDescription = 2'000;
constexpr qsizetype kMaxSystemPrompt = 100'000;
constexpr qsizetype kMaxOpeningMessage = 20'000;

Error invalid(const QString &message)
{
    return Error{ErrorCode::InvalidInput, message};
}

// The shipped file, parsed once; a broken resource is a build mistake, reported loudly.
const QJsonArray &defaultEntries()
{
    static const QJsonArray entries = [] {
        QFile file(kDefaultsResource);
        if (!file.open(QIODevice::ReadOnly)) {
            qCCritical(lcChat) << "built-in presets are missing from the resources";
            return QJsonArray();
        }
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
        const QJsonObject root = document.object();
        if (error.error != QJsonParseError::NoError
            || root.value("format"_L1).toString() != kDefaultsFormat) {
            qCCritical(lcChat) << "built-in presets file is malformed:" << error.errorString();
            return QJsonArray();
        }
        return root.value("presets"_L1).toArray();
    }();
    return entries;
}

bool prefersChinese(const QLocale &locale)
{
    return locale.language() == QLocale::Chinese;
}

std::optional<Preset> builtInFrom(const QJsonObject &entry, const QLocale &locale)
{
    QJsonObject texts = entry.value(prefersChinese(locale) ? "zh"_L1 : "en"_L1).toObject();
    if (texts.isEmpty())
        texts = entry.value("en"_L1).toObject();
    QJsonObject json = texts;
    json.insert(u"id"_s, entry.value("id"_L1));
    json.insert(u"icon"_s, entry.value("icon"_L1));
    json.insert(u"params"_s, entry.value("params"_L1));
    json.insert(u"built_in"_s, true);
    auto preset = Preset::fromJson(json);
    if (!preset || preset->id.isEmpty()) {
        qCCritical(lcChat) << "built-in preset" << entry.value("id"_L1).toString()
                           << "is invalid:" << preset.error().message;
        return std::nullopt;
    }
    return *preset;
}

// Icons name a resource the app looks up; anything that could be read as a path is dropped
// rather than failing the import over decoration.
QString sanitizedIcon(const QString &icon)
{
    static const QRegularExpression simpleName(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"_s);
    return simpleName.match(icon).hasMatch() && !icon.contains(".."_L1) ? icon : QString();
}

Result<Preset> importOne(const QJsonValue &value)
{
    if (!value.isObject())
        return invalid(u"is not a JSON object"_s);
    const QJsonObject json = value.toObject();

    for (const auto key :
         {"name"_L1, "description"_L1, "icon"_L1, "system_prompt"_L1, "opening_message"_L1}) {
        const QJsonValue field = json.value(key);
        if (!field.isUndefined() && !field.isNull() && !field.isString())
            return invalid(u"%1 must be a string"_s.arg(key));
    }
    const QJsonValue params = json.value("params"_L1);
    if (!params.isUndefined() && !params.isNull() && !params.isObject())
        return invalid(u"params must be an object"_s);

    auto parsed = Preset::fromJson(json);
    if (!parsed)
        return parsed.error();
    Preset preset = *std::move(parsed);

    if (preset.description.size() > kMaxDescription)
        return invalid(u"the description is longer than %1 characters"_s.arg(kMaxDescription));
    if (preset.systemPrompt.size() > kMaxSystemPrompt)
        return invalid(u"the system prompt is longer than %1 characters"_s.arg(kMaxSystemPrompt));
    if (preset.openingMessage.size() > kMaxOpeningMessage)
        return invalid(
            u"the opening message is longer than %1 characters"_s.arg(kMaxOpeningMessage));

    preset.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    preset.builtIn = false;
    preset.icon = sanitizedIcon(preset.icon);
    return preset;
}

} // namespace

QList<Preset> PresetCatalog::builtIns(const QLocale &locale)
{
    QList<Preset> presets;
    for (const QJsonValue &entry : defaultEntries()) {
        if (auto preset = builtInFrom(entry.toObject(), locale))
            presets.append(*std::move(preset));
    }
    return presets;
}

std::optional<Preset> PresetCatalog::builtIn(const QString &id, const QLocale &locale)
{
    for (const QJsonValue &entry : defaultEntries()) {
        if (entry.toObject().value("id"_L1).toString() == id)
            return builtInFrom(entry.toObject(), locale);
    }
    return std::nullopt;
}

QStringList PresetCatalog::builtInIds()
{
    QStringList ids;
    for (const QJsonValue &entry : defaultEntries())
        ids.append(entry.toObject().value("id"_L1).toString());
    return ids;
}

QByteArray PresetCatalog::exportJson(const QList<Preset> &presets)
{
    QJsonArray items;
    for (const Preset &preset : presets) {
        QJsonObject json = preset.toJson();
        json.remove("id"_L1);
        json.remove("built_in"_L1);
        items.append(json);
    }
    const QJsonObject root{{u"format"_s, exportFormat},
                           {u"version"_s, exportVersion},
                           {u"exported_at"_s, toIsoUtc(QDateTime::currentDateTimeUtc())},
                           {u"presets"_s, items}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<QList<Preset>> PresetCatalog::importJson(const QByteArray &json)
{
    if (json.size() > maxImportBytes)
        return invalid(u"the presets file is larger than %1 MiB"_s.arg(maxImportBytes >> 20));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return invalid(
            u"the presets file is not valid JSON: %1 at offset %2"_s.arg(parseError.errorString())
                .arg(parseError.offset));
    }
    if (!document.isObject())
        return invalid(u"the presets file must hold a JSON object"_s);
    const QJsonObject root = document.object();

    const QJsonValue format = root.value("format"_L1);
    if (format.toString() != exportFormat) {
        return invalid(u"not a Confab presets file (format is \"%1\", expected \"%2\")"_s.arg(
            format.isString() ? format.toString() : u"missing"_s, exportFormat));
    }
    const QJsonValue versionValue = root.value("version"_L1);
    const double version = versionValue.toDouble(-1);
    if (!versionValue.isDouble() || version < 1 || version != std::floor(version))
        return invalid(u"the presets file has no valid version number"_s);
    if (version > exportVersion) {
        return invalid(u"the presets file was written by a newer Confab (format version %1; "
                       "this one reads up to %2)"_s.arg(version)
                           .arg(exportVersion));
    }

    const QJsonValue items = root.value("presets"_L1);
    if (!items.isArray())
        return invalid(u"the presets file has no \"presets\" array"_s);
    const QJsonArray array = items.toArray();
    if (array.size() > maxImportedPresets)
        return invalid(u"the presets file holds more than %1 presets"_s.arg(maxImportedPresets));

    QList<Preset> presets;
    presets.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto preset = importOne(array.at(i));
        if (!preset) {
            const QString name = array.at(i).toObject().value("name"_L1).toString().trimmed();
            const QString where = name.isEmpty() ? u"preset %1"_s.arg(i + 1)
                                                 : u"preset %1 (\"%2\")"_s.arg(i + 1).arg(name);
            return invalid(where + u": "_s + preset.error().message);
        }
        presets.append(*std::move(preset));
    }
    return presets;
}

} // namespace confab
