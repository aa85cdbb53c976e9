#pragma once

#include "settings/settings.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QToolButton;

namespace confab {

class ChatReply;
class ModelsReply;
class StatusLabel;
struct Error;

// The form for one provider connection: provider, base URL, API key and model, with "Fetch
// models" and "Test connection" that ask the provider itself and report inline. Shared by the
// first-run dialog and the settings' connection dialog.
class ConnectionEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionEditor)

public:
    enum class Check { Idle, Running, Succeeded, Failed };
    Q_ENUM(Check)

    explicit ConnectionEditor(QWidget *parent = nullptr);
    ~ConnectionEditor() override;

    // Shows a stored connection; its id is kept for connection().
    void setConnection(const Connection &connection);
    // The connection as entered (kind Provider; the name defaults to the provider's).
    Connection connection() const;
    void setApiKey(const QString &key);
    // The key as entered; empty when the provider takes none.
    QString apiKey() const;
    // Whether the chosen provider has a key field at all (Ollama has none).
    bool takesApiKey() const;

    // Enough is entered to save: an http(s) base URL, a model, and a key where one is needed.
    bool isComplete() const;
    // The result of the last fetch or test, for dialogs and tests.
    Check lastCheck() const { return m_check; }
    QString statusText() const;

public slots:
    void fetchModels();
    void testConnection();

signals:
    // Anything the user can change changed (isComplete() may differ).
    void changed();
    void modelsFetched(const QStringList &models);
    void checkFinished(bool succeeded);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onProviderChosen();
    void cancelChecks();
    void setBusy(bool busy);
    void showStatus(Check check, const QString &text);
    void showError(const Error &error);
    QString currentProviderId() const;

    QComboBox *m_provider = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLabel *m_apiKeyLabel = nullptr;
    QLineEdit *m_apiKey = nullptr;
    QToolButton *m_showApiKey = nullptr;
    QComboBox *m_model = nullptr;
    QPushButton *m_fetchModels = nullptr;
    QPushButton *m_testConnection = nullptr;
    StatusLabel *m_status = nullptr;
    QLabel *m_providerLabel = nullptr;
    QLabel *m_nameLabel = nullptr;
    QLabel *m_baseUrlLabel = nullptr;
    QLabel *m_modelLabel = nullptr;

    QNetworkAccessManager *m_nam = nullptr;
    QPointer<ModelsReply> m_modelsReply;
    QPointer<ChatReply> m_chatReply;
    QString m_id;
    Check m_check = Check::Idle;
};

} // namespace confab
