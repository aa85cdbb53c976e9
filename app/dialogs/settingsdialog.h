#pragma once

#include "settings/settings.h"

#include <QDialog>
#include <QPointer>

class QButtonGroup;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QStackedWidget;

namespace confab {

class ConnectionDialog;
class SecretStore;
class StatusLabel;

// The app's settings: connections (keys in the SecretStore), appearance, chat and network.
// Every change applies at once through Settings' setters, whose signals the open windows
// follow; there is nothing to confirm, so the dialog has only Close.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    enum class Page { Connections, Appearance, Chat, Network };
    Q_ENUM(Page)

    SettingsDialog(Settings &settings, SecretStore &secrets, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void showPage(Page page);
    Page currentPage() const;
    // The connection dialog open right now (add or edit), if any.
    ConnectionDialog *connectionDialog() const { return m_connectionDialog; }

public slots:
    void addConnection();
    void editConnection();
    void removeConnection();
    void makeConnectionActive();

protected:
    void changeEvent(QEvent *event) override;
    void done(int result) override;

private:
    QWidget *createConnectionsPage();
    QWidget *createAppearancePage();
    QWidget *createChatPage();
    QWidget *createNetworkPage();
    void retranslateUi();
    void loadFromSettings();
    void reloadConnections();
    void updateConnectionButtons();
    QString selectedConnectionId() const;
    void openConnectionDialog(const Connection &connection, const QString &key);
    void saveConnection(const Connection &connection, const QString &oldKey, const QString &newKey);
    void storeConnection(const Connection &connection);
    void applyProxy();
    void updateProxyFields();

    Settings &m_settings;
    SecretStore &m_secrets;

    QListWidget *m_pages = nullptr;
    QStackedWidget *m_stack = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    QLabel *m_connectionsIntro = nullptr;
    QListWidget *m_connectionList = nullptr;
    QPushButton *m_addConnection = nullptr;
    QPushButton *m_editConnection = nullptr;
    QPushButton *m_removeConnection = nullptr;
    QPushButton *m_makeActive = nullptr;
    StatusLabel *m_connectionsStatus = nullptr;
    QPointer<ConnectionDialog> m_connectionDialog;

    QLabel *m_languageLabel = nullptr;
    QComboBox *m_language = nullptr;
    QLabel *m_themeLabel = nullptr;
    QComboBox *m_theme = nullptr;
    QLabel *m_fontSizeLabel = nullptr;
    QSpinBox *m_fontSize = nullptr;

    QGroupBox *m_sendKeyGroup = nullptr;
    QRadioButton *m_sendWithEnter = nullptr;
    QRadioButton *m_sendWithCtrlEnter = nullptr;

    QGroupBox *m_proxyGroup = nullptr;
    QButtonGroup *m_proxyMode = nullptr;
    QRadioButton *m_proxySystem = nullptr;
    QRadioButton *m_proxyNone = nullptr;
    QRadioButton *m_proxyManual = nullptr;
    QLabel *m_proxyHostLabel = nullptr;
    QLineEdit *m_proxyHost = nullptr;
    QLabel *m_proxyPortLabel = nullptr;
    QSpinBox *m_proxyPort = nullptr;
    StatusLabel *m_proxyStatus = nullptr;
};

} // namespace confab
