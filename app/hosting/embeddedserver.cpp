#include "embeddedserver.h"

#include "app/server.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkInterface>
#include <QtConcurrent>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

ServerConfig serverConfig(const HostOptions &options)
{
    ServerConfig config;
    config.listenAddress = options.listenAddress;
    config.listenPort = options.port;
    config.databasePath = options.databasePath;
    config.upstreamBaseUrl = options.upstreamBaseUrl;
    config.upstreamModel = options.upstreamModel;
    config.upstreamApiKey = options.upstreamApiKey;
    config.registration = options.registration;
    return config;
}

} // namespace

EmbeddedServer::EmbeddedServer(SecretStore &secrets, QObject *parent)
    : QObject(parent)
    , m_secrets(secrets)
{}

// The Server is a child: QObject deletes it, and its destructor saves the answers in flight.
EmbeddedServer::~EmbeddedServer() = default;

void EmbeddedServer::start(const HostOptions &options, QObject *context,
                           std::function<void(Result<QUrl>)> handler)
{
    const auto reply = [context = QPointer<QObject>(context), handler](Result<QUrl> result) {
        if (context)
            QMetaObject::invokeMethod(
                context, [handler, result] { handler(result); }, Qt::QueuedConnection);
    };
    if (m_state != State::Stopped)
        return reply(Error{ErrorCode::Conflict, u"The team server is already running."_s});
    setState(State::Starting);
    const auto finish = [this, reply](Result<QUrl> result) {
        setState(result ? State::Running : State::Stopped);
        reply(std::move(result));
    };
    LocalAdmin::loadPassword(m_secrets, this, [this, options, finish](auto password) {
        if (!password)
            return finish(password.error());
        m_admin = {LocalAdmin::username(), password->password};
        launch(options, password->isNew, finish);
    });
}

// The admin is made on a worker thread (hashing takes a moment), then the server opens the
// same file here.
void EmbeddedServer::launch(const HostOptions &options, bool passwordIsNew, StartHandler finish)
{
    const QString path = options.databasePath;
    QDir().mkpath(QFileInfo(path).absolutePath());
    QtConcurrent::run([path, admin = m_admin, passwordIsNew] {
        return LocalAdmin::ensureAccount(path, admin, passwordIsNew);
    }).then(this, [this, options, finish](Result<void> ensured) {
        if (!ensured)
            return finish(ensured.error());
        finish(listen(options));
    });
}

Result<QUrl> EmbeddedServer::listen(const HostOptions &options)
{
    auto created = Server::create(serverConfig(options), this);
    if (!created)
        return created.error();
    std::unique_ptr<Server> server = std::move(created).value();
    const auto port = server->start();
    if (!port)
        return port.error();
    m_server = server.release(); // owned by this, its parent, from now on
    m_options = options;
    m_options.upstreamApiKey.clear();
    m_url = QUrl(u"http://127.0.0.1:%1"_s.arg(*port));
    return m_url;
}

void EmbeddedServer::stop()
{
    if (m_state != State::Running)
        return;
    setState(State::Stopping);
    connect(m_server, &QObject::destroyed, this, [this] {
        m_url.clear();
        setState(State::Stopped);
        emit stopped();
    });
    // Deleted later: done runs inside the server's own signal handlers.
    m_server->shutdown([server = m_server] {
        if (server)
            server->deleteLater();
    });
}

QList<QUrl> EmbeddedServer::addresses() const
{
    if (!isRunning())
        return {};
    if (m_options.listenAddress.isLoopback())
        return {m_url};
    QList<QUrl> urls;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp)
            || !flags.testFlag(QNetworkInterface::IsRunning)
            || flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        const auto entries = interface.addressEntries();
        for (const QNetworkAddressEntry &entry : entries) {
            const QHostAddress ip = entry.ip();
            if (ip.protocol() == QAbstractSocket::IPv4Protocol && !ip.isLoopback())
                urls.append(QUrl(u"http://%1:%2"_s.arg(ip.toString()).arg(m_url.port())));
        }
    }
    return urls;
}

void EmbeddedServer::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace confab
