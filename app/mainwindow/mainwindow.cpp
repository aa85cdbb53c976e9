#include "mainwindow.h"

#include "chat/chatservice.h"
#include "chat/chattab.h"
#include "chat/messagelistmodel.h"
#include "conversationlistmodel.h"
#include "conversationsidebar.h"
#include "dialogs/connectiondialog.h" // SettingsDialog keeps a QPointer to one
#include "dialogs/filedialog.h"
#include "dialogs/messagebox.h"
#include "dialogs/presetmanagerdialog.h"
#include "dialogs/settingsdialog.h"
#include "io/conversationexporter.h"
#include "noticebar.h"
#include "settings/settings.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMouseEvent>
#include <QProgressDialog>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr int MaxTabTitle = 28;
constexpr int StatusMilliseconds = 6000;

QString elided(const QString &title)
{
    return title.size() <= MaxTabTitle ? title : title.left(MaxTabTitle - 1) + u'…';
}

} // namespace

MainWindow::MainWindow(ChatService &service, Settings &settings, SecretStore &secrets,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_service(service)
    , m_settings(settings)
    , m_secrets(secrets)
    , m_splitter(new QSplitter(this))
    , m_sidebar(new ConversationSidebar(service, m_splitter))
    , m_stack(new QStackedWidget(m_splitter))
    , m_tabs(new QTabWidget(m_stack))
    , m_emptyState(new QWidget(m_stack))
    , m_emptyTitle(new QLabel(m_emptyState))
    , m_emptyHint(new QLabel(m_emptyState))
    , m_presetButtons(new QWidget(m_emptyState))
    , m_connectionLabel(new QLabel(this))
    , m_notice(new NoticeBar(this))
{
    setObjectName(u"MainWindow"_s);
    m_splitter->setObjectName(u"m_splitter"_s);
    m_sidebar->setObjectName(u"m_sidebar"_s);
    m_stack->setObjectName(u"m_stack"_s);
    m_tabs->setObjectName(u"m_tabs"_s);
    m_emptyState->setObjectName(u"m_emptyState"_s);
    m_emptyTitle->setObjectName(u"m_emptyTitle"_s);
    m_emptyHint->setObjectName(u"m_emptyHint"_s);
    m_presetButtons->setObjectName(u"m_presetButtons"_s);
    m_connectionLabel->setObjectName(u"m_connectionLabel"_s);
    m_notice->setObjectName(u"m_notice"_s);
    setWindowIcon(QIcon(u":/confab/icons/confab.svg"_s));

    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    m_tabs->setElideMode(Qt::ElideRight);
    m_tabs->tabBar()->installEventFilter(this);

    // The empty state offers what a first conversation needs: a new chat or a preset.
    QFont titleFont = m_emptyTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    m_emptyTitle->setFont(titleFont);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    new QGridLayout(m_presetButtons);
    auto *emptyLayout = new QVBoxLayout(m_emptyState);
    emptyLayout->addStretch(2);
    emptyLayout->addWidget(m_emptyTitle);
    emptyLayout->addWidget(m_emptyHint);
    emptyLayout->addSpacing(16);
    emptyLayout->addWidget(m_presetButtons, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(3);

    m_stack->addWidget(m_emptyState);
    m_stack->addWidget(m_tabs);
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(m_stack);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({260, 900});
    m_splitter->setChildrenCollapsible(false);
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_notice);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    connect(m_notice, &NoticeBar::actionTriggered, this, &MainWindow::signInRequested);
    statusBar()->addPermanentWidget(m_connectionLabel);

    createActions();
    retranslate();

    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (auto *tab = qobject_cast<ChatTab *>(m_tabs->currentWidget())) {
            m_sidebar->selectConversation(tab->conversationId());
            tab->setFocus();
        }
        updateEmptyState();
    });
    connect(m_sidebar, &ConversationSidebar::conversationActivated, this,
            &MainWindow::openConversation);
    connect(m_sidebar, &ConversationSidebar::exportRequested, this, &MainWindow::chooseExport);
    connect(m_sidebar, &ConversationSidebar::conversationDeleted, this, [this](qint64 id) {
        if (ChatTab *tab = tabFor(id))
            closeTab(m_tabs->indexOf(tab));
    });
    connect(&m_service, &ChatService::conversationRemoved, this, [this](qint64 id) {
        if (ChatTab *tab = tabFor(id))
            closeTab(m_tabs->indexOf(tab));
    });
    connect(&m_service, &ChatService::presetsChanged, this, &MainWindow::reloadPresets);
    connect(&m_settings, &Settings::connectionsChanged, this, &MainWindow::updateConnectionLabel);

    reloadPresets();
    updateConnectionLabel();
    updateEmptyState();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    const auto action = [this](const char *name, auto slot, const QKeySequence &shortcut = {}) {
        auto *created = new QAction(this);
        created->setObjectName(QString::fromLatin1(name));
        if (!shortcut.isEmpty())
            created->setShortcut(shortcut);
        connect(created, &QAction::triggered, this, slot);
        addAction(created); // shortcuts work while the menu bar is hidden too
        return created;
    };
    m_newChatAction = action(
        "m_newChatAction", [this] { newConversation(); }, QKeySequence(Qt::CTRL | Qt::Key_T));
    m_closeTabAction = action(
        "m_closeTabAction", [this] { closeTab(m_tabs->currentIndex()); },
        QKeySequence(Qt::CTRL | Qt::Key_W));
    m_nextTabAction = action(
        "m_nextTabAction",
        [this] {
            if (m_tabs->count() > 1)
                m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count());
        },
        QKeySequence(Qt::CTRL | Qt::Key_Tab));
    m_previousTabAction = action(
        "m_previousTabAction",
        [this] {
            if (m_tabs->count() > 1)
                m_tabs->setCurrentIndex((m_tabs->currentIndex() + m_tabs->count() - 1)
                                        % m_tabs->count());
        },
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab));
    m_importAction = action("m_importAction", [this] { chooseImport(); });
    m_exportAction = action(
        "m_exportAction",
        [this] {
            // One dialog offers both formats.
            if (auto *tab = qobject_cast<ChatTab *>(m_tabs->currentWidget()))
                chooseExport(tab->conversationId());
        },
        QKeySequence(Qt::CTRL | Qt::Key_E));
    m_settingsAction = action(
        "m_settingsAction",
        [this] {
            SettingsDialog dialog(m_settings, m_secrets, this);
            dialog.exec();
        },
        QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_quitAction = action(
        "m_quitAction", [this] { close(); }, QKeySequence::Quit);
    m_managePresetsAction = action("m_managePresetsAction", [this] {
        PresetManagerDialog dialog(m_service, this);
        dialog.exec();
        reloadPresets();
    });
    m_toggleSidebarAction = action(
        "m_toggleSidebarAction", [this](bool visible) { m_sidebar->setVisible(visible); },
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_toggleSidebarAction->setCheckable(true);
    m_toggleSidebarAction->setChecked(true);
    m_findAction = action(
        "m_findAction",
        [this] {
            m_sidebar->setVisible(true);
            m_toggleSidebarAction->setChecked(true);
            m_sidebar->focusSearch();
        },
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    m_aboutAction = action("m_aboutAction", [this] {
        MessageBox::information(this, tr("About Confab"),
                                tr("Confab %1\nA native client for OpenAI-compatible chat models.")
                                    .arg(QStringLiteral(CONFAB_VERSION)));
    });

    m_signInAction = action("m_signInAction", [this] { emit signInRequested(); });
    m_signOutAction = action("m_signOutAction", [this] { emit signOutRequested(); });
    m_hostAction = action("m_hostAction", [this] { emit hostServerRequested(); });
    m_administerAction = action("m_administerAction", [this] { emit administerRequested(); });

    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(u"m_fileMenu"_s);
    m_fileMenu->addAction(m_newChatAction);
    m_fileMenu->addAction(m_closeTabAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_importAction);
    m_fileMenu->addAction(m_exportAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_settingsAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);

    m_presetsMenu = menuBar()->addMenu(QString());
    m_presetsMenu->setObjectName(u"m_presetsMenu"_s);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->setObjectName(u"m_viewMenu"_s);
    m_viewMenu->addAction(m_toggleSidebarAction);
    m_viewMenu->addAction(m_findAction);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_nextTabAction);
    m_viewMenu->addAction(m_previousTabAction);

    m_serverMenu = menuBar()->addMenu(QString());
    m_serverMenu->setObjectName(u"m_serverMenu"_s);
    m_serverMenu->addAction(m_signInAction);
    m_serverMenu->addAction(m_signOutAction);
    m_serverMenu->addSeparator();
    m_serverMenu->addAction(m_hostAction);
    m_serverMenu->addAction(m_administerAction);
    setServerState({});

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->setObjectName(u"m_helpMenu"_s);
    m_helpMenu->addAction(m_aboutAction);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Confab"));
    m_fileMenu->setTitle(tr("&File"));
    m_presetsMenu->setTitle(tr("&Presets"));
    m_viewMenu->setTitle(tr("&View"));
    m_helpMenu->setTitle(tr("&Help"));
    m_serverMenu->setTitle(tr("Se&rver"));
    m_signInAction->setText(tr("Sign &In to a Team Server…"));
    m_signOutAction->setText(tr("Sign &Out"));
    m_hostAction->setText(tr("&Host a Team Server…"));
    m_administerAction->setText(tr("&Administer Server…"));
    m_newChatAction->setText(tr("&New Chat"));
    m_closeTabAction->setText(tr("&Close Tab"));
    m_nextTabAction->setText(tr("Next Tab"));
    m_previousTabAction->setText(tr("Previous Tab"));
    m_importAction->setText(tr("&Import ChatGPT Export…"));
    m_exportAction->setText(tr("&Export Conversation…"));
    m_settingsAction->setText(tr("&Settings…"));
    m_quitAction->setText(tr("&Quit"));
    m_managePresetsAction->setText(tr("&Manage Presets…"));
    m_toggleSidebarAction->setText(tr("Show &Sidebar"));
    m_findAction->setText(tr("&Search Conversations"));
    m_aboutAction->setText(tr("&About Confab"));
    m_emptyTitle->setText(tr("Start a conversation"));
    m_emptyHint->setText(tr("Press Ctrl+T for a new chat, or begin with a preset:"));
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *tab = qobject_cast<ChatTab *>(m_tabs->widget(i)); tab && tab->title().isEmpty())
            m_tabs->setTabText(i, tr("New chat"));
    }
    updateConnectionLabel();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        reloadPresets(); // built-in presets are named in the user's language
    }
    QMainWindow::changeEvent(event);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // Middle click closes a tab, as in browsers.
    if (watched == m_tabs->tabBar() && event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::MiddleButton) {
            const int index = m_tabs->tabBar()->tabAt(mouse->position().toPoint());
            if (index >= 0) {
                closeTab(index);
                return true;
            }
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::reloadPresets()
{
    m_service.presets(this, [this](Result<QList<Preset>> presets) {
        if (!presets) {
            showStatus(tr("Could not load presets: %1").arg(presets.error().message));
            return;
        }
        m_presets = *presets;
        rebuildPresetsMenu();
    });
}

void MainWindow::rebuildPresetsMenu()
{
    m_presetsMenu->clear();
    auto *grid = static_cast<QGridLayout *>(m_presetButtons->layout());
    while (QLayoutItem *item = grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    int index = 0;
    for (const Preset &preset : std::as_const(m_presets)) {
        QAction *open = m_presetsMenu->addAction(preset.name, this,
                                                 [this, preset] { startFromPreset(preset); });
        open->setToolTip(preset.description);
        open->setStatusTip(preset.description);
        if (index < 8) {
            auto *button = new QPushButton(preset.name, m_presetButtons);
            button->setObjectName(u"presetButton_"_s + preset.id);
            button->setToolTip(preset.description);
            button->setMinimumWidth(160);
            connect(button, &QPushButton::clicked, this,
                    [this, preset] { startFromPreset(preset); });
            grid->addWidget(button, index / 2, index % 2);
        }
        ++index;
    }
    m_presetsMenu->addSeparator();
    m_presetsMenu->addAction(m_managePresetsAction);
}

ChatTab *MainWindow::tabFor(qint64 conversationId) const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *tab = qobject_cast<ChatTab *>(m_tabs->widget(i));
        if (tab && tab->conversationId() == conversationId)
            return tab;
    }
    return nullptr;
}

ChatTab *MainWindow::openConversation(qint64 id)
{
    if (ChatTab *existing = tabFor(id)) {
        m_tabs->setCurrentWidget(existing);
        return existing;
    }
    auto *tab = new ChatTab(m_service, m_settings, id, m_tabs);
    tab->setObjectName(u"chatTab_%1"_s.arg(id));
    m_service.setConversationOpen(id, true);
    connect(tab, &ChatTab::conversationLimitReached, this, [this, tab] { offerToCloseTab(tab); });
    if (!m_models.isEmpty())
        tab->setModels(m_models);
    // The sidebar usually knows the title already; the tab follows its changes.
    const auto known = m_sidebar->model()->conversation(id);
    const QString title = known ? known->title : tab->title();
    const int index = m_tabs->addTab(tab, title.isEmpty() ? tr("New chat") : elided(title));
    m_tabs->setTabToolTip(index, tabToolTip(title));
    connect(tab, &ChatTab::titleChanged, this, [this, tab](const QString &newTitle) {
        const int at = m_tabs->indexOf(tab);
        if (at < 0)
            return;
        m_tabs->setTabText(at, newTitle.isEmpty() ? tr("New chat") : elided(newTitle));
        m_tabs->setTabToolTip(at, tabToolTip(newTitle));
    });
    m_tabs->setCurrentIndex(index);
    updateEmptyState();
    saveSession();
    return tab;
}

void MainWindow::newConversation()
{
    m_service.createConversation({}, this, [this](Result<Conversation> created) {
        if (!created)
            return showStatus(
                tr("Could not start a conversation: %1").arg(created.error().message));
        openConversation(created->id);
    });
}

void MainWindow::startFromPreset(const Preset &preset)
{
    NewConversation spec;
    spec.title = preset.name;
    spec.presetId = preset.id;
    spec.params = preset.params;
    m_service.createConversation(
        spec, this, [this, opening = preset.openingMessage](Result<Conversation> created) {
            if (!created)
                return showStatus(
                    tr("Could not start a conversation: %1").arg(created.error().message));
            ChatTab *tab = openConversation(created->id);
            if (!opening.trimmed().isEmpty())
                tab->send(opening);
        });
}

void MainWindow::closeTab(int index)
{
    auto *tab = qobject_cast<ChatTab *>(m_tabs->widget(index));
    if (!tab)
        return;
    // A conversation closed before anything was said leaves nothing behind.
    const qint64 id = tab->conversationId();
    const bool empty
        = tab->model()->rowCount() == 0 && tab->draft().trimmed().isEmpty() && !tab->isStreaming();
    m_tabs->removeTab(index);
    tab->deleteLater();
    m_service.setConversationOpen(id, false);
    if (empty)
        m_service.deleteConversation(id, this, {});
    updateEmptyState();
    saveSession();
}

void MainWindow::setAvailableModels(const QStringList &models)
{
    m_models = models;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *tab = qobject_cast<ChatTab *>(m_tabs->widget(i)))
            tab->setModels(models);
    }
}

QString MainWindow::tabToolTip(const QString &title) const
{
    // Which connection a conversation uses: this window's, named in every tab.
    const auto connection = m_settings.activeConnection();
    const QString via = connection ? tr("via %1").arg(connection->name) : QString();
    return title.isEmpty() ? via : title + u'\n' + via;
}

void MainWindow::offerToCloseTab(ChatTab *tab)
{
    ChatTab *oldest = nullptr;
    for (int i = 0; i < m_tabs->count() && !oldest; ++i) {
        auto *other = qobject_cast<ChatTab *>(m_tabs->widget(i));
        if (other && other != tab && !other->isStreaming())
            oldest = other;
    }
    if (!oldest)
        return;
    const QString name = oldest->title().isEmpty() ? tr("New chat") : oldest->title();
    const auto answer = MessageBox::question(
        this, tr("Too many open conversations"),
        tr("This team server keeps only a few conversations open at once. Close “%1” and send "
           "your message?")
            .arg(name),
        MessageBox::Buttons(QMessageBox::Yes | QMessageBox::Cancel), QMessageBox::Yes);
    if (answer != QMessageBox::Yes)
        return;
    closeTab(m_tabs->indexOf(oldest));
    m_tabs->setCurrentWidget(tab);
    tab->send(tab->draft());
}

void MainWindow::setServerState(const ServerState &state)
{
    m_signOutAction->setEnabled(state.signedIn);
    m_administerAction->setVisible(state.admin);
    m_hostAction->setVisible(state.canHost);
    m_importAction->setEnabled(m_service.canImport());
    m_managePresetsAction->setEnabled(m_service.canEditPresets());
}

void MainWindow::showSessionNotice(const QString &text)
{
    if (text.isEmpty())
        return m_notice->clearNotice();
    m_notice->showNotice(text, tr("Sign In Again…"));
}

QString MainWindow::sessionNotice() const
{
    return m_notice->text();
}

void MainWindow::updateEmptyState()
{
    m_stack->setCurrentWidget(m_tabs->count() > 0 ? static_cast<QWidget *>(m_tabs) : m_emptyState);
    m_closeTabAction->setEnabled(m_tabs->count() > 0);
    m_exportAction->setEnabled(m_tabs->count() > 0);
}

void MainWindow::updateConnectionLabel()
{
    const auto connection = m_settings.activeConnection();
    if (!connection) {
        m_connectionLabel->setText(tr("No connection"));
        return;
    }
    QString text = connection->model.isEmpty()
        ? connection->name
        : tr("%1 · %2").arg(connection->name, connection->model);
    if (!m_linkStatus.isEmpty())
        text = tr("%1 · %2").arg(text, m_linkStatus);
    m_connectionLabel->setText(text);
}

void MainWindow::setLinkStatus(const QString &status)
{
    m_linkStatus = status;
    updateConnectionLabel();
}

void MainWindow::showStatus(const QString &message)
{
    statusBar()->showMessage(message, StatusMilliseconds);
}

void MainWindow::restoreSession()
{
    if (!restoreGeometry(m_settings.windowGeometry()))
        resize(1100, 740);
    restoreState(m_settings.windowState());
    if (const QByteArray splitter = m_settings.splitterState(); !splitter.isEmpty())
        m_splitter->restoreState(splitter);

    const QList<qint64> ids = m_settings.openConversations();
    const qint64 current = m_settings.currentConversation();
    if (ids.isEmpty())
        return;
    // Ask for every conversation, then open those that still exist in their old order.
    auto answers = std::make_shared<QList<std::optional<Conversation>>>(ids.size());
    auto remaining = std::make_shared<qsizetype>(ids.size());
    for (qsizetype i = 0; i < ids.size(); ++i) {
        m_service.conversation(ids.at(i), this,
                               [this, i, answers, remaining, current](Result<Conversation> found) {
                                   if (found)
                                       (*answers)[i] = *found;
                                   if (--*remaining == 0)
                                       openRestoredTabs(*answers, current);
                               });
    }
}

void MainWindow::openRestoredTabs(const QList<std::optional<Conversation>> &conversations,
                                  qint64 current)
{
    for (const auto &conversation : conversations) {
        if (conversation && !conversation->archived)
            openConversation(conversation->id);
    }
    if (ChatTab *tab = tabFor(current))
        m_tabs->setCurrentWidget(tab);
}

void MainWindow::saveSession()
{
    QList<qint64> ids;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *tab = qobject_cast<ChatTab *>(m_tabs->widget(i)))
            ids.append(tab->conversationId());
    }
    const auto *current = qobject_cast<ChatTab *>(m_tabs->currentWidget());
    m_settings.setOpenConversations(ids, current ? current->conversationId() : 0);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSession();
    m_settings.setWindowGeometry(saveGeometry(), saveState());
    m_settings.setSplitterState(m_splitter->saveState());
    m_sidebar->commitPendingDeletions();
    QMainWindow::closeEvent(event);
}

void MainWindow::chooseImport()
{
    const QString path
        = FileDialog::openFileName(this, tr("Import a ChatGPT export"),
                                   tr("ChatGPT export (conversations.json *.json);;All files (*)"));
    if (!path.isEmpty())
        importChatGptExport(path);
}

void MainWindow::importChatGptExport(const QString &path)
{
    delete m_importProgress;
    m_importProgress = new QProgressDialog(tr("Reading %1…").arg(path), tr("Cancel"), 0, 0, this);
    m_importProgress->setObjectName(u"m_importProgress"_s);
    m_importProgress->setWindowTitle(tr("Import"));
    m_importProgress->setMinimumDuration(300);
    m_importProgress->setWindowModality(Qt::WindowModal);

    // Parsing a large export takes a while: it runs on a worker thread, reporting back here.
    QPointer<QProgressDialog> progress = m_importProgress;
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    connect(m_importProgress, &QProgressDialog::canceled, this, [cancelled] { *cancelled = true; });
    auto *watcher = new QFutureWatcher<Result<ChatGptImport>>(this);
    connect(watcher, &QFutureWatcher<Result<ChatGptImport>>::finished, this, [this, watcher] {
        watcher->deleteLater();
        storeImport(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([path, progress, cancelled] {
        return ChatGptImporter::parseFile(
            path, [progress, cancelled](qsizetype done, qsizetype total) {
                QMetaObject::invokeMethod(progress, [progress, done, total] {
                    if (!progress)
                        return;
                    progress->setMaximum(int(total));
                    progress->setValue(int(done));
                });
                return !cancelled->load();
            });
    }));
}

void MainWindow::storeImport(const Result<ChatGptImport> &parsed)
{
    if (!parsed) {
        delete m_importProgress;
        const QString message = parsed.error().code == ErrorCode::Cancelled
            ? tr("The import was cancelled; nothing was added.")
            : tr("The file could not be imported: %1").arg(parsed.error().message);
        showStatus(message);
        if (parsed.error().code != ErrorCode::Cancelled)
            MessageBox::warning(this, tr("Import"), message);
        emit importFinished(0, message);
        return;
    }
    if (m_importProgress) {
        m_importProgress->setLabelText(
            tr("Saving %n conversation(s)…", nullptr, int(parsed->conversations.size())));
        m_importProgress->setCancelButton(nullptr); // storing is all or nothing, and quick
    }
    const int skipped = parsed->skipped;
    QPointer<QProgressDialog> progress = m_importProgress;
    m_service.importConversations(
        parsed->conversations,
        [progress](qsizetype done, qsizetype total) {
            if (!progress)
                return;
            progress->setMaximum(int(total));
            progress->setValue(int(done));
        },
        this,
        [this, skipped](Result<int> imported) {
            delete m_importProgress;
            if (!imported) {
                const QString message = tr("The import failed and nothing was added: %1")
                                            .arg(imported.error().message);
                MessageBox::warning(this, tr("Import"), message);
                emit importFinished(0, message);
                return;
            }
            QString message = tr("Imported %n conversation(s).", nullptr, *imported);
            if (skipped > 0)
                message += u' ' + tr("%n could not be read and were skipped.", nullptr, skipped);
            showStatus(message);
            emit importFinished(*imported, QString());
        });
}

void MainWindow::chooseExport(qint64 id)
{
    m_service.conversation(id, this, [this](Result<Conversation> conversation) {
        if (!conversation)
            return showStatus(conversation.error().message);
        const QString markdownFilter = tr("Markdown (*.md)");
        const QString jsonFilter = tr("JSON (*.json)");
        const QString path = FileDialog::saveFileName(
            this, tr("Export conversation"),
            ConversationExporter::suggestedFileName(*conversation, u"md"),
            markdownFilter + u";;"_s + jsonFilter);
        if (path.isEmpty())
            return;
        const ExportFormat format = path.endsWith(u".json"_s, Qt::CaseInsensitive)
            ? ExportFormat::Json
            : ExportFormat::Markdown;
        exportConversation(conversation->id, format, path);
    });
}

void MainWindow::exportConversation(qint64 id, ExportFormat format, const QString &path)
{
    m_service.conversation(id, this, [this, format, path](Result<Conversation> conversation) {
        if (!conversation)
            return emit exportFinished(false, conversation.error().message);
        m_service.allMessages(
            conversation->id, this,
            [this, format, path, conversation = *conversation](Result<QList<Message>> messages) {
                if (!messages)
                    return emit exportFinished(false, messages.error().message);
                const QByteArray bytes = format == ExportFormat::Json
                    ? ConversationExporter::toJson(conversation, *messages)
                    : ConversationExporter::toMarkdown(conversation, *messages).toUtf8();
                QSaveFile file(path);
                if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()
                    || !file.commit()) {
                    const QString message
                        = tr("Could not write %1: %2").arg(path, file.errorString());
                    MessageBox::warning(this, tr("Export"), message);
                    return emit exportFinished(false, message);
                }
                const QString message = tr("Exported to %1").arg(path);
                showStatus(message);
                emit exportFinished(true, message);
            });
    });
}

} // namespace confab
