#pragma once

#include "hostoptions.h"
#include "settings/settings.h"

#include <QDialog>

#include <optional>

class QButtonGroup;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace confab {

class EmbeddedServer;
class SecretStore;
class Settings;
class StatusLabel;

// Server > Host a team server: chooses the port, the database file, the provider connection
// that answers and who may connect, starts the EmbeddedServer, then shows the addresses to give
// teammates and a Stop button. The server outlives the dialog: closing it does not stop it.
class HostServerDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostServerDialog)

public:
    // All three must outlive the dialog; the API key of the chosen connection is read from
    // secrets under Connection::secretKey().
    HostServerDialog(Settings &settings, SecretStore &secrets, EmbeddedServer &server,
                     QWidget *parent = nullptr);

    // What the form says now, without the API key.
    HostOptions options() const;

private:
    void buildForm();
    void fillConnections();
    void showOptions(const HostOptions &options);
    std::optional<Connection> selectedConnection() const;
    void chooseDatabase();
    void startServer();
    void onStartResult(const Result<QUrl> &url);
    void updateState();
    void showAddresses();
    void copyAddresses();

    Settings &m_settings;
    SecretStore &m_secrets;
    EmbeddedServer &m_server;

    QComboBox *m_connectionCombo = nullptr;
    QSpinBox *m_portSpin = nullptr;
    QLineEdit *m_databaseEdit = nullptr;
    QPushButton *m_browseButton = nullptr;
    QRadioButton *m_networkRadio = nullptr;
    QRadioButton *m_localRadio = nullptr;
    QComboBox *m_registrationCombo = nullptr;
    QGroupBox *m_settingsGroup = nullptr;
    QGroupBox *m_addressGroup = nullptr;
    QLabel *m_addressLabel = nullptr;
    QLabel *m_adminLabel = nullptr;
    QPushButton *m_copyButton = nullptr;
    StatusLabel *m_status = nullptr;
    QPushButton *m_startButton = nullptr;
    QPushButton *m_stopButton = nullptr;
    QPushButton *m_closeButton = nullptr;
};

} // namespace confab
