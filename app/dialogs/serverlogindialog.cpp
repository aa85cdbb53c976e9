#include "serverlogindialog.h"

#include "chat/errorhint.h"
#include "dialogs/statuslabel.h"
#include "remote/serverclient.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// "chat.example.com:8080" means http(s)://: people type addresses the way they say them.
QUrl normalizedServerUrl(const QString &text)
{
    QString address = text.trimmed();
    if (!address.contains("://"_L1))
        address.prepend(u"https://"_s);
    QUrl url(address, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1))
        return {};
    return url.adjusted(QUrl::StripTrailingSlash | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

} // namespace

ServerLoginDialog::ServerLoginDialog(QWidget *parent)
    : QDialog(parent)
    , m_reason(new QLabel(this))
    , m_serverLabel(new QLabel(this))
    , m_server(new QLineEdit(this))
    , m_usernameLabel(new QLabel(this))
    , m_username(new QLineEdit(this))
    , m_passwordLabel(new QLabel(this))
    , m_password(new QLineEdit(this))
    , m_newAccount(new QCheckBox(this))
    , m_emailLabel(new QLabel(this))
    , m_email(new QLineEdit(this))
    , m_status(new StatusLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_submit(m_buttons->addButton(QString(), QDialogButtonBox::AcceptRole))
{
    setMinimumWidth(460);
    m_reason->setObjectName(u"m_reason"_s);
    m_server->setObjectName(u"m_server"_s);
    m_username->setObjectName(u"m_username"_s);
    m_password->setObjectName(u"m_password"_s);
    m_newAccount->setObjectName(u"m_newAccount"_s);
    m_email->setObjectName(u"m_email"_s);
    m_status->setObjectName(u"m_status"_s);
    m_submit->setObjectName(u"m_submit"_s);

    m_reason->setWordWrap(true);
    m_reason->hide();
    m_password->setEchoMode(QLineEdit::Password);
    m_server->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    m_username->setInputMethodHints(Qt::ImhNoAutoUppercase);
    m_email->setInputMethodHints(Qt::ImhEmailCharactersOnly);
    m_serverLabel->setBuddy(m_server);
    m_usernameLabel->setBuddy(m_username);
    m_passwordLabel->setBuddy(m_password);
    m_emailLabel->setBuddy(m_email);

    auto *form = new QFormLayout;
    form->addRow(m_serverLabel, m_server);
    form->addRow(m_usernameLabel, m_username);
    form->addRow(m_passwordLabel, m_password);
    form->addRow(QString(), m_newAccount);
    form->addRow(m_emailLabel, m_email);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_reason);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    for (QLineEdit *edit : {m_server, m_username, m_password})
        connect(edit, &QLineEdit::textChanged, this, &ServerLoginDialog::updateButtons);
    connect(m_newAccount, &QCheckBox::toggled, this, [this] {
        retranslate();
        updateButtons();
    });
    connect(m_submit, &QPushButton::clicked, this, [this] {
        if (m_newAccount->isChecked())
            createAccount();
        else
            signIn();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // The submit button answers for itself: the box must not close the dialog first.
    disconnect(m_buttons, &QDialogButtonBox::accepted, this, nullptr);

    retranslate();
    updateButtons();
}

ServerLoginDialog::~ServerLoginDialog() = default;

void ServerLoginDialog::setAccount(const QUrl &server, const QString &username)
{
    m_server->setText(server.toString());
    m_server->setReadOnly(true);
    m_username->setText(username);
    m_username->setReadOnly(true);
    m_newAccount->hide();
    m_password->setFocus();
}

void ServerLoginDialog::setReason(const QString &text)
{
    m_reason->setText(text);
    m_reason->setVisible(!text.isEmpty());
}

QUrl ServerLoginDialog::serverUrl() const
{
    return normalizedServerUrl(m_server->text());
}

QString ServerLoginDialog::username() const
{
    return m_username->text().trimmed();
}

std::unique_ptr<ServerClient> ServerLoginDialog::takeClient()
{
    return std::move(m_client);
}

void ServerLoginDialog::useClient(ServerClient *client)
{
    m_existing = client;
}

ServerClient &ServerLoginDialog::freshClient()
{
    if (m_existing)
        return *m_existing;
    m_client = std::make_unique<ServerClient>(serverUrl());
    return *m_client;
}

void ServerLoginDialog::signIn()
{
    if (m_busy || !m_submit->isEnabled())
        return;
    setBusy(true);
    m_status->showMessage(StatusLabel::Kind::Plain, tr("Signing in…"));
    freshClient().login(username(), m_password->text(), this, [this](Result<ServerUser> user) {
        setBusy(false);
        if (!user)
            return showError(user.error());
        m_status->clearMessage();
        accept();
    });
}

void ServerLoginDialog::createAccount()
{
    if (m_busy || !m_submit->isEnabled())
        return;
    setBusy(true);
    m_status->showMessage(StatusLabel::Kind::Plain, tr("Creating the account…"));
    freshClient().registerAccount(username(), m_password->text(), m_email->text().trimmed(), this,
                                  [this](Result<ServerUser> user) {
                                      setBusy(false);
                                      if (!user)
                                          return showError(user.error());
                                      if (user->status == "pending"_L1) {
                                          m_newAccount->setChecked(false);
                                          m_status->showMessage(
                                              StatusLabel::Kind::Success,
                                              tr("Your account was created. An administrator must "
                                                 "approve it before you can sign in."));
                                          return;
                                      }
                                      m_newAccount->setChecked(false);
                                      signIn();
                                  });
}

void ServerLoginDialog::showError(const Error &error)
{
    m_client.reset();
    m_status->showMessage(StatusLabel::Kind::Error, ErrorHint::describe(error));
}

void ServerLoginDialog::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void ServerLoginDialog::updateButtons()
{
    const bool complete
        = serverUrl().isValid() && !username().isEmpty() && !m_password->text().isEmpty();
    m_submit->setEnabled(complete && !m_busy);
}

void ServerLoginDialog::retranslate()
{
    const bool registering = m_newAccount->isChecked();
    setWindowTitle(registering ? tr("Create an Account on a Team Server")
                               : tr("Sign In to a Team Server"));
    m_serverLabel->setText(tr("&Server:"));
    m_server->setPlaceholderText(tr("chat.example.com or http://192.168.1.20:8080"));
    m_usernameLabel->setText(tr("&Username:"));
    m_passwordLabel->setText(tr("&Password:"));
    m_password->setPlaceholderText(registering ? tr("At least 8 characters") : QString());
    m_newAccount->setText(tr("&Create a new account"));
    m_emailLabel->setText(tr("&E-mail (optional):"));
    m_emailLabel->setVisible(registering);
    m_email->setVisible(registering);
    m_submit->setText(registering ? tr("Create Account") : tr("Sign In"));
}

void ServerLoginDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

} // namespace confab
