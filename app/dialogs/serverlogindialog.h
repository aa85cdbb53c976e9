#pragma once

#include <QDialog>

#include <memory>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace confab {

class ServerClient;
class StatusLabel;
struct Error;

// Signing in to a team server (confab-server), or creating an account there: the server's
// address, username and password (and an e-mail address for a new account). On success the
// dialog is accepted and holds a ServerClient signed in, for the app to keep.
class ServerLoginDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerLoginDialog)

public:
    explicit ServerLoginDialog(QWidget *parent = nullptr);
    ~ServerLoginDialog() override;

    // Signing in again to a known server: address and username are given and fixed.
    void setAccount(const QUrl &server, const QString &username);
    // Signs in with this client (one the app already uses) instead of a new one.
    void useClient(ServerClient *client);
    // Why the dialog asks (shown above the form): "signed in elsewhere", ...
    void setReason(const QString &text);

    QUrl serverUrl() const;
    QString username() const;
    // The signed-in client, once accepted (none with useClient()); the caller owns it.
    std::unique_ptr<ServerClient> takeClient();

public slots:
    void signIn();
    void createAccount();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateButtons();
    void setBusy(bool busy);
    void showError(const Error &error);
    // A client for the address as entered, replacing an earlier one.
    ServerClient &freshClient();

    QLabel *m_reason;
    QLabel *m_serverLabel;
    QLineEdit *m_server;
    QLabel *m_usernameLabel;
    QLineEdit *m_username;
    QLabel *m_passwordLabel;
    QLineEdit *m_password;
    QCheckBox *m_newAccount;
    QLabel *m_emailLabel;
    QLineEdit *m_email;
    StatusLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_submit;
    std::unique_ptr<ServerClient> m_client;
    ServerClient *m_existing = nullptr;
    bool m_busy = false;
};

} // namespace confab
