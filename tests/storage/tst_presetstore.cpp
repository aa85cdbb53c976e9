#include "storage/presetstore.h"
#include "storagetestutil.h"

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

class PresetStoreTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    qint64 m_alice = 0;
    qint64 m_bob = 0;

    static Preset preset(const QString &id, const QString &name)
    {
        Preset p;
        p.id = id;
        p.name = name;
        p.description = name + u" description"_s;
        p.icon = u"assistant"_s;
        p.systemPrompt = u"You are "_s + name;
        p.openingMessage = u"Hello from "_s + name;
        p.params.temperature = 0.5;
        p.params.model = u"gpt-4o"_s;
        return p;
    }

    static QStringList ids(const QList<Preset> &presets)
    {
        QStringList list;
        for (const Preset &p : presets)
            list.append(p.id);
        return list;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = openDatabase(m_dir->filePath(u"confab.db"_s));
        QVERIFY(m_db);
        m_alice = createUser(*m_db, u"alice"_s);
        m_bob = createUser(*m_db, u"bob"_s);
    }

    void cleanup()
    {
        m_db.reset();
        m_dir.reset();
    }

    void shouldReplaceServerPresetsInOrder()
    {
        PresetStore store(*m_db);
        Preset assistant = preset(u"assistant"_s, u"智能助手"_s);
        assistant.builtIn = true;
        QVERIFY(store.replaceServerPresets({assistant, preset(u"writer"_s, u"创意作家"_s)}).ok());
        auto server = store.serverPresets();
        QVERIFY(server.ok());
        QCOMPARE(ids(*server), (QStringList{u"assistant"_s, u"writer"_s}));
        QCOMPARE(server->constFirst(), assistant);

        QVERIFY(store
                    .replaceServerPresets({preset(u"casual"_s, u"轻松聊天"_s),
                                           preset(u"assistant"_s, u"Assistant"_s)})
                    .ok());
        QCOMPARE(ids(*store.serverPresets()), (QStringList{u"casual"_s, u"assistant"_s}));
        QCOMPARE(store.get(m_alice, u"assistant"_s)->name, u"Assistant"_s);
        QCOMPARE(store.get(m_alice, u"writer"_s).error().code, ErrorCode::NotFound);
    }

    void shouldRefuseInvalidServerPresets_data()
    {
        QTest::addColumn<QList<Preset>>("presets");
        QTest::newRow("no id") << QList<Preset>{preset({}, u"x"_s)};
        QTest::newRow("no name") << QList<Preset>{preset(u"x"_s, u"  "_s)};
        QTest::newRow("same id twice")
            << QList<Preset>{preset(u"x"_s, u"x"_s), preset(u"x"_s, u"y"_s)};
    }

    void shouldRefuseInvalidServerPresets()
    {
        QFETCH(QList<Preset>, presets);
        PresetStore store(*m_db);
        QVERIFY(store.replaceServerPresets({preset(u"kept"_s, u"Kept"_s)}).ok());
        QCOMPARE(store.replaceServerPresets(presets).error().code, ErrorCode::InvalidInput);
        QCOMPARE(ids(*store.serverPresets()), QStringList{u"kept"_s});
    }

    void shouldListServerPresetsThenTheUsersOwn()
    {
        PresetStore store(*m_db);
        QVERIFY(store.replaceServerPresets({preset(u"assistant"_s, u"Assistant"_s)}).ok());
        auto mine = store.upsert(m_alice, preset({}, u"My preset"_s));
        QVERIFY(mine.ok());
        QVERIFY(!mine->id.isEmpty());
        QVERIFY(!mine->builtIn);
        QVERIFY(store.upsert(m_alice, preset(u"second"_s, u"Second"_s)).ok());
        QVERIFY(store.upsert(m_bob, preset(u"bobs"_s, u"Bob's"_s)).ok());

        QCOMPARE(ids(*store.list(m_alice)), (QStringList{u"assistant"_s, mine->id, u"second"_s}));
        QCOMPARE(ids(*store.list(m_bob)), (QStringList{u"assistant"_s, u"bobs"_s}));
        QCOMPARE(*store.get(m_alice, mine->id), *mine);
    }

    void shouldUpdateTheUsersOwnPreset()
    {
        PresetStore store(*m_db);
        Preset mine = *store.upsert(m_alice, preset(u"mine"_s, u"Mine"_s));
        mine.name = u"Renamed"_s;
        mine.systemPrompt.clear();
        mine.params = {};
        QVERIFY(store.upsert(m_alice, mine).ok());
        auto read = store.get(m_alice, u"mine"_s);
        QCOMPARE(read->name, u"Renamed"_s);
        QCOMPARE(read->systemPrompt, QString());
        QVERIFY(read->params.isEmpty());
        QCOMPARE(store.list(m_alice)->size(), 1);

        QVERIFY(store.remove(m_alice, u"mine"_s).ok());
        QCOMPARE(store.get(m_alice, u"mine"_s).error().code, ErrorCode::NotFound);
    }

    void shouldProtectServerPresetsAndOtherUsersPresets()
    {
        PresetStore store(*m_db);
        QVERIFY(store.replaceServerPresets({preset(u"assistant"_s, u"Assistant"_s)}).ok());
        QVERIFY(store.upsert(m_alice, preset(u"mine"_s, u"Mine"_s)).ok());

        QCOMPARE(store.upsert(m_bob, preset(u"assistant"_s, u"Hijack"_s)).error().code,
                 ErrorCode::Conflict);
        QCOMPARE(store.remove(m_bob, u"assistant"_s).error().code, ErrorCode::NotFound);
        QCOMPARE(store.get(m_bob, u"mine"_s).error().code, ErrorCode::NotFound);
        QCOMPARE(store.remove(m_bob, u"mine"_s).error().code, ErrorCode::NotFound);
        // Bob's own "mine" is a different preset from Alice's.
        QVERIFY(store.upsert(m_bob, preset(u"mine"_s, u"Bob's mine"_s)).ok());
        QCOMPARE(store.get(m_alice, u"mine"_s)->name, u"Mine"_s);
        QCOMPARE(store.get(m_bob, u"mine"_s)->name, u"Bob's mine"_s);
        QCOMPARE(store.get(m_alice, u"assistant"_s)->name, u"Assistant"_s);
        QCOMPARE(store.serverPresets()->size(), 1);
    }
};

QTEST_GUILESS_MAIN(PresetStoreTest)
#include "tst_presetstore.moc"
