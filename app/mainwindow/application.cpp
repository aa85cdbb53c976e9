#include "application.h"

#include "api/modelsreply.h"
#include "api/provider.h"
#include "api/providerpresets.h"
#include "chat/localchatservice.h"
#include "common/logging.h"
#include "dialogs/messagebox.h"
#include "dialogs/secretstorefactory.h"
#include "dialogs/welcomedialog.h"
#include "mainwindow/mainwindow.h"
#include "presets/presetcatalog.h"
#include "secrets/secretstore.h"
#include "settings/settings.h"
#include "settings/theme.h"
#include "storage/database.h"
#include "storage/userstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QNetworkProxy>

using namespace Qt::StringLiterals;

namespace confab {

Application::Application(const QString &dataDirectory, QObject *parent)
    : QObject(parent)
    , m_dataDirectory(dataDirectory)
{}

Application::~Application()
{
    // The window goes first (its tabs talk to the service), then the service (it saves
    // answers still streaming), then what the service stands on.
    m_window.reset();
    m_service.reset();
    m_provider.reset();
}

int Application::run(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Confab"_s);
    QApplication::setApplicationName(u"Confab"_s);
    QApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));
    QApplication::setDesktopFileName(u"confab"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Confab, a client for OpenAI-compatible chat models."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDirectory(
        u"data-dir"_s, u"Keep the database and settings in DIR (a portable setup)."_s, u"DIR"_s);
    parser.addOption(dataDirectory);
    parser.process(app);

    Application confab(parser.value(dataDirectory));
    if (!confab.start())
        return 1;
    return QApplication::exec();
}

bool Application::start()
{
    if (m_dataDirectory.isEmpty())
        m_settings = std::make_unique<Settings>();
    else
        m_settings = std::make_unique<Settings>(QDir(m_dataDirectory).filePath(u"confab.ini"_s));
    const QString directory = m_settings->dataDirectory();

    m_language.apply(m_settings->language());
    Theme::apply(*qApp, m_settings->theme());
    applyProxy();
    connect(m_settings.get(), &Settings::languageChanged, this, [this](const QString &language) {
        m_language.apply(language);
        if (m_service)
            m_service->setBuiltInPresets(PresetCatalog::builtIns(m_language.locale()));
    });
    connect(m_settings.get(), &Settings::themeChanged, this,
            [](Settings::Theme theme) { Theme::apply(*qApp, theme); });
    connect(m_settings.get(), &Settings::proxyChanged, this, &Application::applyProxy);

    QDir().mkpath(directory);
    const QString databasePath = QDir(directory).filePath(u"confab.db"_s);
    auto database = Database::open(databasePath);
    if (!database) {
        MessageBox::warning(
            nullptr, tr("Confab cannot start"),
            tr("The conversation history in %1 cannot be opened.\n\n%2")
                .arg(QDir::toNativeSeparators(databasePath), database.error().message));
        return false;
    }
    m_database = std::move(database).value();
    auto user = UserStore(*m_database).ensureLocalUser();
    if (!user) {
        MessageBox::warning(nullptr, tr("Confab cannot start"), user.error().message);
        return false;
    }
    m_userId = user->id;

    SecretStoreFactory::create(*m_settings, this, [this](std::unique_ptr<SecretStore> secrets) {
        continueWithSecrets(std::move(secrets));
    });
    return true;
}

void Application::continueWithSecrets(std::unique_ptr<SecretStore> secrets)
{
    m_secrets = std::move(secrets);
    if (!m_settings->activeConnection()) {
        WelcomeDialog welcome(*m_settings);
        if (welcome.exec() != QDialog::Accepted) {
            emit started();
            QCoreApplication::quit();
            return;
        }
        // The first run may have chosen where keys live (session only, plain file).
        if (auto chosen = welcome.takeSecretStore())
            m_secrets = std::move(chosen);
    }
    openMainWindow();
}

void Application::openMainWindow()
{
    m_provider = std::make_unique<Provider>(ProviderConfig{});
    LocalChatService::Options options;
    options.builtInPresets = PresetCatalog::builtIns(m_language.locale());
    m_service = std::make_unique<LocalChatService>(*m_database, *m_provider, m_userId, options);
    m_window = std::make_unique<MainWindow>(*m_service, *m_settings, *m_secrets);
    connect(m_settings.get(), &Settings::connectionsChanged, this, &Application::applyConnection);
    applyConnection();
    m_window->restoreSession();
    m_window->show();
    emit started();
}

void Application::applyConnection()
{
    const auto connection = m_settings->activeConnection();
    if (!connection || !m_provider)
        return;
    ProviderConfig config = m_provider->config();
    config.baseUrl = connection->baseUrl;
    config.defaultModel = connection->model;
    config.apiKey.clear();
    m_provider->setConfig(config);
    m_secrets->read(
        connection->secretKey(), this, [this, id = connection->id](Result<QString> key) {
            const auto active = m_settings->activeConnection();
            if (!active || active->id != id)
                return; // the user switched again meanwhile
            if (!key && key.error().code != ErrorCode::NotFound)
                qCWarning(lcGui) << "cannot read the API key:" << key.error().toString();
            ProviderConfig withKey = m_provider->config();
            withKey.apiKey = key ? *key : QString();
            m_provider->setConfig(withKey);
            fetchModels();
        });
}

void Application::fetchModels()
{
    ModelsReply *reply = m_provider->listModels();
    connect(reply, &ModelsReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (!reply->error() && m_window)
            m_window->setAvailableModels(reply->models());
    });
}

void Application::applyProxy()
{
    switch (m_settings->proxyMode()) {
    case Settings::ProxyMode::System:
        QNetworkProxyFactory::setUseSystemConfiguration(true);
        break;
    case Settings::ProxyMode::None:
        QNetworkProxyFactory::setUseSystemConfiguration(false);
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
        break;
    case Settings::ProxyMode::Manual:
        QNetworkProxyFactory::setUseSystemConfiguration(false);
        QNetworkProxy::setApplicationProxy(QNetworkProxy(
            QNetworkProxy::HttpProxy, m_settings->proxyHost(), quint16(m_settings->proxyPort())));
        break;
    }
}

} // namespace confab
