#pragma once

#include "mainwindow/languageswitcher.h"

#include <QObject>

#include <memory>

namespace confab {

class Database;
class LocalChatService;
class MainWindow;
class Provider;
class SecretStore;
class Settings;

// The desktop app as a whole, in direct mode: settings, language, theme and proxy; the local
// database; the key store; the provider of the active connection; the chat service; the main
// window. It asks for a first connection when there is none.
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
    void applyProxy();
    // Points the provider at the active connection, with its key from the store.
    void applyConnection();
    void fetchModels();

    QString m_dataDirectory;
    std::unique_ptr<Settings> m_settings;
    LanguageSwitcher m_language;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<Provider> m_provider;
    std::unique_ptr<LocalChatService> m_service;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_userId = 0;
};

} // namespace confab
