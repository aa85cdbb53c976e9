#include "settings.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// The registry: every key with its default.
struct Key
{
    QLatin1StringView name;
    QVariant fallback;
};

const Key Language{"ui/language"_L1, QString()};
const Key ThemeKey{"ui/theme"_L1, u"System"_s};
const Key FontSize{"ui/fontSize"_L1, 0};
const Key SendKeyKey{"ui/sendKey"_L1, u"Enter"_s};
const Key ProxyModeKey{"network/proxyMode"_L1, u"System"_s};
const Key ProxyHost{"network/proxyHost"_L1, QString()};
const Key ProxyPort{"network/proxyPort"_L1, 8080};
const Key Connections{"connections/list"_L1, QByteArray()};
const Key ActiveConnection{"connections/active"_L1, QString()};
const Key PlainFileSecrets{"secrets/plainFileAllowed"_L1, false};
const Key WindowGeometry{"window/geometry"_L1, QByteArray()};
const Key WindowState{"window/state"_L1, QByteArray()};
const Key SplitterState{"window/splitter"_L1, QByteArray()};
const Key OpenConversations{"tabs/open"_L1, QString()};
const Key CurrentConversation{"tabs/current"_L1, 0};

QVariant read(const QSettings &store, const Key &key)
{
    return store.value(key.name, key.fallback);
}

template<typename Enum>
Enum enumFrom(const QVariant &value, Enum fallback)
{
    bool ok = false;
    const int parsed
        = QMetaEnum::fromType<Enum>().keyToValue(value.toString().toLatin1().constData(), &ok);
    return ok ? Enum(parsed) : fallback;
}

template<typename Enum>
QString enumName(Enum value)
{
    return QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
}

QString connectionKindName(Connection::Kind kind)
{
    return kind == Connection::Kind::Server ? u"server"_s : u"provider"_s;
}

} // namespace

Settings::Settings(QObject *parent)
    : QObject(parent)
    , m_store(std::make_unique<QSettings>())
{}

Settings::Settings(const QString &iniPath, QObject *parent)
    : QObject(parent)
    , m_store(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{}

Settings::~Settings() = default;

QString Settings::dataDirectory() const
{
    if (m_store->format() == QSettings::IniFormat)
        return QFileInfo(m_store->fileName()).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString Settings::language() const
{
    return read(*m_store, Language).toString();
}

void Settings::setLanguage(const QString &language)
{
    if (language == this->language())
        return;
    m_store->setValue(Language.name, language);
    emit languageChanged(language);
}

Settings::Theme Settings::theme() const
{
    return enumFrom(read(*m_store, ThemeKey), Theme::System);
}

void Settings::setTheme(Theme theme)
{
    if (theme == this->theme())
        return;
    m_store->setValue(ThemeKey.name, enumName(theme));
    emit themeChanged(theme);
}

int Settings::fontSize() const
{
    return qBound(0, read(*m_store, FontSize).toInt(), 48);
}

void Settings::setFontSize(int points)
{
    points = qBound(0, points, 48);
    if (points == fontSize())
        return;
    m_store->setValue(FontSize.name, points);
    emit fontSizeChanged(points);
}

Settings::SendKey Settings::sendKey() const
{
    return enumFrom(read(*m_store, SendKeyKey), SendKey::Enter);
}

void Settings::setSendKey(SendKey key)
{
    if (key == sendKey())
        return;
    m_store->setValue(SendKeyKey.name, enumName(key));
    emit sendKeyChanged(key);
}

Settings::ProxyMode Settings::proxyMode() const
{
    return enumFrom(read(*m_store, ProxyModeKey), ProxyMode::System);
}

QString Settings::proxyHost() const
{
    return read(*m_store, ProxyHost).toString();
}

int Settings::proxyPort() const
{
    return read(*m_store, ProxyPort).toInt();
}

void Settings::setProxy(ProxyMode mode, const QString &host, int port)
{
    m_store->setValue(ProxyModeKey.name, enumName(mode));
    m_store->setValue(ProxyHost.name, host.trimmed());
    m_store->setValue(ProxyPort.name, qBound(1, port, 65535));
    emit proxyChanged();
}

QList<Connection> Settings::connections() const
{
    QList<Connection> connections;
    const QJsonArray array
        = QJsonDocument::fromJson(read(*m_store, Connections).toByteArray()).array();
    for (const QJsonValue &item : array) {
        const QJsonObject json = item.toObject();
        Connection connection;
        connection.id = json.value("id"_L1).toString();
        if (connection.id.isEmpty())
            continue;
        connection.kind = json.value("kind"_L1).toString() == "server"_L1
            ? Connection::Kind::Server
            : Connection::Kind::Provider;
        connection.name = json.value("name"_L1).toString();
        connection.providerId = json.value("provider"_L1).toString();
        connection.baseUrl = QUrl(json.value("base_url"_L1).toString());
        connection.model = json.value("model"_L1).toString();
        connection.username = json.value("username"_L1).toString();
        connections.append(connection);
    }
    return connections;
}

void Settings::setConnections(const QList<Connection> &connections)
{
    QJsonArray array;
    for (const Connection &connection : connections) {
        array.append(QJsonObject{{u"id"_s, connection.id},
                                 {u"kind"_s, connectionKindName(connection.kind)},
                                 {u"name"_s, connection.name},
                                 {u"provider"_s, connection.providerId},
                                 {u"base_url"_s, connection.baseUrl.toString()},
                                 {u"model"_s, connection.model},
                                 {u"username"_s, connection.username}});
    }
    m_store->setValue(Connections.name, QJsonDocument(array).toJson(QJsonDocument::Compact));
    emit connectionsChanged();
}

QString Settings::activeConnectionId() const
{
    return read(*m_store, ActiveConnection).toString();
}

void Settings::setActiveConnectionId(const QString &id)
{
    m_store->setValue(ActiveConnection.name, id);
    emit connectionsChanged();
}

std::optional<Connection> Settings::activeConnection() const
{
    const QList<Connection> all = connections();
    const QString active = activeConnectionId();
    for (const Connection &connection : all) {
        if (connection.id == active)
            return connection;
    }
    return all.isEmpty() ? std::nullopt : std::optional(all.first());
}

bool Settings::plainFileSecretsAllowed() const
{
    return read(*m_store, PlainFileSecrets).toBool();
}

void Settings::setPlainFileSecretsAllowed(bool allowed)
{
    m_store->setValue(PlainFileSecrets.name, allowed);
}

QByteArray Settings::windowGeometry() const
{
    return read(*m_store, WindowGeometry).toByteArray();
}

QByteArray Settings::windowState() const
{
    return read(*m_store, WindowState).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray &geometry, const QByteArray &state)
{
    m_store->setValue(WindowGeometry.name, geometry);
    m_store->setValue(WindowState.name, state);
}

QByteArray Settings::splitterState() const
{
    return read(*m_store, SplitterState).toByteArray();
}

void Settings::setSplitterState(const QByteArray &state)
{
    m_store->setValue(SplitterState.name, state);
}

QString Settings::tabsKey(QLatin1StringView key) const
{
    // Local tabs keep the keys of earlier versions; a server's tabs live under its id.
    if (m_tabsScope.isEmpty())
        return key;
    return u"tabs/%1/%2"_s.arg(m_tabsScope, QString(key).section(u'/', 1));
}

void Settings::setTabsScope(const QString &connectionId)
{
    m_tabsScope = connectionId;
}

QList<qint64> Settings::openConversations() const
{
    QList<qint64> ids;
    const QStringList parts = m_store->value(tabsKey(OpenConversations.name))
                                  .toString()
                                  .split(u',', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        bool ok = false;
        const qint64 id = part.toLongLong(&ok);
        if (ok && id > 0 && !ids.contains(id))
            ids.append(id);
    }
    return ids;
}

qint64 Settings::currentConversation() const
{
    return m_store->value(tabsKey(CurrentConversation.name), 0).toLongLong();
}

void Settings::setOpenConversations(const QList<qint64> &ids, qint64 current)
{
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    m_store->setValue(tabsKey(OpenConversations.name), parts.join(u','));
    m_store->setValue(tabsKey(CurrentConversation.name), current);
}

} // namespace confab
