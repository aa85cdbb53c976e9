#include "teamsession.h"

#include "chat/errorhint.h"
#include "common/logging.h"
#include "dialogs/serverlogindialog.h"
#include "remote/serverclient.h"
#include "secrets/secretstore.h"

namespace confab {

TeamSession::TeamSession(const Connection &connection, SecretStore &secrets,
                         std::unique_ptr<ServerClient> client, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_secrets(secrets)
    , m_client(client ? std::move(client) : std::make_unique<ServerClient>(connection.baseUrl))
{
    connect(m_client.get(), &ServerClient::refreshTokenChanged, this, &TeamSession::keepToken);
    connect(m_client.get(), &ServerClient::signedIn, this, &TeamSession::signedIn);
    connect(m_client.get(), &ServerClient::sessionEnded, this,
            [this](const Error &reason) { emit signedOut(ErrorHint::describe(reason)); });
    if (m_client->isSignedIn())
        keepToken(m_client->refreshToken());
}

TeamSession::~TeamSession() = default;

void TeamSession::restore(std::function<void()> ready)
{
    if (m_client->isSignedIn())
        return ready();
    m_secrets.read(
        m_connection.secretKey(), this, [this, ready = std::move(ready)](Result<QString> token) {
            if (token && !token->isEmpty())
                m_client->setRefreshToken(*token);
            ready();
            if (!m_client->isSignedIn())
                emit signedOut(tr("You are not signed in to %1.").arg(m_connection.baseUrl.host()));
        });
}

bool TeamSession::signIn(QWidget *parent, const QString &reason)
{
    ServerLoginDialog dialog(parent);
    dialog.setAccount(m_connection.baseUrl, m_connection.username);
    dialog.setReason(reason);
    dialog.useClient(m_client.get());
    return dialog.exec() == QDialog::Accepted;
}

void TeamSession::keepToken(const QString &token)
{
    // Nobody waits for these: a failure only means the next start asks for the password.
    const auto logFailure = [](Result<void> done) {
        if (!done && done.error().code != ErrorCode::NotFound)
            qCWarning(lcGui) << "cannot keep the server's token:" << done.error().toString();
    };
    if (token.isEmpty())
        m_secrets.remove(m_connection.secretKey(), this, logFailure);
    else
        m_secrets.write(m_connection.secretKey(), token, this, logFailure);
}

} // namespace confab
