#pragma once

#include "secrets/secretstore.h"

#include <QDialog>

#include <memory>
#include <optional>

class QCheckBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QRadioButton;

namespace confab {

class ConnectionEditor;
class Settings;
class StatusLabel;
struct Connection;

// The first run: the user sets up a provider connection and, when no system keychain
// answers, chooses between keeping the API key for this session only and a plain file.
// Accepting stores the connection in Settings and the key in the chosen store, which the
// app then takes over for this run (a session-only key lives in that very object).
class WelcomeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WelcomeDialog)

public:
    explicit WelcomeDialog(Settings &settings, QWidget *parent = nullptr);
    ~WelcomeDialog() override;

    ConnectionEditor *editor() const { return m_editor; }
    // nullopt until the keychain probe has answered.
    std::optional<bool> keychainAvailable() const { return m_keychainAvailable; }
    // Where the key goes if the user accepts now.
    SecretStore::Kind chosenStorage() const;
    // After acceptance: the store holding the key. The app keeps it for this run.
    std::unique_ptr<SecretStore> takeSecretStore();

    // Saves, then closes; stays open and says why when the key cannot be stored.
    void accept() override;

signals:
    void keychainProbed(bool available);

private:
    void onProbed(bool available);
    void updateStorage();
    void updateButtons();
    void finishAccept(const Connection &connection);

    Settings &m_settings;
    QLabel *m_title = nullptr;
    QLabel *m_intro = nullptr;
    ConnectionEditor *m_editor = nullptr;
    QGroupBox *m_storage = nullptr;
    QLabel *m_storageText = nullptr;
    QRadioButton *m_sessionOnly = nullptr;
    QRadioButton *m_plainFile = nullptr;
    QLabel *m_plainFileWarning = nullptr;
    QCheckBox *m_plainFileAcknowledged = nullptr;
    StatusLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    std::optional<bool> m_keychainAvailable;
    std::unique_ptr<SecretStore> m_secretStore;
    bool m_saving = false;
};

} // namespace confab
