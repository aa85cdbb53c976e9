#include "api/provider.h"
#include "chat/chattab.h"
#include "chat/errorhint.h"
#include "chat/localchatservice.h"
#include "chat/messagelistmodel.h"
#include "chat/messageview.h"
#include "dialogs/connectiondialog.h"
#include "dialogs/messagebox.h"
#include "dialogs/presetmanagerdialog.h"
#include "dialogs/secretstorefactory.h"
#include "dialogs/serverlogindialog.h"
#include "dialogs/settingsdialog.h"
#include "dialogs/welcomedialog.h"
#include "mainwindow/conversationlistmodel.h"
#include "mainwindow/conversationsidebar.h"
#include "mainwindow/languageswitcher.h"
#include "mainwindow/mainwindow.h"
#include "presets/presetcatalog.h"
#include "secrets/memorysecretstore.h"
#include "settings/settings.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/messagestore.h"
#include "storage/userstore.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QFile>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>
#include <QTextEdit>
#include <QTimer>
#include <QXmlStreamReader>

#include <functional>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

// Visible strings by object path below the window, e.g. "SettingsDialog/m_theme/item 1".
using Strings = QMap<QString, QString>;

// Words that stay as they are in Chinese: names of products and of the English language (the
// language menu names each language in its own words), abbreviations, the Enter key, and
// "token", which Chinese AI interfaces use too.
const QStringList AllowedWords = {
    u"Confab"_s,  u"OpenAI"_s,  u"OpenRouter"_s, u"DeepSeek"_s, u"DashScope"_s, u"Qwen"_s,
    u"Ollama"_s,  u"ChatGPT"_s, u"GNOME"_s,      u"Keyring"_s,  u"KWallet"_s,   u"macOS"_s,
    u"Windows"_s, u"English"_s, u"API"_s,        u"URL"_s,      u"JSON"_s,      u"Markdown"_s,
    u"HTTP"_s,    u"HTTPS"_s,   u"Enter"_s,      u"token"_s,
};

// Strings that are values rather than text, by the end of their path.
const QStringList ValuePaths = {
    u"PresetManagerDialog[0]/m_icon:item"_s, // icon ids, which the user may also type
};

// The English words left in text once links, model ids and other identifiers, shortcuts,
// numbers, mnemonics and the allowed words are taken out.
QStringList englishWords(QString text)
{
    static const QRegularExpression neutral(
        uR"((?:https?|mailto)://\S+|\b(?:Ctrl|Shift|Alt|Meta)\+\S+|[\w.:/-]*[\d_/][\w.:/-]*)"
        uR"(|\b[a-z]+(?:[.-][a-z0-9]+)+\b|&(?=\w))"_s);
    static const QRegularExpression word(uR"([A-Za-z]{2,})"_s);
    text.remove(neutral);
    QStringList words;
    for (const auto &match : word.globalMatch(text)) {
        if (!AllowedWords.contains(match.captured()))
            words.append(match.captured());
    }
    return words;
}

QString plainText(const QString &text)
{
    return Qt::mightBeRichText(text) ? QTextDocumentFragment::fromHtml(text).toPlainText() : text;
}

// "parent/child": objectNames, or the class and its place among same-class siblings.
QString pathOf(const QObject *object, const QObject *root)
{
    QStringList parts;
    for (; object && object != root->parent(); object = object->parent()) {
        QString part = object->objectName();
        if (part.isEmpty()) {
            const char *className = object->metaObject()->className();
            int index = 0;
            if (object->parent()) {
                for (const QObject *sibling : object->parent()->children()) {
                    if (sibling == object)
                        break;
                    if (qstrcmp(sibling->metaObject()->className(), className) == 0)
                        ++index;
                }
            }
            part = u"%1[%2]"_s.arg(QString::fromLatin1(className)).arg(index);
        }
        parts.prepend(part);
    }
    return parts.join(u'/');
}

class Collector
{
public:
    explicit Collector(const QWidget &root)
        : m_root(root)
    {}

    Strings collect()
    {
        visit(&m_root);
        for (const QWidget *widget : m_root.findChildren<QWidget *>())
            visit(widget);
        return m_strings;
    }

private:
    void add(const QObject *object, const QString &what, const QString &text)
    {
        const QString plain = plainText(text).trimmed();
        if (!plain.isEmpty())
            m_strings.insert(pathOf(object, &m_root) + u':' + what, plain);
    }

    void visit(const QWidget *widget)
    {
        if (widget->isWindow())
            add(widget, u"windowTitle"_s, widget->windowTitle());
        add(widget, u"toolTip"_s, widget->toolTip());
        add(widget, u"statusTip"_s, widget->statusTip());
        if (auto *label = qobject_cast<const QLabel *>(widget))
            add(widget, u"text"_s, label->text());
        if (auto *button = qobject_cast<const QAbstractButton *>(widget))
            add(widget, u"text"_s, button->text());
        if (auto *group = qobject_cast<const QGroupBox *>(widget))
            add(widget, u"title"_s, group->title());
        if (auto *menu = qobject_cast<const QMenu *>(widget))
            add(widget, u"title"_s, menu->title());
        if (auto *edit = qobject_cast<const QLineEdit *>(widget))
            add(widget, u"placeholder"_s, edit->placeholderText());
        if (auto *edit = qobject_cast<const QPlainTextEdit *>(widget))
            add(widget, u"placeholder"_s, edit->placeholderText());
        if (auto *edit = qobject_cast<const QTextEdit *>(widget))
            add(widget, u"placeholder"_s, edit->placeholderText());
        if (auto *spin = qobject_cast<const QSpinBox *>(widget)) {
            add(widget, u"prefix"_s, spin->prefix());
            add(widget, u"suffix"_s, spin->suffix());
        }
        if (auto *spin = qobject_cast<const QAbstractSpinBox *>(widget))
            add(widget, u"specialValue"_s, spin->specialValueText());
        if (auto *combo = qobject_cast<const QComboBox *>(widget)) {
            add(widget, u"placeholder"_s, combo->placeholderText());
            for (int i = 0; i < combo->count(); ++i) {
                add(widget, u"item %1"_s.arg(i), combo->itemText(i));
                add(widget, u"item %1 toolTip"_s.arg(i),
                    combo->itemData(i, Qt::ToolTipRole).toString());
            }
        }
        if (auto *tabs = qobject_cast<const QTabBar *>(widget)) {
            for (int i = 0; i < tabs->count(); ++i) {
                add(widget, u"tab %1"_s.arg(i), tabs->tabText(i));
                add(widget, u"tab %1 toolTip"_s.arg(i), tabs->tabToolTip(i));
            }
        }
        if (auto *list = qobject_cast<const QListWidget *>(widget)) {
            for (int i = 0; i < list->count(); ++i) {
                add(widget, u"item %1"_s.arg(i), list->item(i)->text());
                add(widget, u"item %1 toolTip"_s.arg(i), list->item(i)->toolTip());
            }
        }
        if (auto *header = qobject_cast<const QHeaderView *>(widget); header && header->model()) {
            for (int i = 0; i < header->count(); ++i)
                add(widget, u"section %1"_s.arg(i),
                    header->model()->headerData(i, header->orientation()).toString());
        }
        const QList<QAction *> actions = widget->actions();
        for (int i = 0; i < actions.size(); ++i) {
            const QAction *action = actions.at(i);
            const QString what = u"action %1 "_s.arg(
                action->objectName().isEmpty() ? QString::number(i) : action->objectName());
            add(widget, what + u"text"_s, action->text());
            add(widget, what + u"toolTip"_s, action->toolTip());
            add(widget, what + u"statusTip"_s, action->statusTip());
        }
    }

    const QWidget &m_root;
    Strings m_strings;
};

Strings collect(const QWidget &root)
{
    return Collector(root).collect();
}

// The strings of the menu or modal dialog that open() shows (and waits for in exec()); the
// menu or dialog is closed as soon as they are read. inside() may go on from there instead.
enum class Opens { Menu, Dialog };

Strings whileOpen(Opens kind, const std::function<void()> &open,
                  const std::function<Strings(QWidget &)> &inside = {})
{
    Strings strings;
    QTimer poll;
    poll.setInterval(10);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        QWidget *shown = kind == Opens::Menu ? QApplication::activePopupWidget()
                                             : QApplication::activeModalWidget();
        if (!shown)
            return;
        poll.stop();
        strings = inside ? inside(*shown) : collect(*shown);
        shown->close();
    });
    poll.start();
    open();
    return strings;
}

// The texts of the message boxes that ask() asks (the MessageBox seam records them).
Strings messageBoxes(const std::function<void()> &ask)
{
    MessageBox::clearForTesting();
    ask();
    Strings strings;
    const QStringList asked = MessageBox::askedForTesting();
    for (int i = 0; i < asked.size(); ++i)
        strings.insert(u"MessageBox[%1]:text"_s.arg(i), asked.at(i));
    return strings;
}

// Waits for what a window loads asynchronously; a timeout ends the run loudly, since every
// check after it would fail for a reason that hides the real one.
template<typename Predicate>
void waitFor(Predicate ready, const char *what)
{
    if (!QTest::qWaitFor(ready))
        qFatal("timed out waiting for %s", what);
}

void settle(QWidget &widget)
{
    widget.resize(widget.sizeHint().expandedTo(QSize(900, 640)));
    widget.show();
    QTest::qWait(20);
}

// One app, with everything the windows stand on: settings with a connection, a database with
// a conversation (user question, model answer) and a preset of the user's.
class Fixture
{
public:
    Fixture()
        : m_settings(m_dir.filePath(u"confab.ini"_s))
    {
        Connection connection;
        connection.id = u"1"_s;
        connection.name = u"OpenAI"_s;
        connection.providerId = u"openai"_s;
        connection.baseUrl = QUrl(u"https://api.openai.com/v1"_s);
        connection.model = u"gpt-4o-mini"_s;
        m_settings.setConnections({connection});
        m_settings.setActiveConnectionId(connection.id);

        m_database = std::move(Database::open(m_dir.filePath(u"confab.db"_s))).value();
        m_userId = UserStore(*m_database).ensureLocalUser()->id;
        // No title: the tab and the sidebar show the app's own "New chat".
        m_conversationId = ConversationStore(*m_database).create(m_userId, Conversation{})->id;
        for (const Role role : {Role::User, Role::Assistant}) {
            Message message;
            message.conversationId = m_conversationId;
            message.role = role;
            message.content = u"42"_s;
            (void)MessageStore(*m_database).append(m_userId, message);
        }
        m_service = std::make_unique<LocalChatService>(*m_database, m_provider, m_userId,
                                                       LocalChatService::Options{});
        Preset own;
        own.name = u"Qwen"_s;
        own.systemPrompt = u"42"_s;
        bool saved = false;
        m_service->savePreset(own, qApp, [&saved](Result<Preset>) { saved = true; });
        waitFor([&] { return saved; }, "the preset to be saved");
    }

    // What Application does when the language changes.
    void setLanguage(const QString &language)
    {
        m_language.apply(language);
        m_service->setBuiltInPresets(PresetCatalog::builtIns(m_language.locale()));
    }

    Settings &settings() { return m_settings; }
    ChatService &service() { return *m_service; }
    SecretStore &secrets() { return m_secrets; }
    qint64 conversationId() const { return m_conversationId; }

private:
    QTemporaryDir m_dir;
    Settings m_settings;
    std::unique_ptr<Database> m_database;
    Provider m_provider{ProviderConfig{}};
    std::unique_ptr<LocalChatService> m_service;
    MemorySecretStore m_secrets;
    LanguageSwitcher m_language;
    qint64 m_userId = 0;
    qint64 m_conversationId = 0;
};

// The main window with the conversation open in a tab and the preset buttons loaded.
std::unique_ptr<MainWindow> mainWindow(Fixture &app)
{
    auto window = std::make_unique<MainWindow>(app.service(), app.settings(), app.secrets());
    window->setAvailableModels({u"gpt-4o-mini"_s});
    window->openConversation(app.conversationId());
    settle(*window);
    auto *presets = window->findChild<QWidget *>(u"m_presetButtons"_s);
    waitFor([&] { return presets->findChild<QAbstractButton *>() != nullptr; }, "the presets");
    waitFor([&] { return window->sidebar()->model()->rowCount() > 0; }, "the sidebar");
    auto *tab = qobject_cast<ChatTab *>(window->tabs()->currentWidget());
    waitFor([&] { return tab->model()->rowCount() == 2; }, "the messages");
    return window;
}

Strings shown(std::unique_ptr<QWidget> widget)
{
    settle(*widget);
    return collect(*widget);
}

Strings settingsPage(Fixture &app, SettingsDialog::Page page)
{
    SettingsDialog dialog(app.settings(), app.secrets());
    dialog.showPage(page);
    settle(dialog);
    return collect(dialog);
}

std::unique_ptr<QWidget> welcome(Fixture &app, bool keychain)
{
    SecretStoreFactory::setProbeResultForTesting(keychain);
    auto dialog = std::make_unique<WelcomeDialog>(app.settings());
    QTest::qWait(20); // the keychain's answer
    return dialog;
}

std::unique_ptr<PresetManagerDialog> presetManager(Fixture &app, bool own)
{
    auto dialog = std::make_unique<PresetManagerDialog>(app.service());
    waitFor([&] { return !dialog->presets().isEmpty(); }, "the presets");
    for (const Preset &preset : dialog->presets()) {
        if (preset.builtIn != own) {
            dialog->selectPreset(preset.id);
            break;
        }
    }
    return dialog;
}

// A right click on the sidebar's first conversation.
void sidebarMenu(MainWindow &window)
{
    QListView *list = window.sidebar()->findChild<QListView *>(u"m_conversationList"_s);
    emit list->customContextMenuRequested(list->visualRect(list->model()->index(0, 0)).center());
}

// A right click on a message of the open tab.
void messageMenu(MainWindow &window, int row)
{
    MessageView *view = qobject_cast<ChatTab *>(window.tabs()->currentWidget())->view();
    const QPoint at = view->visualRect(view->model()->index(row, 0)).center();
    QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
    QApplication::sendEvent(view->viewport(), &event);
}

Error sessionReplaced()
{
    Error error{ErrorCode::Unauthorized, u"Signed in on another device."_s, 401};
    error.serverCode = u"session_replaced"_s;
    return error;
}

// Every window, dialog, menu and message box of the app, built as the user sees it. A new
// dialog is one more line here.
struct Window
{
    const char *name;
    std::function<Strings(Fixture &)> render;
};

const QList<Window> &windows()
{
    static const QList<Window> all = {
        {"main window", [](Fixture &app) { return collect(*mainWindow(app)); }},
        {"main window: sidebar menu",
         [](Fixture &app) {
             auto window = mainWindow(app);
             return whileOpen(Opens::Menu, [&] { sidebarMenu(*window); });
         }},
        {"main window: rename conversation",
         [](Fixture &app) {
             auto window = mainWindow(app);
             return whileOpen(
                 Opens::Menu, [&] { sidebarMenu(*window); },
                 [](QWidget &menu) {
                     QAction *rename = menu.actions().at(1);
                     menu.close();
                     return whileOpen(Opens::Dialog, [rename] { rename->trigger(); });
                 });
         }},
        {"main window: question menu",
         [](Fixture &app) {
             auto window = mainWindow(app);
             return whileOpen(Opens::Menu, [&] { messageMenu(*window, 0); });
         }},
        {"main window: answer menu",
         [](Fixture &app) {
             auto window = mainWindow(app);
             return whileOpen(Opens::Menu, [&] { messageMenu(*window, 1); });
         }},
        {"main window: about box",
         [](Fixture &app) {
             auto window = mainWindow(app);
             return messageBoxes(
                 [&] { window->findChild<QAction *>(u"m_aboutAction"_s)->trigger(); });
         }},
        {"welcome, no keychain", [](Fixture &app) { return shown(welcome(app, false)); }},
        {"welcome, keychain", [](Fixture &app) { return shown(welcome(app, true)); }},
        {"connection dialog",
         [](Fixture &) { return shown(std::make_unique<ConnectionDialog>()); }},
        {"settings: connections",
         [](Fixture &app) { return settingsPage(app, SettingsDialog::Page::Connections); }},
        {"settings: appearance",
         [](Fixture &app) { return settingsPage(app, SettingsDialog::Page::Appearance); }},
        {"settings: chat",
         [](Fixture &app) { return settingsPage(app, SettingsDialog::Page::Chat); }},
        {"settings: network",
         [](Fixture &app) { return settingsPage(app, SettingsDialog::Page::Network); }},
        {"settings: remove connection",
         [](Fixture &app) {
             SettingsDialog dialog(app.settings(), app.secrets());
             dialog.findChild<QListWidget *>(u"m_connectionList"_s)->setCurrentRow(0);
             return messageBoxes([&] { dialog.removeConnection(); });
         }},
        {"server sign-in", [](Fixture &) { return shown(std::make_unique<ServerLoginDialog>()); }},
        {"server sign-in, new account",
         [](Fixture &) {
             auto dialog = std::make_unique<ServerLoginDialog>();
             dialog->findChild<QCheckBox *>(u"m_newAccount"_s)->setChecked(true);
             return shown(std::move(dialog));
         }},
        {"main window: signed in elsewhere",
         [](Fixture &app) {
             auto window = mainWindow(app);
             window->showSessionNotice(ErrorHint::forServerError(sessionReplaced()));
             return collect(*window);
         }},
        {"preset manager, built-in", [](Fixture &app) { return shown(presetManager(app, false)); }},
        {"preset manager, own", [](Fixture &app) { return shown(presetManager(app, true)); }},
        {"preset manager: delete",
         [](Fixture &app) {
             auto dialog = presetManager(app, true);
             return messageBoxes([&] { dialog->deletePreset(); });
         }},
        {"preset manager: discard",
         [](Fixture &app) {
             auto dialog = presetManager(app, false);
             dialog->newPreset();
             QTest::keyClicks(dialog->findChild<QLineEdit *>(u"m_name"_s), u"Qwen"_s);
             return messageBoxes([&] { dialog->newPreset(); });
         }},
    };
    return all;
}

} // namespace

// Every string the user can see has a Chinese translation: each window is built in English
// and in Chinese (the real .qm, through the real LanguageSwitcher), and a Chinese string that
// is still the English one, or holds English words, fails the test.
class TranslationsTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        MessageBox::clearForTesting();
        m_app = std::make_unique<Fixture>();
    }

    void cleanupTestCase()
    {
        m_app->setLanguage(u"en"_s);
        m_app.reset();
    }

    void shouldTranslateEveryVisibleString_data()
    {
        QTest::addColumn<int>("window");
        for (int i = 0; i < windows().size(); ++i)
            QTest::newRow(windows().at(i).name) << i;
    }

    void shouldTranslateEveryVisibleString()
    {
        QFETCH(int, window);
        const auto render = windows().at(window).render;
        m_app->setLanguage(u"en"_s);
        const Strings english = render(*m_app);
        m_app->setLanguage(u"zh_CN"_s);
        const Strings chinese = render(*m_app);
        m_app->setLanguage(u"en"_s);
        QVERIFY2(!chinese.isEmpty(), "the window showed no text at all");
        QCOMPARE(chinese.keys(), english.keys());

        QStringList untranslated;
        for (auto it = chinese.cbegin(); it != chinese.cend(); ++it) {
            const QStringList words = englishWords(it.value());
            const auto isValue = [&](const QString &path) { return it.key().contains(path); };
            if (words.isEmpty() || std::any_of(ValuePaths.cbegin(), ValuePaths.cend(), isValue))
                continue;
            const QString why = english.value(it.key()) == it.value()
                ? u"same as in English"_s
                : u"English words: "_s + words.join(u", "_s);
            untranslated.append(u"  %1 = \"%2\" (%3)"_s.arg(it.key(), it.value(), why));
        }
        QVERIFY2(untranslated.isEmpty(),
                 qPrintable(u"untranslated:\n"_s + untranslated.join(u'\n')));
    }

    void shouldHaveNoUnfinishedOrObsoleteTranslations()
    {
        QFile file(QStringLiteral(CONFAB_TRANSLATIONS_DIR "/confab_zh_CN.ts"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QString context;
        QString source;
        QStringList problems;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == "name"_L1)
                context = xml.readElementText();
            else if (xml.name() == "source"_L1)
                source = xml.readElementText();
            else if (xml.name() == "translation"_L1) {
                const QString type = xml.attributes().value("type"_L1).toString();
                if (!type.isEmpty())
                    problems.append(u"  %1 (%2): %3"_s.arg(type, context, source));
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY2(problems.isEmpty(), qPrintable(u"confab_zh_CN.ts:\n"_s + problems.join(u'\n')));
    }

private:
    std::unique_ptr<Fixture> m_app;
};

QTEST_MAIN(TranslationsTest)
#include "tst_translations.moc"
