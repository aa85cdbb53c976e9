#pragma once

#include "common/result.h"
#include "hostoptions.h"
#include "localadmin.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

namespace confab {

class SecretStore;
class Server;

// The team server hosted inside the app (DESIGN.md 5, embedded mode): a confab::Server on this
// thread's event loop, with the local user as its admin. The app uses it like any other
// server, through ServerClient and RemoteChatService on serverUrl(); nothing here is a
// shortcut past HTTP.
//
//   server.start(options, this, [](Result<QUrl> url) { ... sign in with adminCredentials() });
//   ... server.addresses() for teammates ...
//   server.stop(); // stopped() once every answer in flight is saved
class EmbeddedServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmbeddedServer)

public:
    enum class State { Stopped, Starting, Running, Stopping };

    // secrets keeps the admin's password (LocalAdmin::SecretKey); it must outlive this.
    explicit EmbeddedServer(SecretStore &secrets, QObject *parent = nullptr);
    // Stops at once if still running: answers in flight keep their text, marked incomplete.
    ~EmbeddedServer() override;

    // Makes sure the local admin exists, opens the database and listens. handler (on context's
    // thread, never synchronously) gets the loopback URL the app signs in to, or why it could
    // not start (port in use, database not writable, already running...).
    void start(const HostOptions &options, QObject *context,
               std::function<void(Result<QUrl>)> handler);
    // Stops taking connections, stops the answers in flight (their text is saved) and closes
    // the WebSockets; stopped() follows once the port and the database are released.
    void stop();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    // http://127.0.0.1:PORT while running.
    QUrl serverUrl() const { return m_url; }
    // Where teammates reach it (http://HOST:PORT for each non-loopback IPv4 address of this
    // computer), or only the loopback URL when it listens on this computer only.
    QList<QUrl> addresses() const;
    // Listening on the loopback address only: teammates cannot connect.
    bool isLocalOnly() const { return m_options.listenAddress.isLoopback(); }
    // What it runs with, the API key left out; meaningful while it runs.
    HostOptions options() const { return m_options; }
    // The local admin to sign in as; known once start() succeeded.
    AdminCredentials adminCredentials() const { return m_admin; }

signals:
    void stateChanged(confab::EmbeddedServer::State state);
    void stopped();

private:
    using StartHandler = std::function<void(Result<QUrl>)>;
    void launch(const HostOptions &options, bool passwordIsNew, StartHandler finish);
    Result<QUrl> listen(const HostOptions &options);
    void setState(State state);

    SecretStore &m_secrets;
    QPointer<Server> m_server;
    State m_state = State::Stopped;
    HostOptions m_options;
    QUrl m_url;
    AdminCredentials m_admin;
};

} // namespace confab
