#include "server.h"

#include "auth/jwt.h"
#include "auth/loginthrottle.h"
#include "auth/passwordhasher.h"
#include "auth/passwordpolicy.h"
#include "authenticator.h"
#include "chatrelay.h"
#include "common/logging.h"
#include "http/connectionguard.h"
#include "http/httpframer.h"
#include "http/httpserver.h"
#include "http/router.h"
#include "ops/liveconversations.h"
#include "ops/metrics.h"
#include "ops/quotaguard.h"
#include "ops/requestthrottle.h"
#include "ops/serverlog.h"
#include "presets/presetcatalog.h"
#include "routes.h"
#include "serversettings.h"
#include "services.h"
#include "sessioncontrol.h"
#include "storage/apitokenstore.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/messagestore.h"
#include "storage/presetstore.h"
#include "storage/searchindexer.h"
#include "storage/sessionstore.h"
#include "storage/settingsstore.h"
#include "storage/usagestore.h"
#include "storage/userstore.h"
#include "upstreampool.h"
#include "websockethub.h"

#include <QFile>
#include <QLocale>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTimer>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace confab {

namespace {

const QString JwtSecretKey = u"server.jwt_secret"_s;
const QString PresetsSeededKey = u"server.presets_seeded"_s;
constexpr auto DrainTimeout = 10s;
// Sessions revoked or expired this long ago are deleted (checked at start and every few hours):
// until then an old token is told why it was refused.
constexpr auto SessionRetention = 24h * 30;
constexpr auto SessionPruneInterval = 6h;

// CONFAB_JWT_SECRET when given (refused if short), else one the server made and stored.
Result<QByteArray> jwtSecret(const ServerConfig &config, SettingsStore &settings)
{
    if (!config.jwtSecret.isEmpty())
        return config.jwtSecret;
    const auto stored = settings.get(JwtSecretKey);
    if (!stored)
        return stored.error();
    if (stored->has_value())
        return QByteArray::fromBase64(stored->value().toLatin1());
    QByteArray secret(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(secret.data()),
                                          secret.size() / int(sizeof(quint32)));
    if (auto saved = settings.set(JwtSecretKey, QString::fromLatin1(secret.toBase64())); !saved)
        return saved.error();
    return secret;
}

// A new server offers the built-in presets until an admin changes the list.
Result<void> seedPresets(PresetStore &presets, SettingsStore &settings)
{
    const auto seeded = settings.get(PresetsSeededKey);
    if (!seeded)
        return seeded.error();
    if (seeded->has_value())
        return {};
    if (auto replaced = presets.replaceServerPresets(PresetCatalog::builtIns(QLocale::English));
        !replaced)
        return replaced;
    return settings.set(PresetsSeededKey, u"1"_s);
}

// The certificate chain and private key for HTTPS, read once at start.
Result<QSslConfiguration> tlsConfiguration(const ServerConfig &config)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(config.tlsCertPath);
    if (chain.isEmpty())
        return Error{ErrorCode::InvalidInput,
                     u"--tls-cert: no PEM certificate in %1"_s.arg(config.tlsCertPath)};
    QFile keyFile(config.tlsKeyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return Error{ErrorCode::InvalidInput,
                     u"--tls-key: cannot read %1"_s.arg(config.tlsKeyPath)};
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Rsa);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec);
    if (key.isNull())
        return Error{ErrorCode::InvalidInput,
                     u"--tls-key: no unencrypted PEM RSA or EC key in %1"_s.arg(config.tlsKeyPath)};
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    return tls;
}

ProviderConfig upstreamConfig(const ServerConfig &config)
{
    ProviderConfig provider;
    provider.baseUrl = config.upstreamBaseUrl;
    provider.apiKey = config.upstreamApiKey;
    provider.defaultModel = config.upstreamModel;
    provider.firstByteTimeout = config.upstreamFirstByteTimeout;
    provider.idleTimeout = config.upstreamIdleTimeout;
    return provider;
}

} // namespace

// Declared in construction order; destroyed in reverse.
struct Server::Parts
{
    ServerConfig config;
    std::unique_ptr<Database> database;
    UserStore users{*database};
    SessionStore sessions{*database};
    ApiTokenStore apiTokens{*database};
    ConversationStore conversations{*database};
    MessageStore messages{*database};
    PresetStore presets{*database};
    UsageStore usage{*database};
    SettingsStore settingsStore{*database};
    SearchIndexer indexer{*database};
    ServerSettings settings{settingsStore, config};
    std::optional<JwtSigner> jwt;
    PasswordHasher hasher;
    LoginThrottle loginThrottle;
    RequestThrottle throttle{config.minInterval};
    QuotaGuard quota{usage};
    LiveConversations live{config.maxLiveConversations};
    ServerMetrics metrics;
    UpstreamPool upstream{upstreamConfig(config), config.upstreamConnections};
    ChatRelay relay{{*database, conversations, messages, presets, settings, throttle, quota, live,
                     upstream, metrics}};
    std::optional<Authenticator> auth;
    std::optional<WebSocketHub> hub;
    std::optional<SessionControl> sessionControl;
    std::optional<Services> services;
    Router router;
    std::optional<HttpServer> http;

    Parts(ServerConfig serverConfig, std::unique_ptr<Database> db)
        : config(std::move(serverConfig))
        , database(std::move(db))
    {}
};

Result<std::unique_ptr<Server>> Server::create(const ServerConfig &config, QObject *parent)
{
    if (config.databasePath.startsWith("postgres://"_L1)
        || config.databasePath.startsWith("postgresql://"_L1))
        return Error{ErrorCode::Unavailable,
                     u"PostgreSQL is not supported by this build yet; give --db a SQLite file."_s};
    DatabaseOptions options;
    options.durable = true;
    auto database = Database::open(config.databasePath, options);
    if (!database)
        return database.error();
    auto parts = std::make_unique<Parts>(config, std::move(database).value());
    if (auto loaded = parts->settings.load(); !loaded)
        return loaded.error();
    auto secret = jwtSecret(config, parts->settingsStore);
    if (!secret)
        return secret.error();
    auto jwt = JwtSigner::create(*secret, u"confab-server"_s, u"confab"_s);
    if (!jwt)
        return Error{ErrorCode::InvalidInput,
                     u"CONFAB_JWT_SECRET must be at least 32 bytes (256 bits)."_s};
    parts->jwt.emplace(std::move(jwt).value());
    if (auto seeded = seedPresets(parts->presets, parts->settingsStore); !seeded)
        return seeded.error();
    return std::unique_ptr<Server>(new Server(std::move(parts), parent));
}

Server::Server(std::unique_ptr<Parts> parts, QObject *parent)
    : QObject(parent)
    , d(std::move(parts))
{
    Parts &p = *d;
    p.auth.emplace(*p.jwt, p.sessions, p.users, p.apiTokens);
    p.hub.emplace(WebSocketHub::Dependencies{*p.auth, p.relay, p.conversations, p.live, p.metrics});
    p.sessionControl.emplace(p.sessions, p.relay, *p.hub, p.live);
    p.services.emplace(Services{p.config,
                                p.settings,
                                *p.database,
                                p.users,
                                p.sessions,
                                p.apiTokens,
                                p.conversations,
                                p.messages,
                                p.presets,
                                p.usage,
                                p.hasher,
                                *p.jwt,
                                p.loginThrottle,
                                p.throttle,
                                p.quota,
                                p.live,
                                p.metrics,
                                p.upstream,
                                p.relay,
                                *p.hub,
                                *p.auth,
                                *p.sessionControl,
                                *this});
    connect(&p.settings, &ServerSettings::changed, this, [this](const LiveSettings &values) {
        d->throttle.setInterval(values.minInterval);
        d->live.setLimit(values.maxLiveConversations);
    });
    d->throttle.setInterval(p.settings.values().minInterval);
    d->live.setLimit(p.settings.values().maxLiveConversations);
    if (const int heartbeat = qEnvironmentVariableIntValue("CONFAB_WS_HEARTBEAT_MS"); heartbeat > 0)
        p.hub->setHeartbeatInterval(std::chrono::milliseconds(heartbeat));
    wireRoutes();
    // An earlier run may have left imported or unindexed messages: search them fast again.
    p.indexer.start();
    const auto pruneSessions = [this] {
        if (const auto pruned = d->sessions.prune(SessionRetention); !pruned)
            qCWarning(lcAuth) << "cannot delete old sessions:" << pruned.error().toString();
        else if (*pruned > 0)
            qCInfo(lcAuth) << "deleted" << *pruned
                           << "sessions revoked or expired over 30 days ago";
    };
    auto *pruner = new QTimer(this);
    connect(pruner, &QTimer::timeout, this, pruneSessions);
    pruner->start(SessionPruneInterval);
    pruneSessions();
}

Server::~Server()
{
    // Answers in flight save their partial text while the stores still exist.
    d->relay.cancelAll(Error{ErrorCode::Cancelled, u"The server stopped."_s});
    // Gateway calls (children) hold replies on the pool's managers: they go first.
    qDeleteAll(children());
}

void Server::wireRoutes()
{
    Services &services = *d->services;
    addAuthRoutes(d->router, services);
    addAccountRoutes(d->router, services);
    addConversationRoutes(d->router, services);
    addChatRoutes(d->router, services);
    addAdminRoutes(d->router, services);
    addGatewayRoutes(d->router, services);
    addOpsRoutes(d->router, services);
}

Result<quint16> Server::start()
{
    Parts &p = *d;
    p.http.emplace(p.router);
    p.http->setObserver(
        [this](const HttpExchange &exchange, int status, std::chrono::nanoseconds elapsed) {
            const QString method = QString::fromLatin1(exchange.method());
            // The router names routes "METHOD pattern"; the method is a label of its own.
            QString route = exchange.routeName().section(u' ', 1);
            if (route.isEmpty())
                route = u"(unrouted)"_s;
            d->metrics.recordHttpRequest(route, method, status, elapsed);
            AccessLogEntry entry;
            entry.method = method;
            entry.route = route;
            entry.status = status;
            entry.duration = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed);
            entry.remoteAddress = exchange.peerAddress().toString();
            logAccess(entry);
        });
    connect(&*p.http, &HttpServer::webSocketConnected, this,
            [this](QWebSocket *socket, const QVariant &identity) {
                d->hub->accept(socket, identity.toString());
            });
    const bool https = !p.config.tlsCertPath.isEmpty() || !p.config.tlsKeyPath.isEmpty();
    std::optional<QSslConfiguration> tls;
    if (https) {
        auto loaded = tlsConfiguration(p.config);
        if (!loaded)
            return loaded.error();
        tls = *loaded;
    }
    HttpLimits limits;
    limits.maxBodyBytes = p.config.maxBodyBytes;
    auto port = p.http->listen(p.config.listenAddress, p.config.listenPort, limits);
    if (!port)
        return port;
    if (tls)
        p.http->guard()->setTlsConfiguration(*tls);
    p.http->guard()->setUpgradeAuthorizer(
        [this](const HttpRequestHead &head) -> std::optional<QVariant> {
            if (head.target.split('?').constFirst() != "/api/v1/ws")
                return std::nullopt;
            auto identity = d->auth->authenticate(head.header("authorization"));
            if (const auto *who = std::get_if<Identity>(&identity))
                return QVariant(who->session.id);
            return std::nullopt;
        });
    connect(p.http->guard(), &ConnectionGuard::rejected, this, [this](int status, const QString &) {
        d->metrics.rejectedConnections().labels({QString::number(status)}).inc();
    });
    qCInfo(lcHttp).noquote() << "confab-server listening on"
                             << u"%1://%2:%3"_s
                                    .arg(https ? u"https"_s : u"http"_s,
                                         p.config.listenAddress.toString())
                                    .arg(*port);
    return port;
}

void Server::shutdown(std::function<void()> done)
{
    Parts &p = *d;
    if (p.http)
        p.http->guard()->close(); // no new connections
    auto finish = std::make_shared<std::function<void()>>(
        [this, done = std::move(done), called = false]() mutable {
            if (called)
                return;
            called = true;
            d->hub->closeAll();
            // The streams just stopped queued their last events: write them out now, the event
            // loop is about to end and would take them along.
            if (d->http) {
                const auto sockets = d->http->guard()->findChildren<QAbstractSocket *>();
                for (QAbstractSocket *socket : sockets)
                    socket->flush();
            }
            done();
        });
    if (p.relay.activeCount() == 0)
        return (*finish)();
    connect(&p.relay, &ChatRelay::idle, this, [finish] { (*finish)(); });
    QTimer::singleShot(DrainTimeout, this, [finish] { (*finish)(); });
    const int stopped
        = p.relay.cancelAll(Error{ErrorCode::Cancelled, u"The server is shutting down."_s});
    qCInfo(lcHttp) << "shutting down: stopping" << stopped << "answers in flight";
}

Result<User> Server::createAdmin(Database &database, const QString &username,
                                 const QString &password)
{
    if (auto strong = PasswordPolicy::check(password, username); !strong)
        return strong.error();
    const auto hash = PasswordHasher().hashBlocking(password);
    if (!hash)
        return hash.error();
    User admin;
    admin.username = username;
    admin.passwordHash = *hash;
    admin.role = UserRole::Admin;
    admin.status = UserStatus::Active;
    return UserStore(database).create(admin);
}

} // namespace confab
