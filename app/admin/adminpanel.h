#pragma once

#include <QWidget>

class QTabWidget;

namespace confab {

class PresetsPage;
class ServerClient;
class SettingsPage;
class UsagePage;
class UsersPage;

// Administration of a confab-server for an admin signed in through client: users, usage,
// presets and live settings, one tab each. Everything goes through the server's admin API.
class AdminPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminPanel)

public:
    explicit AdminPanel(ServerClient &client, QWidget *parent = nullptr);

    UsersPage *usersPage() const { return m_usersPage; }
    UsagePage *usagePage() const { return m_usagePage; }
    PresetsPage *presetsPage() const { return m_presetsPage; }
    SettingsPage *settingsPage() const { return m_settingsPage; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QString m_serverName;
    QTabWidget *m_tabs;
    UsersPage *m_usersPage;
    UsagePage *m_usagePage;
    PresetsPage *m_presetsPage;
    SettingsPage *m_settingsPage;
};

} // namespace confab
