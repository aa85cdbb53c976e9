// Renders every dialog of app/dialogs to PNG files, in the light and the dark theme, so a
// person can look at the layout: confab-dialog-screenshots [output folder]. Run it with
// QT_QPA_PLATFORM=offscreen. The dialogs talk to a FakeUpstream and a temporary database.

#include "api/provider.h"
#include "chat/localchatservice.h"
#include "dialogs/connectiondialog.h"
#include "dialogs/connectioneditor.h"
#include "dialogs/presetmanagerdialog.h"
#include "dialogs/secretstorefactory.h"
#include "dialogs/settingsdialog.h"
#include "dialogs/welcomedialog.h"
#include "fakeupstream.h"
#include "mainwindow/languageswitcher.h"
#include "presets/presetcatalog.h"
#include "secrets/memorysecretstore.h"
#include "settings/settings.h"
#include "settings/theme.h"
#include "storage/database.h"
#include "storage/userstore.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

QString g_folder;

void save(QWidget &widget, const QString &name)
{
    widget.show();
    QTest::qWait(100);
    const QString path = QDir(g_folder).filePath(name + u".png"_s);
    if (!widget.grab().save(path))
        qWarning("could not write %s", qPrintable(path));
    else
        qInfo("%s", qPrintable(path));
}

void fillCustom(QWidget &root, const QUrl &url, const QString &key)
{
    auto *provider = root.findChild<QComboBox *>(u"m_provider"_s);
    provider->setCurrentIndex(provider->findData(u"custom"_s));
    root.findChild<QLineEdit *>(u"m_baseUrl"_s)->setText(url.toString());
    root.findChild<QLineEdit *>(u"m_apiKey"_s)->setText(key);
}

void runCheck(ConnectionEditor *editor, const char *button)
{
    QSignalSpy finished(editor, &ConnectionEditor::checkFinished);
    editor->findChild<QPushButton *>(QString::fromLatin1(button))->click();
    finished.wait(10000);
}

void renderAll(const QString &theme, FakeUpstream &fake, Settings &settings, ChatService &service)
{
    {
        SecretStoreFactory::setProbeResultForTesting(false);
        WelcomeDialog dialog(settings);
        QTest::qWait(50);
        save(dialog, u"welcome-empty-"_s + theme);
        fillCustom(dialog, fake.baseUrl(), u"sk-wrong"_s);
        dialog.findChild<QComboBox *>(u"m_model"_s)->setEditText(u"fake-model"_s);
        dialog.findChild<QRadioButton *>(u"m_plainFile"_s)->click();
        runCheck(dialog.editor(), "m_testConnection");
        save(dialog, u"welcome-401-"_s + theme);
        dialog.findChild<QLineEdit *>(u"m_apiKey"_s)->setText(u"sk-good"_s);
        runCheck(dialog.editor(), "m_fetchModels");
        runCheck(dialog.editor(), "m_testConnection");
        save(dialog, u"welcome-ok-"_s + theme);
    }
    {
        SecretStoreFactory::setProbeResultForTesting(true);
        WelcomeDialog dialog(settings);
        QTest::qWait(50);
        auto *provider = dialog.findChild<QComboBox *>(u"m_provider"_s);
        provider->setCurrentIndex(provider->findData(u"openai"_s));
        save(dialog, u"welcome-keychain-"_s + theme);
    }
    MemorySecretStore secrets;
    {
        SettingsDialog dialog(settings, secrets);
        const auto pages = {std::pair{SettingsDialog::Page::Connections, u"connections"_s},
                            std::pair{SettingsDialog::Page::Appearance, u"appearance"_s},
                            std::pair{SettingsDialog::Page::Chat, u"chat"_s},
                            std::pair{SettingsDialog::Page::Network, u"network"_s}};
        for (const auto &[page, name] : pages) {
            dialog.showPage(page);
            save(dialog, u"settings-%1-%2"_s.arg(name, theme));
        }
        dialog.addConnection();
        ConnectionDialog *added = dialog.connectionDialog();
        fillCustom(*added, fake.baseUrl(), u"sk-good"_s);
        runCheck(added->editor(), "m_fetchModels");
        save(*added, u"connection-"_s + theme);
        added->reject();
    }
    {
        PresetManagerDialog dialog(service);
        if (!QTest::qWaitFor([&] { return !dialog.presets().isEmpty(); }, 5000))
            qFatal("the presets did not load");
        dialog.selectPreset(u"assistant"_s);
        save(dialog, u"presets-builtin-"_s + theme);
        for (const Preset &preset : dialog.presets()) {
            if (!preset.builtIn)
                dialog.selectPreset(preset.id);
        }
        save(dialog, u"presets-own-"_s + theme);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    g_folder = app.arguments().value(1, u"/tmp/confab-dialogs"_s);
    QDir().mkpath(g_folder);

    QTemporaryDir dir;
    FakeUpstream fake;
    fake.listen();
    fake.setRequiredApiKey(u"sk-good"_s);
    fake.setModels({u"fake-model"_s, u"fake-model-mini"_s, u"gpt-4o-mini"_s});

    Settings settings(dir.filePath(u"settings.ini"_s));
    Connection work;
    work.id = u"1"_s;
    work.name = u"Work"_s;
    work.providerId = u"openai"_s;
    work.baseUrl = QUrl(u"https://api.openai.com/v1"_s);
    work.model = u"gpt-4o-mini"_s;
    Connection home = work;
    home.id = u"2"_s;
    home.name = u"Qwen"_s;
    home.providerId = u"dashscope"_s;
    home.model = u"qwen-plus"_s;
    settings.setConnections({work, home});
    settings.setActiveConnectionId(work.id);

    auto database = Database::open(dir.filePath(u"confab.db"_s));
    if (!database)
        qFatal("%s", qPrintable(database.error().toString()));
    const auto user = UserStore(**database).ensureLocalUser();
    Provider provider(ProviderConfig{});
    LocalChatService::Options options;
    options.builtInPresets = PresetCatalog::builtIns(QLocale(QLocale::English));
    LocalChatService service(**database, provider, user->id, options);
    Preset own;
    own.name = u"Translator"_s;
    own.description = u"English ⇄ Chinese, keeps formatting"_s;
    own.icon = u"tech-expert"_s;
    own.systemPrompt = u"Translate the user's text between English and Chinese."_s;
    own.params.temperature = 0.2;
    own.params.maxTokens = 2048;
    bool saved = false;
    service.savePreset(own, &app, [&saved](Result<Preset>) { saved = true; });
    if (!QTest::qWaitFor([&] { return saved; }, 5000))
        qFatal("the preset was not saved");

    LanguageSwitcher language;
    for (const QString &code : {u"en"_s, u"zh_CN"_s}) {
        language.apply(code);
        service.setBuiltInPresets(PresetCatalog::builtIns(language.locale()));
        for (auto [theme, name] : {std::pair{Settings::Theme::Light, u"light"_s},
                                   std::pair{Settings::Theme::Dark, u"dark"_s}}) {
            Theme::apply(app, theme);
            renderAll(code == u"en"_s ? name : name + u"-zh"_s, fake, settings, service);
        }
    }
    return 0;
}
