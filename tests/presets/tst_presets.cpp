#include "presets/presetcatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

QByteArray file(const QJsonArray &presets, const QJsonValue &version = 1,
                const QJsonValue &format = u"confab.presets"_s)
{
    QJsonObject root{{u"presets"_s, presets}};
    if (!version.isUndefined())
        root.insert(u"version"_s, version);
    if (!format.isUndefined())
        root.insert(u"format"_s, format);
    return QJsonDocument(root).toJson();
}

QJsonObject validPreset()
{
    return {{u"name"_s, u"Translator"_s},
            {u"description"_s, u"English to Chinese"_s},
            {u"icon"_s, u"translate"_s},
            {u"system_prompt"_s, u"Translate everything into Chinese."_s},
            {u"opening_message"_s, u"Ready?"_s},
            {u"params"_s, QJsonObject{{u"temperature"_s, 0.3}}}};
}

bool hasCjk(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF)
            return true;
    }
    return false;
}

} // namespace

class PresetsTest final : public QObject
{
    Q_OBJECT

private slots:
    void shouldShipFourLocalisedBuiltIns_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::addColumn<QStringList>("names");
        const QStringList english{u"Assistant"_s, u"Creative writer"_s, u"Tech expert"_s,
                                  u"Casual chat"_s};
        const QStringList chinese{u"智能助手"_s, u"创意作家"_s, u"技术专家"_s, u"轻松聊天"_s};
        QTest::newRow("en_US") << QLocale(u"en_US"_s) << english;
        QTest::newRow("de_DE") << QLocale(u"de_DE"_s) << english;
        QTest::newRow("C") << QLocale::c() << english;
        QTest::newRow("zh_CN") << QLocale(u"zh_CN"_s) << chinese;
        QTest::newRow("zh_TW") << QLocale(u"zh_TW"_s) << chinese;
        QTest::newRow("zh") << QLocale(QLocale::Chinese) << chinese;
    }

    void shouldShipFourLocalisedBuiltIns()
    {
        QFETCH(QLocale, locale);
        QFETCH(QStringList, names);
        const QList<Preset> presets = PresetCatalog::builtIns(locale);
        QCOMPARE(presets.size(), 4);
        QStringList actualNames;
        for (const Preset &preset : presets) {
            actualNames.append(preset.name);
            QVERIFY(preset.builtIn);
            QVERIFY(!preset.icon.isEmpty());
            QVERIFY2(preset.systemPrompt.size() > 100, qUtf8Printable(preset.id));
            QVERIFY(!preset.openingMessage.isEmpty());
            QVERIFY(!preset.description.isEmpty());
            QCOMPARE(hasCjk(preset.systemPrompt), locale.language() == QLocale::Chinese);
            QCOMPARE(hasCjk(preset.openingMessage), locale.language() == QLocale::Chinese);
            QVERIFY(preset.params.temperature.has_value());
            QVERIFY(ChatParams::fromJson(preset.params.toJson()).ok());
        }
        QCOMPARE(actualNames, names);
        QCOMPARE(PresetCatalog::builtInIds(),
                 (QStringList{u"assistant"_s, u"creative-writer"_s, u"tech-expert"_s,
                              u"casual-chat"_s}));
    }

    void shouldTuneParametersToEachRole()
    {
        const auto assistant = PresetCatalog::builtIn(u"assistant"_s, QLocale(u"en"_s));
        const auto writer = PresetCatalog::builtIn(u"creative-writer"_s, QLocale(u"en"_s));
        const auto tech = PresetCatalog::builtIn(u"tech-expert"_s, QLocale(u"en"_s));
        QVERIFY(assistant && writer && tech);
        QVERIFY(*writer->params.temperature > *assistant->params.temperature);
        QVERIFY(*tech->params.temperature < *assistant->params.temperature);
        QVERIFY(writer->params.model.isEmpty()); // the connection chooses the model
        QCOMPARE(PresetCatalog::builtIn(u"no-such-preset"_s), std::nullopt);
        const auto chinese = PresetCatalog::builtIn(u"casual-chat"_s, QLocale(u"zh_CN"_s));
        QVERIFY(chinese);
        QCOMPARE(chinese->name, u"轻松聊天"_s);
        QCOMPARE(chinese->id, u"casual-chat"_s);
    }

    void shouldRoundTripExportedPresets()
    {
        QList<Preset> mine = PresetCatalog::builtIns(QLocale(u"zh_CN"_s));
        Preset own{u"3f1c0b9e-0000-4000-8000-000000000001"_s,
                   u"翻译官 Translator"_s,
                   u"中英互译"_s,
                   u"translate"_s,
                   u"把用户的话翻译成英文。\n保留 **Markdown**。"_s,
                   QString(),
                   {},
                   false};
        own.params.model = u"gpt-4o-mini"_s;
        own.params.maxTokens = 2048;
        own.params.stop = {u"###"_s};
        mine.append(own);

        const QByteArray exported = PresetCatalog::exportJson(mine);
        const QJsonObject root = QJsonDocument::fromJson(exported).object();
        QCOMPARE(root.value("format"_L1).toString(), u"confab.presets"_s);
        QCOMPARE(root.value("version"_L1).toInt(), 1);
        QVERIFY(!root.value("presets"_L1).toArray().first().toObject().contains("id"_L1));

        const auto imported = PresetCatalog::importJson(exported);
        QVERIFY2(imported.ok(), qUtf8Printable(imported.error().toString()));
        QCOMPARE(imported->size(), mine.size());
        QSet<QString> ids;
        for (qsizetype i = 0; i < mine.size(); ++i) {
            const Preset &got = imported->at(i);
            QVERIFY(!QUuid::fromString(got.id).isNull());
            QVERIFY(got.id != mine.at(i).id);
            ids.insert(got.id);
            QVERIFY(!got.builtIn);
            Preset expected = mine.at(i);
            expected.id = got.id;
            expected.builtIn = false;
            QCOMPARE(got, expected);
        }
        QCOMPARE(ids.size(), mine.size());
    }

    void shouldAcceptAnEmptyList()
    {
        const auto imported = PresetCatalog::importJson(file({}));
        QVERIFY(imported.ok());
        QVERIFY(imported->isEmpty());
    }

    void shouldDropIconsThatLookLikePaths()
    {
        QJsonObject preset = validPreset();
        preset.insert(u"icon"_s, u"../../etc/passwd"_s);
        QJsonObject fine = validPreset();
        fine.insert(u"icon"_s, u"my-icon_2.svg"_s);
        const auto imported = PresetCatalog::importJson(file({preset, fine}));
        QVERIFY(imported.ok());
        QCOMPARE(imported->at(0).icon, QString());
        QCOMPARE(imported->at(1).icon, u"my-icon_2.svg"_s);
    }

    void shouldRejectBadFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");

        auto with = [](const QString &key, const QJsonValue &value) {
            QJsonObject preset = validPreset();
            preset.insert(key, value);
            return preset;
        };
        QTest::newRow("malformed JSON")
            << QByteArray("{\"format\": \"confab.presets\",") << u"not valid JSON"_s;
        QTest::newRow("empty input") << QByteArray() << u"not valid JSON"_s;
        QTest::newRow("top level array") << QByteArray("[]") << u"JSON object"_s;
        QTest::newRow("missing format") << file({}, 1, QJsonValue::Undefined) << u"format"_s;
        QTest::newRow("other format")
            << file({}, 1, u"confab.conversation"_s) << u"confab.conversation"_s;
        QTest::newRow("missing version") << file({}, QJsonValue::Undefined) << u"version"_s;
        QTest::newRow("version as text") << file({}, u"1"_s) << u"version"_s;
        QTest::newRow("fractional version") << file({}, 1.5) << u"version"_s;
        QTest::newRow("newer version") << file({}, 2) << u"newer"_s;
        QTest::newRow("presets missing")
            << QJsonDocument(QJsonObject{{u"format"_s, u"confab.presets"_s}, {u"version"_s, 1}})
                   .toJson()
            << u"presets"_s;
        QTest::newRow("presets not an array")
            << QJsonDocument(QJsonObject{{u"format"_s, u"confab.presets"_s},
                                         {u"version"_s, 1},
                                         {u"presets"_s, QJsonObject()}})
                   .toJson()
            << u"presets"_s;
        QTest::newRow("preset not an object") << file({validPreset(), 5}) << u"preset 2"_s;
        QTest::newRow("preset without name") << file({with(u"name"_s, u"   "_s)}) << u"name"_s;
        QTest::newRow("name too long") << file({with(u"name"_s, QString(101, u'x'))}) << u"100"_s;
        QTest::newRow("name as number") << file({with(u"name"_s, 42)}) << u"name must be"_s;
        QTest::newRow("prompt as array")
            << file({with(u"system_prompt"_s, QJsonArray{u"a"_s})}) << u"system_prompt"_s;
        QTest::newRow("params as text") << file({with(u"params"_s, u"hot"_s)}) << u"params"_s;
        QTest::newRow("temperature out of range")
            << file({with(u"params"_s, QJsonObject{{u"temperature"_s, 3}})}) << u"temperature"_s;
        QTest::newRow("unknown parameter")
            << file({with(u"params"_s, QJsonObject{{u"api_key"_s, u"sk-x"_s}})}) << u"api_key"_s;
        QTest::newRow("bad parameter names its preset")
            << file({validPreset(), with(u"params"_s, QJsonObject{{u"top_p"_s, 7}})})
            << u"preset 2 (\"Translator\")"_s;
        QTest::newRow("system prompt too long")
            << file({with(u"system_prompt"_s, QString(100'001, u'x'))}) << u"system prompt"_s;
        QJsonArray many;
        for (int i = 0; i <= PresetCatalog::maxImportedPresets; ++i)
            many.append(validPreset());
        QTest::newRow("too many presets") << file(many) << u"more than"_s;
        QTest::newRow("huge file")
            << QByteArray(PresetCatalog::maxImportBytes + 1, ' ') << u"larger than"_s;
    }

    void shouldRejectBadFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        const auto imported = PresetCatalog::importJson(json);
        QVERIFY(!imported.ok());
        QCOMPARE(imported.error().code, ErrorCode::InvalidInput);
        QVERIFY2(imported.error().message.contains(mentions),
                 qUtf8Printable(imported.error().message));
    }
};

QTEST_GUILESS_MAIN(PresetsTest)
#include "tst_presets.moc"
