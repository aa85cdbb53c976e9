#include "../screenshotlooks.h"
#include "api/provider.h"
#include "chat/chattab.h"
#include "chat/localchatservice.h"
#include "chat/messagelistmodel.h"
#include "dialogs/messagebox.h"
#include "fakeupstream.h"
#include "mainwindow/conversationlistmodel.h"
#include "mainwindow/conversationsidebar.h"
#include "mainwindow/languageswitcher.h"
#include "mainwindow/mainwindow.h"
#include "presets/presetcatalog.h"
#include "secrets/memorysecretstore.h"
#include "settings/settings.h"
#include "settings/theme.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/messagestore.h"
#include "storage/userstore.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;

// The main window driven as a user would, against a real LocalChatService on a temporary
// database and the fake upstream on loopback.
class MainWindowTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        MessageBox::setNextAnswerForTesting(QMessageBox::Ok);
        MessageBox::clearForTesting();
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<Settings>(m_dir->filePath(u"confab.ini"_s));
        auto database = Database::open(m_dir->filePath(u"confab.db"_s));
        QVERIFY(database.ok());
        m_database = std::move(database).value();
        m_userId = UserStore(*m_database).ensureLocalUser()->id;
        m_upstream = std::make_unique<FakeUpstream>();
        QVERIFY(m_upstream->listen());
        ProviderConfig config;
        config.baseUrl = m_upstream->baseUrl();
        config.defaultModel = u"fake-model"_s;
        m_provider = std::make_unique<Provider>(config);
        LocalChatService::Options options;
        options.builtInPresets = PresetCatalog::builtIns(QLocale(QLocale::English));
        m_service = std::make_unique<LocalChatService>(*m_database, *m_provider, m_userId, options);
        m_secrets = std::make_unique<MemorySecretStore>();
        openWindow();
    }

    void cleanup()
    {
        m_window.reset();
        m_service.reset();
        m_provider.reset();
        m_upstream.reset();
        m_database.reset();
        m_settings.reset();
        m_dir.reset();
        m_language.apply(u"en"_s);
        Theme::apply(*qApp, Settings::Theme::Light);
    }

    void shouldOpenANamedTabThatSendsThePresetsOpeningMessage()
    {
        const auto writer = PresetCatalog::builtIn(u"creative-writer"_s, QLocale(QLocale::English));
        QVERIFY(writer && !writer->openingMessage.isEmpty());
        auto *button = m_window->findChild<QPushButton *>(u"presetButton_creative-writer"_s);
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);

        QTRY_COMPARE(m_window->tabs()->count(), 1);
        QCOMPARE(m_window->tabs()->tabText(0), writer->name);
        QVERIFY(m_upstream->waitForRequests(1));
        const QJsonArray sent = m_upstream->lastRequest().json().value("messages"_L1).toArray();
        QCOMPARE(sent.first()["content"_L1].toString(), writer->systemPrompt);
        QCOMPARE(sent.last()["content"_L1].toString(), writer->openingMessage);
        auto *tab = qobject_cast<ChatTab *>(m_window->tabs()->widget(0));
        QTRY_VERIFY(!tab->isStreaming() && tab->model()->rowCount() == 2);
    }

    void shouldOpenCycleAndCloseTabsFromTheKeyboard()
    {
        QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier);
        QTRY_COMPARE(m_window->tabs()->count(), 1);
        QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier);
        QTRY_COMPARE(m_window->tabs()->count(), 2);
        QCOMPARE(m_window->tabs()->currentIndex(), 1);
        QCOMPARE(m_window->tabs()->tabText(1), u"New chat"_s);

        QTest::keyClick(m_window.get(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(m_window->tabs()->currentIndex(), 0);
        QTest::keyClick(m_window.get(), Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(m_window->tabs()->currentIndex(), 1);

        QTest::keyClick(m_window.get(), Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(m_window->tabs()->count(), 1);
        // A middle click closes a tab as in a browser.
        QTabBar *bar = m_window->tabs()->tabBar();
        QTest::mouseClick(bar, Qt::MiddleButton, {}, bar->tabRect(0).center());
        QCOMPARE(m_window->tabs()->count(), 0);
        QVERIFY(m_window->findChild<QWidget *>(u"m_emptyState"_s)->isVisible());
        // Conversations closed before anything was said leave nothing behind.
        QTRY_COMPARE(conversationCount(), 0);
    }

    void shouldNameTheTabAfterTheFirstExchange()
    {
        m_window->newConversation();
        QTRY_COMPARE(m_window->tabs()->count(), 1);
        auto *tab = qobject_cast<ChatTab *>(m_window->tabs()->widget(0));
        m_upstream->enqueue(
            FakeResponse::chatStream({u"The Moon pulls the sea."_s}).withEventInterval(100ms));
        m_upstream->enqueue(FakeResponse::completion(u"Tides"_s));
        tab->send(u"How do tides work?"_s);
        // The first message names the tab at once, the model's title follows the answer.
        QTRY_COMPARE(m_window->tabs()->tabText(0), u"How do tides work?"_s);
        QTRY_COMPARE(m_window->tabs()->tabText(0), u"Tides"_s);
        QTRY_VERIFY(!tab->isStreaming());
    }

    void shouldRestoreOpenTabsAfterARestart()
    {
        const qint64 first = conversationWithMessage(u"first topic"_s);
        const qint64 second = conversationWithMessage(u"second topic"_s);
        m_window->openConversation(first);
        m_window->openConversation(second);
        m_window->tabs()->setCurrentIndex(0);
        m_window->close();
        m_window.reset();

        openWindow();
        QTRY_COMPARE(m_window->tabs()->count(), 2);
        QCOMPARE(qobject_cast<ChatTab *>(m_window->tabs()->widget(0))->conversationId(), first);
        QCOMPARE(qobject_cast<ChatTab *>(m_window->tabs()->widget(1))->conversationId(), second);
        QCOMPARE(m_window->tabs()->currentIndex(), 0);
        QTRY_COMPARE(m_window->tabs()->tabText(1), u"second topic"_s);
    }

    void shouldSearchConversationsAsTheUserTypes()
    {
        conversationWithMessage(u"Kyoto travel plan"_s);
        conversationWithMessage(u"Sourdough bread"_s, u"Feed the starter with rye flour"_s);
        ConversationListModel *model = m_window->sidebar()->model();
        model->reload();
        QTRY_COMPARE(model->rowCount(), 2);

        auto *search = m_window->sidebar()->findChild<QLineEdit *>(u"m_searchEdit"_s);
        QTest::keyClicks(search, u"kyoto"_s);
        QTRY_COMPARE(model->rowCount(), 1);
        QCOMPARE(model->index(0).data().toString(), u"Kyoto travel plan"_s);
        // Message text is searched too.
        search->setText(u"rye flour"_s);
        QTRY_COMPARE(model->index(0).data().toString(), u"Sourdough bread"_s);
        QTRY_COMPARE(model->rowCount(), 1);
        search->clear();
        QTRY_COMPARE(model->rowCount(), 2);
    }

    void shouldUndoADeletionWithinItsWindow()
    {
        const qint64 id = conversationWithMessage(u"keep me"_s);
        ConversationListModel *model = m_window->sidebar()->model();
        model->reload();
        QTRY_COMPARE(model->rowCount(), 1);

        m_window->sidebar()->deleteWithUndo(id);
        QCOMPARE(model->rowCount(), 0);
        auto *undo = m_window->sidebar()->findChild<QPushButton *>(u"m_undoButton"_s);
        QVERIFY(undo->isVisible());
        QTest::mouseClick(undo, Qt::LeftButton);
        QTRY_COMPARE(model->rowCount(), 1);
        QCOMPARE(conversationCount(), 1);

        m_window->sidebar()->deleteWithUndo(id);
        m_window->sidebar()->commitPendingDeletions();
        QTRY_COMPARE(conversationCount(), 0);
    }

    void shouldImportAChatGptExportAndListIt()
    {
        QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
        m_window->importChatGptExport(
            QStringLiteral(CONFAB_FIXTURES_DIR "/import/chatgpt_conversations.json"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.first().at(0).toInt(), 2);
        QTRY_COMPARE(m_window->sidebar()->model()->rowCount(), 2);
    }

    void shouldReportABrokenImportAndAddNothing()
    {
        const QString path = m_dir->filePath(u"broken.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"not\": \"an export\"");
        file.close();
        QSignalSpy finished(m_window.get(), &MainWindow::importFinished);
        m_window->importChatGptExport(path);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.first().at(0).toInt(), 0);
        QVERIFY(!finished.first().at(1).toString().isEmpty());
        QCOMPARE(conversationCount(), 0);
    }

    void shouldExportAConversation_data()
    {
        QTest::addColumn<MainWindow::ExportFormat>("format");
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("markdown") << MainWindow::ExportFormat::Markdown << u"chat.md"_s
                                  << QByteArray("# Exported topic");
        QTest::newRow("json") << MainWindow::ExportFormat::Json << u"chat.json"_s
                              << QByteArray("\"confab.conversation\"");
    }

    void shouldExportAConversation()
    {
        QFETCH(MainWindow::ExportFormat, format);
        QFETCH(QString, fileName);
        QFETCH(QByteArray, expected);
        const qint64 id = conversationWithMessage(u"Exported topic"_s, u"the question 问题"_s);
        const QString path = m_dir->filePath(fileName);
        QSignalSpy finished(m_window.get(), &MainWindow::exportFinished);
        m_window->exportConversation(id, format, path);
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(finished.first().at(0).toBool());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY2(written.contains(expected), written.constData());
        QVERIFY(written.contains(u"the question 问题"_s.toUtf8()));
    }

    void shouldSwitchLanguageAtRunTime()
    {
        auto *fileMenu = m_window->menuBar()->findChild<QMenu *>(u"m_fileMenu"_s);
        auto *emptyTitle = m_window->findChild<QLabel *>(u"m_emptyTitle"_s);
        QCOMPARE(fileMenu->title(), u"&File"_s);
        m_language.apply(u"zh_CN"_s);
        QTRY_COMPARE(fileMenu->title(), u"文件(&F)"_s);
        QCOMPARE(emptyTitle->text(), u"开始对话"_s);
        m_language.apply(u"en"_s);
        QTRY_COMPARE(fileMenu->title(), u"&File"_s);
    }

    void shouldPaintTheSidebarListInTheTheme_data()
    {
        QTest::addColumn<bool>("atStart");
        QTest::newRow("set at start") << true;
        QTest::newRow("changed while running") << false;
    }

    // The list's empty area shows the theme's base colour, whenever the theme was chosen.
    void shouldPaintTheSidebarListInTheTheme()
    {
        QFETCH(bool, atStart);
        if (atStart) {
            m_window.reset();
            Theme::apply(*qApp, Settings::Theme::Dark);
            openWindow();
        } else {
            Theme::apply(*qApp, Settings::Theme::Dark);
        }
        QVERIFY(sidebarListBackground().lightness() < 64);
        Theme::apply(*qApp, Settings::Theme::Light);
        QVERIFY(sidebarListBackground().lightness() > 192);
        Theme::apply(*qApp, Settings::Theme::Dark);
        QVERIFY(sidebarListBackground().lightness() < 64);
    }

    // Not a check: pictures of the window for people to look at (CONFAB_SCREENSHOT_DIR).
    void shouldRenderForScreenshots_data() { testing::addScreenshotLooks(); }

    void shouldRenderForScreenshots()
    {
        const QString directory = qEnvironmentVariable("CONFAB_SCREENSHOT_DIR");
        if (directory.isEmpty())
            QSKIP("set CONFAB_SCREENSHOT_DIR to write screenshots");
        QFETCH(QString, language);
        QFETCH(Settings::Theme, theme);
        m_language.apply(language);
        Theme::apply(*qApp, theme);
        conversationWithMessage(u"Vue3 新特性"_s, u"请介绍一下 Vue3 的新特性"_s);
        m_upstream->enqueue(
            FakeResponse::chatStream({u"Vue3 的主要新特性：\n\n| 特性 | 说明 |\n|---|---|\n| "
                                      u"Composition API | 组合式逻辑 |\n"
                                      u"| `<script setup>` | 更简洁 |\n\n```js\nimport { ref } "
                                      u"from 'vue'\nconst n = ref(0)\n```\n"
                                      u"\nSee [the docs](https://vuejs.org)."_s}));
        const auto tech = PresetCatalog::builtIn(u"tech-expert"_s, m_language.locale());
        m_window->startFromPreset(*tech);
        QTRY_COMPARE(m_window->tabs()->count(), 1);
        auto *tab = qobject_cast<ChatTab *>(m_window->tabs()->widget(0));
        QTRY_VERIFY_WITH_TIMEOUT(!tab->isStreaming() && tab->model()->rowCount() == 2, 10000);
        m_window->sidebar()->model()->reload();
        QTest::qWait(300);
        QDir().mkpath(directory);
        QVERIFY(m_window->grab().save(QDir(directory).filePath(
            u"mainwindow-%1.png"_s.arg(QString::fromLatin1(QTest::currentDataTag())))));
    }

private:
    void openWindow()
    {
        m_window = std::make_unique<MainWindow>(*m_service, *m_settings, *m_secrets);
        m_window->restoreSession();
        m_window->resize(1200, 760);
        m_window->show();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    qint64 conversationWithMessage(const QString &title, const QString &text = u"hello"_s)
    {
        Conversation conversation;
        conversation.title = title;
        const auto created = ConversationStore(*m_database).create(m_userId, conversation);
        Message message;
        message.conversationId = created->id;
        message.content = text;
        (void)MessageStore(*m_database).append(m_userId, message);
        return created->id;
    }

    QColor sidebarListBackground() const
    {
        auto *list = m_window->sidebar()->findChild<QListView *>(u"m_conversationList"_s);
        QCoreApplication::processEvents(); // a new palette reaches widgets through posted events
        const QImage image = list->viewport()->grab().toImage();
        return image.pixelColor(image.width() / 2, image.height() - 2);
    }

    int conversationCount()
    {
        return int(ConversationStore(*m_database).list(m_userId)->items.size());
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<FakeUpstream> m_upstream;
    std::unique_ptr<Provider> m_provider;
    std::unique_ptr<LocalChatService> m_service;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<MainWindow> m_window;
    LanguageSwitcher m_language;
    qint64 m_userId = 0;
};

QTEST_MAIN(MainWindowTest)
#include "tst_mainwindow.moc"
