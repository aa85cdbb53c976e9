#include "welcomedialog.h"

#include "connectioneditor.h"
#include "secretstorefactory.h"
#include "settings/settings.h"
#include "statuslabel.h"
#include "windowfit.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QUuid>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace confab {

WelcomeDialog::WelcomeDialog(Settings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
{
    setWindowTitle(tr("Welcome to Confab"));
    setMinimumWidth(600);

    m_title = new QLabel(tr("Welcome to Confab"), this);
    m_title->setObjectName(u"m_title"_s);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    m_intro = new QLabel(tr("Confab talks to an OpenAI-compatible provider with your own API "
                            "key. Choose a provider, paste the key, and test the connection. "
                            "You can add more connections later in Settings."),
                         this);
    m_intro->setObjectName(u"m_intro"_s);
    m_intro->setWordWrap(true);

    m_editor = new ConnectionEditor(this);
    m_editor->setObjectName(u"m_editor"_s);

    m_storage = new QGroupBox(tr("Where to keep the API key"), this);
    m_storage->setObjectName(u"m_storage"_s);
    m_storageText = new QLabel(tr("Looking for the system keychain…"), m_storage);
    m_storageText->setObjectName(u"m_storageText"_s);
    m_storageText->setWordWrap(true);
    m_sessionOnly = new QRadioButton(
        tr("Keep the key for this session only (you enter it again after a restart)"), m_storage);
    m_sessionOnly->setObjectName(u"m_sessionOnly"_s);
    m_sessionOnly->setChecked(true);
    m_plainFile = new QRadioButton(tr("Store the key in a plain file on this computer"), m_storage);
    m_plainFile->setObjectName(u"m_plainFile"_s);
    m_plainFileWarning = new QLabel(
        tr("The file is not encrypted: anyone who can read your files can read the key.") + u'\n'
            + SecretStoreFactory::plainFilePath(settings),
        m_storage);
    m_plainFileWarning->setObjectName(u"m_plainFileWarning"_s);
    m_plainFileWarning->setWordWrap(true);
    m_plainFileWarning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_plainFileAcknowledged
        = new QCheckBox(tr("I understand, store the key in this plain file"), m_storage);
    m_plainFileAcknowledged->setObjectName(u"m_plainFileAcknowledged"_s);
    auto *storageLayout = new QVBoxLayout(m_storage);
    storageLayout->addWidget(m_storageText);
    storageLayout->addWidget(m_sessionOnly);
    storageLayout->addWidget(m_plainFile);
    // Indented under the radio button to which they belong.
    auto *plainFileDetails = new QVBoxLayout;
    plainFileDetails->setContentsMargins(24, 0, 0, 0);
    plainFileDetails->addWidget(m_plainFileWarning);
    plainFileDetails->addWidget(m_plainFileAcknowledged);
    storageLayout->addLayout(plainFileDetails);

    m_error = new StatusLabel(this);
    m_error->setObjectName(u"m_error"_s);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(u"m_buttons"_s);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Start"));

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(12);
    layout->addWidget(m_title);
    layout->addWidget(m_intro);
    layout->addSpacing(4);
    layout->addWidget(m_editor);
    layout->addWidget(m_storage);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &WelcomeDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &WelcomeDialog::reject);
    connect(m_editor, &ConnectionEditor::changed, this, [this] {
        updateStorage();
        updateButtons();
    });
    connect(m_sessionOnly, &QRadioButton::toggled, this, [this] {
        updateStorage();
        updateButtons();
    });
    connect(m_plainFileAcknowledged, &QCheckBox::toggled, this, &WelcomeDialog::updateButtons);

    updateStorage();
    updateButtons();
    SecretStoreFactory::probe(this, [this](bool available) { onProbed(available); });
}

WelcomeDialog::~WelcomeDialog() = default;

SecretStore::Kind WelcomeDialog::chosenStorage() const
{
    if (m_keychainAvailable.value_or(false))
        return SecretStore::Kind::Keychain;
    return m_plainFile->isChecked() && m_plainFileAcknowledged->isChecked()
        ? SecretStore::Kind::PlainFile
        : SecretStore::Kind::SessionOnly;
}

std::unique_ptr<SecretStore> WelcomeDialog::takeSecretStore()
{
    return std::move(m_secretStore);
}

void WelcomeDialog::accept()
{
    if (m_saving || !m_editor->isComplete() || !m_keychainAvailable.has_value())
        return;
    if (m_editor->takesApiKey() && m_plainFile->isChecked()
        && !m_plainFileAcknowledged->isChecked())
        return;
    m_saving = true;
    updateButtons();
    m_error->clearMessage();

    m_secretStore = SecretStoreFactory::make(chosenStorage(), m_settings);
    Connection connection = m_editor->connection();
    connection.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString key = m_editor->apiKey();
    if (key.isEmpty())
        return finishAccept(connection);
    m_secretStore->write(
        connection.secretKey(), key, this, [this, connection](Result<void> written) {
            if (!written) {
                m_saving = false;
                m_secretStore.reset();
                m_error->showMessage(
                    StatusLabel::Kind::Error,
                    tr("The API key could not be stored: %1").arg(written.error().message));
                updateButtons();
                return;
            }
            finishAccept(connection);
        });
}

void WelcomeDialog::finishAccept(const Connection &connection)
{
    QList<Connection> connections = m_settings.connections();
    connections.append(connection);
    m_settings.setConnections(connections);
    m_settings.setActiveConnectionId(connection.id);
    if (m_secretStore->kind() != SecretStore::Kind::Keychain)
        m_settings.setPlainFileSecretsAllowed(m_secretStore->kind()
                                              == SecretStore::Kind::PlainFile);
    m_saving = false;
    QDialog::accept();
}

void WelcomeDialog::onProbed(bool available)
{
    m_keychainAvailable = available;
    updateStorage();
    updateButtons();
    emit keychainProbed(available);
}

void WelcomeDialog::updateStorage()
{
    // A provider without keys (Ollama) has nothing to keep.
    m_storage->setVisible(m_editor->takesApiKey());
    const bool probing = !m_keychainAvailable.has_value();
    const bool keychain = m_keychainAvailable.value_or(false);
    if (probing)
        m_storageText->setText(tr("Looking for the system keychain…"));
    else if (keychain)
        m_storageText->setText(tr("The key is kept in the system keychain, encrypted by "
                                  "your operating system."));
    else
        m_storageText->setText(
            tr("No system keychain answered on this computer (such as GNOME Keyring, KWallet, "
               "the macOS Keychain or the Windows Credential Manager), so the key cannot be "
               "stored securely. Choose what Confab should do with it:"));
    const bool choose = !probing && !keychain;
    m_sessionOnly->setVisible(choose);
    m_plainFile->setVisible(choose);
    m_plainFileAcknowledged->setVisible(choose);
    m_plainFileWarning->setVisible(choose);
    m_plainFileAcknowledged->setEnabled(m_plainFile->isChecked());
    m_plainFileWarning->setEnabled(m_plainFile->isChecked());
    if (!m_plainFile->isChecked())
        m_plainFileAcknowledged->setChecked(false);
    growWindowToFit(this);
}

void WelcomeDialog::updateButtons()
{
    const bool storageChosen = !m_plainFile->isChecked() || m_plainFileAcknowledged->isChecked()
        || !m_editor->takesApiKey();
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(!m_saving && m_keychainAvailable.has_value() && m_editor->isComplete()
                     && storageChosen);
}

} // namespace confab
