#include "connectioneditor.h"

#include "api/provider.h"
#include "api/providerpresets.h"
#include "statuslabel.h"

#include <QComboBox>
#include <QCompleter>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace confab {

namespace {

const auto CustomId = "custom"_L1;
// A local Ollama may well run on another machine of the user's network.
const auto OllamaId = "ollama"_L1;

bool isHttpUrl(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty()
        && (url.scheme() == "http"_L1 || url.scheme() == "https"_L1);
}

// A check is a question to the provider while a dialog waits: no retries, and short enough
// that a wrong address is reported while the user still looks at the form.
ProviderConfig checkConfig(const Connection &connection, const QString &apiKey)
{
    ProviderConfig config;
    config.baseUrl = connection.baseUrl;
    config.apiKey = apiKey;
    config.defaultModel = connection.model;
    config.maxRetries = 0;
    config.connectTimeout = 10s;
    config.firstByteTimeout = 30s;
    config.totalTimeout = 45s;
    return config;
}

} // namespace

ConnectionEditor::ConnectionEditor(QWidget *parent)
    : QWidget(parent)
    , m_nam(new QNetworkAccessManager(this))
{
    m_nam->setObjectName(u"m_nam"_s);

    m_provider = new QComboBox(this);
    m_provider->setObjectName(u"m_provider"_s);
    for (const ProviderPreset &preset : ProviderPresets::all())
        m_provider->addItem(preset.name, preset.id);

    m_name = new QLineEdit(this);
    m_name->setObjectName(u"m_name"_s);

    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(u"m_baseUrl"_s);
    m_baseUrl->setPlaceholderText(u"https://example.com/v1"_s);

    auto *apiKeyRow = new QWidget(this);
    apiKeyRow->setObjectName(u"apiKeyRow"_s);
    m_apiKey = new QLineEdit(apiKeyRow);
    m_apiKey->setObjectName(u"m_apiKey"_s);
    m_apiKey->setEchoMode(QLineEdit::Password);
    // A key is pasted, never typed into a suggestion list.
    m_apiKey->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText
                                  | Qt::ImhNoAutoUppercase | Qt::ImhSensitiveData);
    m_showApiKey = new QToolButton(apiKeyRow);
    m_showApiKey->setObjectName(u"m_showApiKey"_s);
    m_showApiKey->setCheckable(true);
    auto *apiKeyLayout = new QHBoxLayout(apiKeyRow);
    apiKeyLayout->setContentsMargins(0, 0, 0, 0);
    apiKeyLayout->addWidget(m_apiKey, 1);
    apiKeyLayout->addWidget(m_showApiKey);

    auto *modelRow = new QWidget(this);
    modelRow->setObjectName(u"modelRow"_s);
    m_model = new QComboBox(modelRow);
    m_model->setObjectName(u"m_model"_s);
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setMinimumContentsLength(16);
    // OpenRouter lists hundreds of models: find them by any part of the name.
    m_model->completer()->setFilterMode(Qt::MatchContains);
    m_model->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_fetchModels = new QPushButton(modelRow);
    m_fetchModels->setObjectName(u"m_fetchModels"_s);
    auto *modelLayout = new QHBoxLayout(modelRow);
    modelLayout->setContentsMargins(0, 0, 0, 0);
    modelLayout->addWidget(m_model, 1);
    modelLayout->addWidget(m_fetchModels);

    m_testConnection = new QPushButton(this);
    m_testConnection->setObjectName(u"m_testConnection"_s);
    m_status = new StatusLabel(this);
    m_status->setObjectName(u"m_status"_s);
    auto *testRow = new QWidget(this);
    testRow->setObjectName(u"testRow"_s);
    auto *testLayout = new QHBoxLayout(testRow);
    testLayout->setContentsMargins(0, 0, 0, 0);
    testLayout->addWidget(m_testConnection);
    testLayout->addStretch(1);

    m_providerLabel = new QLabel(this);
    m_providerLabel->setObjectName(u"m_providerLabel"_s);
    m_nameLabel = new QLabel(this);
    m_nameLabel->setObjectName(u"m_nameLabel"_s);
    m_baseUrlLabel = new QLabel(this);
    m_baseUrlLabel->setObjectName(u"m_baseUrlLabel"_s);
    m_apiKeyLabel = new QLabel(this);
    m_apiKeyLabel->setObjectName(u"m_apiKeyLabel"_s);
    m_modelLabel = new QLabel(this);
    m_modelLabel->setObjectName(u"m_modelLabel"_s);
    m_providerLabel->setBuddy(m_provider);
    m_nameLabel->setBuddy(m_name);
    m_baseUrlLabel->setBuddy(m_baseUrl);
    m_apiKeyLabel->setBuddy(m_apiKey);
    m_modelLabel->setBuddy(m_model);

    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(m_providerLabel, m_provider);
    form->addRow(m_nameLabel, m_name);
    form->addRow(m_baseUrlLabel, m_baseUrl);
    form->addRow(m_apiKeyLabel, apiKeyRow);
    form->addRow(m_modelLabel, modelRow);
    form->addRow(QString(), testRow);
    form->addRow(m_status);

    connect(m_provider, &QComboBox::currentIndexChanged, this, [this] {
        onProviderChosen();
        emit changed();
    });
    const auto edited = [this] {
        cancelChecks();
        emit changed();
    };
    connect(m_name, &QLineEdit::textEdited, this, [this] { emit changed(); });
    connect(m_baseUrl, &QLineEdit::textChanged, this, edited);
    connect(m_apiKey, &QLineEdit::textChanged, this, edited);
    connect(m_model, &QComboBox::currentTextChanged, this, edited);
    connect(m_showApiKey, &QToolButton::toggled, this, [this](bool shown) {
        m_apiKey->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        retranslateUi();
    });
    connect(m_fetchModels, &QPushButton::clicked, this, &ConnectionEditor::fetchModels);
    connect(m_testConnection, &QPushButton::clicked, this, &ConnectionEditor::testConnection);

    retranslateUi();
    onProviderChosen();
}

ConnectionEditor::~ConnectionEditor()
{
    cancelChecks();
}

void ConnectionEditor::setConnection(const Connection &connection)
{
    m_id = connection.id;
    int index = m_provider->findData(connection.providerId);
    if (index < 0)
        index = m_provider->findData(QString(CustomId));
    {
        // The stored URL and model win over the provider's defaults.
        const QSignalBlocker blocker(m_provider);
        m_provider->setCurrentIndex(index);
        onProviderChosen();
    }
    m_name->setText(connection.name == m_provider->currentText() ? QString() : connection.name);
    m_baseUrl->setText(connection.baseUrl.toString());
    m_model->setEditText(connection.model);
    emit changed();
}

Connection ConnectionEditor::connection() const
{
    Connection connection;
    connection.id = m_id;
    connection.kind = Connection::Kind::Provider;
    connection.providerId = currentProviderId();
    connection.name = m_name->text().trimmed();
    if (connection.name.isEmpty())
        connection.name = m_provider->currentText();
    connection.baseUrl = QUrl(m_baseUrl->text().trimmed(), QUrl::StrictMode);
    connection.model = m_model->currentText().trimmed();
    return connection;
}

void ConnectionEditor::setApiKey(const QString &key)
{
    m_apiKey->setText(key);
}

QString ConnectionEditor::apiKey() const
{
    return takesApiKey() ? m_apiKey->text().trimmed() : QString();
}

bool ConnectionEditor::takesApiKey() const
{
    const auto preset = ProviderPresets::find(currentProviderId());
    // A custom endpoint may or may not want a key: offer the field, require nothing.
    return !preset || preset->needsKey || preset->id == CustomId;
}

bool ConnectionEditor::isComplete() const
{
    const Connection entered = connection();
    const auto preset = ProviderPresets::find(entered.providerId);
    const bool keyMissing = preset && preset->needsKey && apiKey().isEmpty();
    return isHttpUrl(entered.baseUrl) && !entered.model.isEmpty() && !keyMissing;
}

QString ConnectionEditor::statusText() const
{
    return m_status->text();
}

void ConnectionEditor::fetchModels()
{
    cancelChecks();
    const Connection entered = connection();
    if (!isHttpUrl(entered.baseUrl)) {
        showStatus(Check::Failed, tr("Enter the base URL of an OpenAI-compatible API first."));
        emit checkFinished(false);
        return;
    }
    Provider provider(checkConfig(entered, apiKey()), m_nam);
    m_modelsReply = provider.listModels();
    setBusy(true);
    showStatus(Check::Running, tr("Asking the provider for its models…"));
    connect(m_modelsReply, &ModelsReply::finished, this, [this, reply = m_modelsReply] {
        reply->deleteLater();
        setBusy(false);
        if (reply->error()) {
            showError(*reply->error());
            emit checkFinished(false);
            return;
        }
        const QStringList models = reply->models();
        const QString typed = m_model->currentText().trimmed();
        {
            const QSignalBlocker blocker(m_model);
            m_model->clear();
            m_model->addItems(models);
            m_model->setEditText(typed.isEmpty() ? models.value(0) : typed);
        }
        if (models.isEmpty())
            showStatus(Check::Succeeded,
                       tr("The provider answered but listed no models: type the model's name."));
        else
            showStatus(Check::Succeeded, tr("Models found: %1").arg(models.size()));
        emit modelsFetched(models);
        emit changed();
        emit checkFinished(true);
    });
}

void ConnectionEditor::testConnection()
{
    cancelChecks();
    const Connection entered = connection();
    QString problem;
    if (!isHttpUrl(entered.baseUrl))
        problem = tr("Enter the base URL of an OpenAI-compatible API (http or https).");
    else if (const auto preset = ProviderPresets::find(entered.providerId);
             preset && preset->needsKey && apiKey().isEmpty())
        problem = tr("Enter the API key.");
    else if (entered.model.isEmpty())
        problem = tr("Choose or type a model first.");
    if (!problem.isEmpty()) {
        showStatus(Check::Failed, problem);
        emit checkFinished(false);
        return;
    }

    ChatRequest request;
    request.messages = {{Role::User, u"Reply with the single word: OK"_s}};
    request.params.model = entered.model;
    // Enough for "OK", cheap on a paid key.
    request.params.maxTokens = 5;
    request.stream = false;
    Provider provider(checkConfig(entered, apiKey()), m_nam);
    m_chatReply = provider.send(request);
    setBusy(true);
    showStatus(Check::Running, tr("Sending a short test message to %1…").arg(entered.model));
    connect(m_chatReply, &ChatReply::finished, this, [this, reply = m_chatReply, entered] {
        reply->deleteLater();
        setBusy(false);
        const ChatResult &result = reply->result();
        if (result.error) {
            showError(*result.error);
            emit checkFinished(false);
            return;
        }
        const QString model = result.model.isEmpty() ? entered.model : result.model;
        showStatus(Check::Succeeded, tr("It works: %1 answered.").arg(model));
        emit checkFinished(true);
    });
}

void ConnectionEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ConnectionEditor::retranslateUi()
{
    m_providerLabel->setText(tr("&Provider:"));
    m_nameLabel->setText(tr("&Name:"));
    m_baseUrlLabel->setText(tr("Base &URL:"));
    m_modelLabel->setText(tr("&Model:"));
    const int custom = m_provider->findData(QString(CustomId));
    m_provider->setItemText(custom, tr("Custom (OpenAI-compatible)"));
    m_name->setPlaceholderText(m_provider->currentText());
    m_apiKey->setPlaceholderText(tr("Paste your API key"));
    m_showApiKey->setText(m_showApiKey->isChecked() ? tr("Hide") : tr("Show"));
    m_showApiKey->setToolTip(m_showApiKey->isChecked() ? tr("Hide the API key")
                                                       : tr("Show the API key"));
    m_model->lineEdit()->setPlaceholderText(tr("Type a model or fetch the list"));
    m_fetchModels->setText(tr("&Fetch models"));
    m_fetchModels->setToolTip(tr("Ask the provider which models this key can use"));
    m_testConnection->setText(tr("&Test connection"));
    m_testConnection->setToolTip(tr("Send a short message to check the URL, key and model"));
    const auto preset = ProviderPresets::find(currentProviderId());
    m_apiKeyLabel->setText(preset && !preset->needsKey ? tr("API &key (optional):")
                                                       : tr("API &key:"));
}

void ConnectionEditor::onProviderChosen()
{
    cancelChecks();
    const auto preset = ProviderPresets::find(currentProviderId());
    if (!preset)
        return;
    const bool editableUrl = preset->id == CustomId || preset->id == OllamaId;
    m_baseUrl->setReadOnly(!editableUrl);
    m_baseUrl->setText(preset->baseUrl.toString());
    {
        const QSignalBlocker blocker(m_model);
        m_model->clear();
        m_model->setEditText(preset->defaultModel);
    }
    auto *form = static_cast<QFormLayout *>(layout());
    form->setRowVisible(m_apiKeyLabel, takesApiKey());
    retranslateUi();
}

void ConnectionEditor::cancelChecks()
{
    // Deleting a reply aborts its request; finished() is not emitted any more.
    delete m_modelsReply.data();
    delete m_chatReply.data();
    setBusy(false);
    if (m_check != Check::Idle)
        showStatus(Check::Idle, QString());
}

void ConnectionEditor::setBusy(bool busy)
{
    m_fetchModels->setEnabled(!busy);
    m_testConnection->setEnabled(!busy);
}

void ConnectionEditor::showStatus(Check check, const QString &text)
{
    m_check = check;
    const auto kind = check == Check::Succeeded ? StatusLabel::Kind::Success
        : check == Check::Failed                ? StatusLabel::Kind::Error
                                                : StatusLabel::Kind::Plain;
    m_status->showMessage(kind, text);
}

void ConnectionEditor::showError(const Error &error)
{
    QString hint;
    switch (error.code) {
    case ErrorCode::Unauthorized:
        hint = error.httpStatus == 403
            ? tr("The provider refused access: check that the API key is correct and may use "
                 "this model.")
            : tr("The API key is wrong or no longer valid: check it and try again.");
        break;
    case ErrorCode::Network:
    case ErrorCode::ConnectTimeout:
    case ErrorCode::FirstByteTimeout:
    case ErrorCode::IdleTimeout:
    case ErrorCode::TotalTimeout:
        hint = tr("Could not reach the provider: check the base URL, your network and the proxy "
                  "settings.");
        break;
    case ErrorCode::RateLimited:
        hint = tr("The key was accepted, but the provider is limiting requests or the account "
                  "has no credit left.");
        break;
    case ErrorCode::Upstream:
    case ErrorCode::Protocol:
        hint = error.httpStatus == 404
            ? tr("Not found: check the base URL (it usually ends in /v1) and the model name.")
            : tr("Check that the base URL points to an OpenAI-compatible API (it usually ends "
                 "in /v1) and that the model exists.");
        break;
    default:
        break;
    }
    const QString what = error.httpStatus > 0
        ? tr("Failed (HTTP %1): %2").arg(error.httpStatus).arg(error.message)
        : tr("Failed: %1").arg(error.message);
    showStatus(Check::Failed, hint.isEmpty() ? what : what + u'\n' + hint);
}

QString ConnectionEditor::currentProviderId() const
{
    return m_provider->currentData().toString();
}

} // namespace confab
