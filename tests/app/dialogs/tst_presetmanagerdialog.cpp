#include "api/provider.h"
#include "chat/localchatservice.h"
#include "dialogs/filedialog.h"
#include "dialogs/messagebox.h"
#include "dialogs/presetmanagerdialog.h"
#include "dialogtestutil.h"
#include "presets/presetcatalog.h"
#include "storage/database.h"
#include "storage/userstore.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;
using confab::testing::child;

// The preset manager on the real LocalChatService over a temporary database.
class PresetManagerDialogTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        MessageBox::clearForTesting();
        FileDialog::clearForTesting();
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        auto opened = Database::open(m_dir->filePath(u"confab.db"_s));
        QVERIFY2(opened.ok(), qPrintable(opened.error().toString()));
        m_database = std::move(opened).value();
        auto user = UserStore(*m_database).ensureLocalUser();
        QVERIFY(user.ok());
        m_provider = std::make_unique<Provider>(ProviderConfig{});
        LocalChatService::Options options;
        options.builtInPresets = PresetCatalog::builtIns(QLocale(QLocale::English));
        m_service = std::make_unique<LocalChatService>(*m_database, *m_provider, user->id,
                                                       std::move(options));
        m_dialog = std::make_unique<PresetManagerDialog>(*m_service);
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
        QTRY_VERIFY(!m_dialog->presets().isEmpty());
    }

    void cleanup()
    {
        m_dialog.reset();
        m_service.reset();
        m_provider.reset();
        m_database.reset();
        m_dir.reset();
    }

    void shouldListBuiltInsReadOnlyAndMarked()
    {
        QCOMPARE(m_dialog->presets().size(), 4);
        auto *list = child<QListWidget>(m_dialog.get(), "m_presetList");
        QVERIFY(m_dialog->selectPreset(u"assistant"_s));
        QVERIFY(list->currentItem()->toolTip().startsWith(u"Built-in"_s));
        QVERIFY(list->currentItem()->font().italic());
        QVERIFY(child<QLabel>(m_dialog.get(), "m_builtInNote")->isVisible());
        QVERIFY(child<QLineEdit>(m_dialog.get(), "m_name")->isReadOnly());
        QVERIFY(child<QPlainTextEdit>(m_dialog.get(), "m_systemPrompt")->isReadOnly());
        QVERIFY(!child<QPushButton>(m_dialog.get(), "m_savePreset")->isEnabled());
        QVERIFY(!child<QPushButton>(m_dialog.get(), "m_deletePreset")->isEnabled());
        QVERIFY(child<QPushButton>(m_dialog.get(), "m_duplicatePreset")->isEnabled());
        QCOMPARE(m_dialog->editedPreset().name, u"Assistant"_s);
        QCOMPARE(child<QDoubleSpinBox>(m_dialog.get(), "m_temperature")->value(), 0.7);
    }

    void shouldCreateAPreset()
    {
        const Preset created = createPreset(u"Translator"_s);
        QVERIFY(!created.id.isEmpty());
        QVERIFY(!created.builtIn);
        const Preset stored = storedPreset(created.id);
        QCOMPARE(stored.name, u"Translator"_s);
        QCOMPARE(stored.description, u"English to Chinese"_s);
        QCOMPARE(stored.icon, u"tech-expert"_s);
        QCOMPARE(stored.systemPrompt, u"Translate everything into Chinese."_s);
        QCOMPARE(stored.openingMessage, u"Ready?"_s);
        QCOMPARE(stored.params.model, u"gpt-4o"_s);
        QCOMPARE(stored.params.temperature, std::optional(0.3));
        QCOMPARE(stored.params.topP, std::optional<double>());
        QCOMPARE(stored.params.maxTokens, std::optional(512));
        // The new preset is shown, selected and editable.
        auto *list = child<QListWidget>(m_dialog.get(), "m_presetList");
        QTRY_VERIFY(list->currentItem());
        QCOMPARE(list->currentItem()->data(Qt::UserRole).toString(), created.id);
        QVERIFY(!child<QLineEdit>(m_dialog.get(), "m_name")->isReadOnly());
        QVERIFY(child<QPushButton>(m_dialog.get(), "m_deletePreset")->isEnabled());
    }

    void shouldEditAPreset()
    {
        const Preset created = createPreset(u"Draft"_s);
        QTRY_VERIFY(m_dialog->selectPreset(created.id));
        auto *name = child<QLineEdit>(m_dialog.get(), "m_name");
        auto *save = child<QPushButton>(m_dialog.get(), "m_savePreset");
        QVERIFY(!save->isEnabled());
        name->selectAll();
        QTest::keyClicks(name, u"Final"_s);
        child<QDoubleSpinBox>(m_dialog.get(), "m_temperature")->setValue(1.2);
        child<QSpinBox>(m_dialog.get(), "m_maxTokens")->setValue(0);
        QVERIFY(save->isEnabled());
        QSignalSpy saved(m_dialog.get(), &PresetManagerDialog::presetSaved);
        save->click();
        QVERIFY(saved.wait(5000));
        const Preset stored = storedPreset(created.id);
        QCOMPARE(stored.name, u"Final"_s);
        QCOMPARE(stored.params.temperature, std::optional(1.2));
        QCOMPARE(stored.params.maxTokens, std::optional<int>());
        QCOMPARE(stored.systemPrompt, created.systemPrompt);
        QCOMPARE(m_dialog->presets().size(), 5);
    }

    void shouldAskForANameInsteadOfSaving()
    {
        child<QPushButton>(m_dialog.get(), "m_newPreset")->click();
        child<QPlainTextEdit>(m_dialog.get(), "m_systemPrompt")->setPlainText(u"Be brief."_s);
        child<QPushButton>(m_dialog.get(), "m_savePreset")->click();
        QTest::qWait(50);
        QVERIFY(child<QLabel>(m_dialog.get(), "m_status")->text().contains(u"name"_s));
        QCOMPARE(presetsInService().size(), 4);
    }

    void shouldShowTheServicesRefusalInline()
    {
        // The database refuses, as a full disk or a broken file would.
        auto refused = m_database->exec(u"CREATE TRIGGER refuse BEFORE INSERT ON presets "
                                        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"_s,
                                        {}, u"install a trigger"_s);
        QVERIFY2(refused.ok(), qPrintable(refused.error().toString()));
        child<QPushButton>(m_dialog.get(), "m_newPreset")->click();
        QTest::keyClicks(child<QLineEdit>(m_dialog.get(), "m_name"), u"Unlucky"_s);
        child<QPushButton>(m_dialog.get(), "m_savePreset")->click();
        auto *status = child<QLabel>(m_dialog.get(), "m_status");
        QTRY_VERIFY(!status->text().isEmpty());
        QVERIFY2(status->text().contains(u"could not be saved"_s), qPrintable(status->text()));
        QCOMPARE(presetsInService().size(), 4);
        QVERIFY(MessageBox::askedForTesting().isEmpty());
    }

    void shouldDeleteOnlyAfterAsking()
    {
        const Preset created = createPreset(u"Doomed"_s);
        QTRY_VERIFY(m_dialog->selectPreset(created.id));
        auto *remove = child<QPushButton>(m_dialog.get(), "m_deletePreset");
        MessageBox::setNextAnswerForTesting(QMessageBox::Cancel);
        remove->click();
        QTest::qWait(50);
        QCOMPARE(presetsInService().size(), 5);
        QCOMPARE(MessageBox::askedForTesting().size(), 1);
        QVERIFY(MessageBox::askedForTesting().first().contains(u"Doomed"_s));

        MessageBox::setNextAnswerForTesting(QMessageBox::Yes);
        remove->click();
        QTRY_COMPARE(presetsInService().size(), 4);
        QTRY_COMPARE(m_dialog->presets().size(), 4);
        QVERIFY(m_dialog->editedPreset().id != created.id);
    }

    void shouldAskBeforeDiscardingChanges()
    {
        const Preset created = createPreset(u"Mine"_s);
        QTRY_VERIFY(m_dialog->selectPreset(created.id));
        auto *name = child<QLineEdit>(m_dialog.get(), "m_name");
        name->selectAll();
        QTest::keyClicks(name, u"Changed"_s);

        MessageBox::setNextAnswerForTesting(QMessageBox::Cancel);
        QVERIFY(!m_dialog->selectPreset(u"assistant"_s));
        QCOMPARE(m_dialog->editedPreset().id, created.id);
        QCOMPARE(name->text(), u"Changed"_s);

        MessageBox::setNextAnswerForTesting(QMessageBox::Discard);
        QVERIFY(m_dialog->selectPreset(u"assistant"_s));
        QCOMPARE(name->text(), u"Assistant"_s);
        QCOMPARE(MessageBox::askedForTesting().size(), 2);
        QCOMPARE(storedPreset(created.id).name, u"Mine"_s);
    }

    void shouldDuplicateABuiltInIntoAnEditableCopy()
    {
        QVERIFY(m_dialog->selectPreset(u"tech-expert"_s));
        const Preset builtIn = m_dialog->editedPreset();
        child<QPushButton>(m_dialog.get(), "m_duplicatePreset")->click();
        QVERIFY(!child<QLineEdit>(m_dialog.get(), "m_name")->isReadOnly());
        QSignalSpy saved(m_dialog.get(), &PresetManagerDialog::presetSaved);
        child<QPushButton>(m_dialog.get(), "m_savePreset")->click();
        QVERIFY(saved.wait(5000));
        const auto copy = saved.first().first().value<Preset>();
        QVERIFY(copy.id != builtIn.id);
        QVERIFY(copy.name.contains(builtIn.name));
        QCOMPARE(storedPreset(copy.id).systemPrompt, builtIn.systemPrompt);
        QCOMPARE(storedPreset(copy.id).params, builtIn.params);
    }

    void shouldExportOwnPresetsAndImportThemAgain()
    {
        createPreset(u"Alpha"_s);
        createPreset(u"Beta"_s);
        const QString path = m_dir->filePath(u"exported.json"_s);
        FileDialog::setNextPathForTesting(path);
        QSignalSpy exportedSpy(m_dialog.get(), &PresetManagerDialog::exportFinished);
        child<QPushButton>(m_dialog.get(), "m_exportPresets")->click();
        QVERIFY(exportedSpy.wait(5000));
        QCOMPARE(exportedSpy.first().first().toInt(), 2);
        QVERIFY(child<QLabel>(m_dialog.get(), "m_status")->text().contains(u"exported.json"_s));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        auto exported = PresetCatalog::importJson(file.readAll());
        QVERIFY(exported.ok());
        QCOMPARE(exported->size(), 2);
        QCOMPARE(exported->at(0).name, u"Alpha"_s);
        QCOMPARE(exported->at(1).params.temperature, std::optional(0.3));

        FileDialog::setNextPathForTesting(path);
        QSignalSpy imported(m_dialog.get(), &PresetManagerDialog::importFinished);
        child<QPushButton>(m_dialog.get(), "m_importPresets")->click();
        QVERIFY(imported.wait(5000));
        QCOMPARE(imported.first().first().toInt(), 2);
        QTRY_COMPARE(presetsInService().size(), 8);
        QTRY_COMPARE(m_dialog->presets().size(), 8);
        QStringList names;
        for (const Preset &preset : presetsInService())
            names.append(preset.name);
        QCOMPARE(names.count(u"Alpha"_s), 2);
        QCOMPARE(names.count(u"Beta"_s), 2);
        QVERIFY(child<QLabel>(m_dialog.get(), "m_status")->text().contains(u"2"_s));
    }

    void shouldSayWhyAFileCannotBeImported()
    {
        const QString path = m_dir->filePath(u"broken.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"format":"confab.presets","version":1,"presets":[{"name":""}]})");
        file.close();
        FileDialog::setNextPathForTesting(path);
        child<QPushButton>(m_dialog.get(), "m_importPresets")->click();
        auto *status = child<QLabel>(m_dialog.get(), "m_status");
        QVERIFY2(status->text().contains(u"broken.json"_s), qPrintable(status->text()));
        QVERIFY(status->isVisible());
        QCOMPARE(presetsInService().size(), 4);

        FileDialog::setNextPathForTesting(m_dir->filePath(u"missing.json"_s));
        child<QPushButton>(m_dialog.get(), "m_importPresets")->click();
        QVERIFY2(status->text().contains(u"missing.json"_s), qPrintable(status->text()));
    }

    void shouldDoNothingWhenTheFileChooserIsCancelled()
    {
        createPreset(u"Kept"_s);
        child<QLabel>(m_dialog.get(), "m_status")->clear();
        FileDialog::setNextPathForTesting(QString());
        child<QPushButton>(m_dialog.get(), "m_exportPresets")->click();
        QTRY_COMPARE(FileDialog::askedForTesting().size(), 1);
        FileDialog::setNextPathForTesting(QString());
        child<QPushButton>(m_dialog.get(), "m_importPresets")->click();
        QCOMPARE(FileDialog::askedForTesting().size(), 2);
        QTest::qWait(50);
        QVERIFY(child<QLabel>(m_dialog.get(), "m_status")->text().isEmpty());
        QCOMPARE(presetsInService().size(), 5);
    }

    void shouldSayThereIsNothingToExport()
    {
        child<QPushButton>(m_dialog.get(), "m_exportPresets")->click();
        QTRY_VERIFY(!child<QLabel>(m_dialog.get(), "m_status")->text().isEmpty());
        QVERIFY(FileDialog::askedForTesting().isEmpty());
    }

private:
    Preset createPreset(const QString &name)
    {
        child<QPushButton>(m_dialog.get(), "m_newPreset")->click();
        auto *nameEdit = child<QLineEdit>(m_dialog.get(), "m_name");
        QTest::keyClicks(nameEdit, name);
        QTest::keyClicks(child<QLineEdit>(m_dialog.get(), "m_description"),
                         u"English to Chinese"_s);
        child<QComboBox>(m_dialog.get(), "m_icon")->setCurrentText(u"tech-expert"_s);
        child<QPlainTextEdit>(m_dialog.get(), "m_systemPrompt")
            ->setPlainText(u"Translate everything into Chinese."_s);
        child<QPlainTextEdit>(m_dialog.get(), "m_openingMessage")->setPlainText(u"Ready?"_s);
        QTest::keyClicks(child<QLineEdit>(m_dialog.get(), "m_model"), u"gpt-4o"_s);
        child<QDoubleSpinBox>(m_dialog.get(), "m_temperature")->setValue(0.3);
        child<QSpinBox>(m_dialog.get(), "m_maxTokens")->setValue(512);
        QSignalSpy saved(m_dialog.get(), &PresetManagerDialog::presetSaved);
        child<QPushButton>(m_dialog.get(), "m_savePreset")->click();
        if (!saved.wait(5000))
            return {};
        const auto created = saved.first().first().value<Preset>();
        // The list shows it once the dialog has reloaded.
        const bool listed = QTest::qWaitFor([&] {
            return std::any_of(m_dialog->presets().cbegin(), m_dialog->presets().cend(),
                               [&](const Preset &preset) { return preset.id == created.id; });
        });
        return listed ? created : Preset{};
    }

    QList<Preset> presetsInService()
    {
        std::optional<Result<QList<Preset>>> result;
        QObject context;
        m_service->presets(&context, [&result](Result<QList<Preset>> r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 5000) || !result->ok())
            return {};
        return result->value();
    }

    Preset storedPreset(const QString &id)
    {
        for (const Preset &preset : presetsInService()) {
            if (preset.id == id)
                return preset;
        }
        return {};
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<Provider> m_provider;
    std::unique_ptr<LocalChatService> m_service;
    std::unique_ptr<PresetManagerDialog> m_dialog;
};

QTEST_MAIN(PresetManagerDialogTest)
#include "tst_presetmanagerdialog.moc"
