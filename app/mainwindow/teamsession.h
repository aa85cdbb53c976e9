#pragma once

#include "settings/settings.h"

#include <QObject>

#include <functional>
#include <memory>

class QWidget;

namespace confab {

class SecretStore;
class ServerClient;
struct Error;
struct ServerUser;

// The app's side of one team-server connection: the ServerClient, its refresh token kept in
// the SecretStore under the connection's key (rotated with every renewal, removed when the
// session ends), and signing in again, by dialog, when there is no session.
class TeamSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TeamSession)

public:
    // client: one already signed in (just now, by dialog), or null to make one.
    TeamSession(const Connection &connection, SecretStore &secrets,
                std::unique_ptr<ServerClient> client, QObject *parent = nullptr);
    ~TeamSession() override;

    const Connection &connection() const { return m_connection; }
    ServerClient &client() const { return *m_client; }

    // Takes the refresh token kept from the last run (the first call renews it), then ready();
    // with none kept, ready() still runs and signedOut() says why.
    void restore(std::function<void()> ready);
    // The sign-in dialog for this account; true when signed in again.
    bool signIn(QWidget *parent, const QString &reason);

signals:
    // There is no session (none kept, or the server ended it): the text says why.
    void signedOut(const QString &why);
    void signedIn(const confab::ServerUser &user);

private:
    void keepToken(const QString &token);

    Connection m_connection;
    SecretStore &m_secrets;
    std::unique_ptr<ServerClient> m_client;
};

} // namespace confab
