#pragma once

#include "mainwindow/languageswitcher.h"
#include "settings/settings.h"

#include <QObject>

#include <memory>

namespace confab {

class ChatService;
class Database;
class EmbeddedServer;
class LocalChatService;
class MainWindow;
class Provider;
class SecretStore;
class ServerClient;
class TeamSession;

// The desktop app as a whole: settings, language, theme and proxy; the local database; the key
// store; the chat service of the active connection, local (a provider of the user's own) or
// remote (a team server, through TeamSession); the main window, built anew when the active
// connection moves to another place of history. It asks for a first connection when there
// is none.
class Application final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Application)

public:
    // dataDirectory holds the database (and, when given, the settings); empty = the platform's
    // usual places.
    explicit Application(const QString &dataDirectory, QObject *parent = nullptr);
    ~Application() override;

    // Opens everything and shows the main window once the key store answers; false when the
    // app cannot start (the user was told why).
    bool start();
    MainWindow *mainWindow() const { return m_window.get(); }

    // The program: parses the command line, runs the event loop.
    static int run(int argc, char *argv[]);

signals:
    // The main window is shown, or the user declined the first run (then the app quits).
    void started();

private:
    void continueWithSecrets(std::unique_ptr<SecretStore> secrets);
    void openMainWindow();
    void openLocalService();
    void openTeamService(const Connection &connection);
    void showWindow();
    void connectWindow();
    // The id of the place of history a connection opens: "" for this computer's.
    static QString historyOf(const std::optional<Connection> &connection);
    // Builds the window again for a connection with another history, once no dialog is open.
    void rebuildWhenIdle();
    void applyProxy();
    // Points the provider at the active connection, with its key from the store.
    void applyConnection();
    void fetchModels();
    void updateServerState();
    // Server menu commands.
    void signIn();
    void signOut();
    void administer();
    void hostServer();
    // Adds a signed-in server as a connection (named after the account and host unless a
    // name is given) and makes it the active one.
    void addServerConnection(std::unique_ptr<ServerClient> client, const QString &name = {});

    QString m_dataDirectory;
    std::unique_ptr<Settings> m_settings;
    LanguageSwitcher m_language;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<Provider> m_provider;
    // The team server this app runs, once asked (a pointer: builds without the server have no
    // such type); deleted after the window and the services are gone.
    EmbeddedServer *m_hosted = nullptr;
    std::unique_ptr<TeamSession> m_team;
    std::unique_ptr<ServerClient> m_pendingClient; // signed in, for the next team session
    std::unique_ptr<ChatService> m_service;
    LocalChatService *m_localService = nullptr; // m_service, in direct mode
    std::unique_ptr<MainWindow> m_window;
    QString m_windowHistory; // historyOf() the connection the window shows
    bool m_rebuildQueued = false;
    bool m_started = false;
    qint64 m_userId = 0;
};

} // namespace confab
