#pragma once

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QJsonObject;
class QPushButton;
class QSpinBox;

namespace confab {

class ServerClient;
class StatusLabel;

// The server's live settings (context size, throttle, registration, open conversations):
// Apply saves them at once, and the form then shows what the server reports.
class SettingsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsPage)

public:
    explicit SettingsPage(ServerClient &client, QWidget *parent = nullptr);

public slots:
    void reload();
    void apply();

signals:
    // The server reported its settings (after a reload or an apply).
    void settingsShown(const QJsonObject &settings);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showSettings(const QJsonObject &settings);
    QJsonObject edited() const;

    ServerClient &m_client;
    QSpinBox *m_contextMessages;
    QDoubleSpinBox *m_minInterval;
    QComboBox *m_registration;
    QSpinBox *m_maxLiveConversations;
    QPushButton *m_applyButton;
    QPushButton *m_reloadButton;
    QFormLayout *m_form;
    StatusLabel *m_status;
};

} // namespace confab
