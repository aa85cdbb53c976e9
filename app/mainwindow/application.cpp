#include "application.h"

#include "admin/adminpanel.h"
#include "api/modelsreply.h"
#include "api/provider.h"
#include "api/providerpresets.h"
#include "chat/localchatservice.h"
#include "common/logging.h"
#include "dialogs/messagebox.h"
#include "dialogs/secretstorefactory.h"
#include "dialogs/serverlogindialog.h"
#include "dialogs/welcomedialog.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/teamsession.h"
#include "remote/remotechatservice.h"
#include "remote/serverclient.h"
#ifdef CONFAB_HOSTING
#include "hosting/embeddedserver.h"
#include "hosting/hostserverdialog.h"
#endif
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
#include <QTimer>
#include <QUuid>

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
    m_team.reset();
    m_provider.reset();
    delete m_hosted; // before the key store it keeps its admin's password in
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
        if (m_localService)
            m_localService->setBuiltInPresets(PresetCatalog::builtIns(m_language.locale()));
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
    connect(m_settings.get(), &Settings::connectionsChanged, this, &Application::applyConnection);
    openMainWindow();
}

QString Application::historyOf(const std::optional<Connection> &connection)
{
    return connection && connection->kind == Connection::Kind::Server ? connection->id : QString();
}

void Application::openMainWindow()
{
    const auto connection = m_settings->activeConnection();
    m_windowHistory = historyOf(connection);
    m_settings->setTabsScope(m_windowHistory);
    if (!m_windowHistory.isEmpty())
        return openTeamService(*connection);
    openLocalService();
    showWindow();
    applyConnection();
}

void Application::openLocalService()
{
    if (!m_provider)
        m_provider = std::make_unique<Provider>(ProviderConfig{});
    LocalChatService::Options options;
    options.builtInPresets = PresetCatalog::builtIns(m_language.locale());
    auto local = std::make_unique<LocalChatService>(*m_database, *m_provider, m_userId, options);
    m_localService = local.get();
    m_service = std::move(local);
}

void Application::openTeamService(const Connection &connection)
{
    m_team = std::make_unique<TeamSession>(connection, *m_secrets, std::move(m_pendingClient));
    connect(m_team.get(), &TeamSession::signedIn, this, [this] {
        if (m_window)
            m_window->showSessionNotice({});
        updateServerState();
        fetchModels();
    });
    connect(m_team.get(), &TeamSession::signedOut, this, [this](const QString &why) {
        if (m_window)
            m_window->showSessionNotice(why);
        updateServerState();
    });
    m_team->restore([this] {
        auto remote = std::make_unique<RemoteChatService>(m_team->client());
        connect(&remote->socket(), &ServerSocket::stateChanged, this,
                [this](ServerSocket::State state) {
                    if (!m_window)
                        return;
                    const bool away
                        = state != ServerSocket::State::Online && m_team->client().isSignedIn();
                    m_window->setLinkStatus(away ? tr("reconnecting…") : QString());
                });
        m_service = std::move(remote);
        showWindow();
        fetchModels();
    });
}

void Application::showWindow()
{
    // The window a connection replaces saved its tabs and geometry when it closed.
    m_window = std::make_unique<MainWindow>(*m_service, *m_settings, *m_secrets);
    connectWindow();
    updateServerState();
    m_window->restoreSession();
    m_window->show();
    if (!std::exchange(m_started, true))
        emit started();
}

void Application::connectWindow()
{
    connect(m_window.get(), &MainWindow::signInRequested, this, &Application::signIn);
    connect(m_window.get(), &MainWindow::signOutRequested, this, &Application::signOut);
    connect(m_window.get(), &MainWindow::administerRequested, this, &Application::administer);
    connect(m_window.get(), &MainWindow::hostServerRequested, this, &Application::hostServer);
}

void Application::updateServerState()
{
    if (!m_window)
        return;
    MainWindow::ServerState state;
#ifdef CONFAB_HOSTING
    state.canHost = true;
#endif
    if (m_team) {
        state.signedIn = m_team->client().isSignedIn();
        state.admin = state.signedIn && m_team->client().user().isAdmin();
    }
    m_window->setServerState(state);
}

void Application::applyConnection()
{
    const auto connection = m_settings->activeConnection();
    if (historyOf(connection) != m_windowHistory)
        return rebuildWhenIdle();
    if (!connection || !m_provider || !m_localService)
        return;
    ProviderConfig config = m_provider->config();
    config.baseUrl = connection->baseUrl;
    config.defaultModel = connection->model;
    config.apiKey.clear();
    m_provider->setConfig(config);
    m_secrets->read(
        connection->secretKey(), this, [this, id = connection->id](Result<QString> key) {
            const auto active = m_settings->activeConnection();
            if (!active || active->id != id || !m_provider)
                return; // the user switched again meanwhile
            if (!key && key.error().code != ErrorCode::NotFound)
                qCWarning(lcGui) << "cannot read the API key:" << key.error().toString();
            ProviderConfig withKey = m_provider->config();
            withKey.apiKey = key ? *key : QString();
            m_provider->setConfig(withKey);
            fetchModels();
        });
}

void Application::rebuildWhenIdle()
{
    if (m_rebuildQueued)
        return;
    m_rebuildQueued = true;
    // A dialog of the window (the settings) may be what changed the connection: the window
    // must outlive it.
    if (QWidget *modal = QApplication::activeModalWidget()) {
        connect(modal, &QObject::destroyed, this, [this] {
            m_rebuildQueued = false;
            QTimer::singleShot(0, this, &Application::applyConnection);
        });
        return;
    }
    QTimer::singleShot(0, this, [this] {
        m_rebuildQueued = false;
        if (historyOf(m_settings->activeConnection()) == m_windowHistory)
            return;
        if (m_window)
            m_window->close(); // keeps its tabs for next time
        m_window.reset();
        m_localService = nullptr;
        m_service.reset();
        m_team.reset();
        openMainWindow();
    });
}

void Application::signIn()
{
    if (m_team && !m_team->client().isSignedIn()) {
        m_team->signIn(m_window.get(), m_window ? m_window->sessionNotice() : QString());
        return;
    }
    ServerLoginDialog dialog(m_window.get());
    if (dialog.exec() == QDialog::Accepted)
        addServerConnection(dialog.takeClient());
}

void Application::addServerConnection(std::unique_ptr<ServerClient> client, const QString &name)
{
    Connection connection;
    connection.kind = Connection::Kind::Server;
    connection.baseUrl = client->serverUrl();
    connection.username = client->user().username;
    // The same account on the same server is one connection, signed in again.
    QList<Connection> connections = m_settings->connections();
    const auto known = std::find_if(connections.begin(), connections.end(), [&](const auto &c) {
        return c.kind == Connection::Kind::Server && c.baseUrl == connection.baseUrl
            && c.username == connection.username;
    });
    if (known != connections.end()) {
        connection = *known;
    } else {
        connection.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        connection.name = name.isEmpty()
            ? tr("%1 on %2").arg(connection.username, connection.baseUrl.host())
            : name;
        connections.append(connection);
    }
    m_pendingClient = std::move(client); // its TeamSession keeps the token
    m_windowHistory.clear();             // whatever was shown, the window opens this session anew
    m_settings->setConnections(connections);
    m_settings->setActiveConnectionId(connection.id);
    rebuildWhenIdle();
}

void Application::signOut()
{
    if (!m_team)
        return;
    m_team->client().logout(this, [this](Result<void>) {
        // Back to this computer's history, with the first provider the user has, if any.
        for (const Connection &connection : m_settings->connections()) {
            if (connection.kind == Connection::Kind::Provider) {
                m_settings->setActiveConnectionId(connection.id);
                return rebuildWhenIdle();
            }
        }
        updateServerState();
    });
}

void Application::hostServer()
{
#ifdef CONFAB_HOSTING
    if (!m_hosted) {
        m_hosted = new EmbeddedServer(*m_secrets, this);
        // Once it runs, the app signs in as its admin and uses it like any team server.
        connect(m_hosted, &EmbeddedServer::stateChanged, this, [this](EmbeddedServer::State state) {
            if (state != EmbeddedServer::State::Running)
                return;
            const AdminCredentials admin = m_hosted->adminCredentials();
            m_pendingClient = std::make_unique<ServerClient>(m_hosted->serverUrl());
            m_pendingClient->login(
                admin.username, admin.password, this, [this](Result<ServerUser> user) {
                    if (!user) {
                        qCWarning(lcGui)
                            << "cannot sign in to the hosted server:" << user.error().toString();
                        m_pendingClient.reset();
                        return;
                    }
                    addServerConnection(std::move(m_pendingClient),
                                        tr("Team server on this computer"));
                });
        });
    }
    HostServerDialog dialog(*m_settings, *m_secrets, *m_hosted, m_window.get());
    dialog.exec();
#endif
}

void Application::administer()
{
    if (!m_team || !m_window)
        return;
    auto *panel = new AdminPanel(m_team->client(), m_window.get());
    panel->setAttribute(Qt::WA_DeleteOnClose);
    panel->setWindowFlag(Qt::Window);
    panel->show();
}

void Application::fetchModels()
{
    if (auto *remote = qobject_cast<RemoteChatService *>(m_service.get())) {
        remote->models(this, [this](Result<QStringList> models) {
            if (models && m_window)
                m_window->setAvailableModels(*models);
        });
        return;
    }
    if (!m_provider)
        return;
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
