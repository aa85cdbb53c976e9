#pragma once

#include "common/types.h"
#include "io/chatgptimporter.h"

#include <QMainWindow>

class QAction;
class QMenu;
class QLabel;
class QProgressDialog;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace confab {

class ChatService;
class ChatTab;
class ConversationSidebar;
class SecretStore;
class Settings;

// The main window: the conversation sidebar beside conversations in tabs, with the File,
// Presets and View menus. Open tabs and the window's geometry come back at the next start.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum class ExportFormat { Markdown, Json };

    MainWindow(ChatService &service, Settings &settings, SecretStore &secrets,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    // Reopens the tabs of the last session and the window's geometry.
    void restoreSession();
    // Focuses the conversation's tab, opening it if needed.
    ChatTab *openConversation(qint64 id);
    void newConversation();
    // A new tab named after the preset, which sends the preset's opening message.
    void startFromPreset(const Preset &preset);
    void closeTab(int index);

    // The menu actions' work, without their file dialogs (used by tests too).
    void importChatGptExport(const QString &path);
    void exportConversation(qint64 id, ExportFormat format, const QString &path);

    // The models the provider offers, for every tab's parameters panel.
    void setAvailableModels(const QStringList &models);

    // What the Server menu offers: signed in to a team server (as an admin or not), or not.
    struct ServerState
    {
        bool signedIn = false;
        bool admin = false;
        bool canHost = false; // this build can run a team server itself
    };
    void setServerState(const ServerState &state);
    // A notice across the window ("signed in elsewhere") with a button that signs in again;
    // empty text hides it. Tabs and their drafts stay as they are.
    void showSessionNotice(const QString &text);
    QString sessionNotice() const;
    // How the link to a team server stands ("reconnecting…"), shown beside the connection's
    // name in the status bar; empty when all is well.
    void setLinkStatus(const QString &status);

    QTabWidget *tabs() const { return m_tabs; }
    ConversationSidebar *sidebar() const { return m_sidebar; }
    ChatTab *tabFor(qint64 conversationId) const;

signals:
    // The outcome of importChatGptExport / exportConversation, also shown in the status bar.
    void importFinished(int imported, const QString &error);
    void exportFinished(bool ok, const QString &message);
    // The Server menu's commands, carried out by the application.
    void signInRequested();
    void signOutRequested();
    void hostServerRequested();
    void administerRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void retranslate();
    void reloadPresets();
    void rebuildPresetsMenu();
    void saveSession();
    void showStatus(const QString &message);
    void chooseExport(qint64 id);
    void chooseImport();
    void storeImport(const Result<ChatGptImport> &parsed);
    void updateEmptyState();
    void updateConnectionLabel();
    void openRestoredTabs(const QList<std::optional<Conversation>> &conversations, qint64 current);
    // The server keeps few conversations open: offers to close the oldest other tab and send.
    void offerToCloseTab(ChatTab *tab);
    QString tabToolTip(const QString &title) const;

    ChatService &m_service;
    Settings &m_settings;
    SecretStore &m_secrets;
    QList<Preset> m_presets;
    QStringList m_models;
    QString m_linkStatus;

    QSplitter *m_splitter;
    ConversationSidebar *m_sidebar;
    QStackedWidget *m_stack;
    QTabWidget *m_tabs;
    QWidget *m_emptyState;
    QLabel *m_emptyTitle;
    QLabel *m_emptyHint;
    QWidget *m_presetButtons;
    QLabel *m_connectionLabel;
    class NoticeBar *m_notice;
    QProgressDialog *m_importProgress = nullptr;

    QMenu *m_fileMenu;
    QMenu *m_presetsMenu;
    QMenu *m_viewMenu;
    QMenu *m_serverMenu;
    QMenu *m_helpMenu;
    QAction *m_newChatAction;
    QAction *m_closeTabAction;
    QAction *m_nextTabAction;
    QAction *m_previousTabAction;
    QAction *m_importAction;
    QAction *m_exportAction;
    QAction *m_settingsAction;
    QAction *m_quitAction;
    QAction *m_managePresetsAction;
    QAction *m_toggleSidebarAction;
    QAction *m_findAction;
    QAction *m_aboutAction;
    QAction *m_signInAction;
    QAction *m_signOutAction;
    QAction *m_hostAction;
    QAction *m_administerAction;
};

} // namespace confab
