#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

class QSettings;

namespace confab {

// A way to reach a model: a provider the user holds a key for (direct mode), or a team server
// (confab-server) the user signs in to. The secret itself, the provider's API key or the
// server's refresh token, lives in the SecretStore under secretKey().
struct Connection
{
    enum class Kind { Provider, Server };

    QString id; // stable UUID
    Kind kind = Kind::Provider;
    QString name;
    QString providerId; // ProviderPresets id ("openai", "custom", ...)
    QUrl baseUrl;       // a provider's API base, or the server's address
    QString model;
    QString username; // a server's account

    QString secretKey() const { return QStringLiteral("connection/") + id; }
    bool operator==(const Connection &) const = default;
};

// Every setting of the desktop app, in one place: key, default and typed accessors. Backed by
// QSettings (the platform's native store); tests use temporary(), an ini file of their own.
// Setters announce changes so open windows follow at once.
class Settings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Settings)

public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)
    enum class SendKey { Enter, CtrlEnter };
    Q_ENUM(SendKey)
    enum class ProxyMode { System, None, Manual };
    Q_ENUM(ProxyMode)

    // The user's settings in the platform's usual place.
    explicit Settings(QObject *parent = nullptr);
    // Settings in the given ini file (tests, portable installs).
    explicit Settings(const QString &iniPath, QObject *parent = nullptr);
    ~Settings() override;

    // Where the database and a plain key file live: beside the ini file when there is one
    // (confab --data-dir), else the platform's data folder.
    QString dataDirectory() const;

    // "" follows the system; otherwise "en" or "zh_CN".
    QString language() const;
    void setLanguage(const QString &language);
    Theme theme() const;
    void setTheme(Theme theme);
    // Point size of message text; 0 uses the system font's size.
    int fontSize() const;
    void setFontSize(int points);
    SendKey sendKey() const;
    void setSendKey(SendKey key);

    ProxyMode proxyMode() const;
    QString proxyHost() const;
    int proxyPort() const;
    void setProxy(ProxyMode mode, const QString &host, int port);

    QList<Connection> connections() const;
    void setConnections(const QList<Connection> &connections);
    QString activeConnectionId() const;
    void setActiveConnectionId(const QString &id);
    // The active connection, or the first one; nullopt before the first run is finished.
    std::optional<Connection> activeConnection() const;

    // The user agreed to keep secrets in a plain file because no keychain exists.
    bool plainFileSecretsAllowed() const;
    void setPlainFileSecretsAllowed(bool allowed);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowGeometry(const QByteArray &geometry, const QByteArray &state);
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray &state);
    // Open tabs are kept per place of history: this computer's (the default), or a team
    // server's under its connection id.
    void setTabsScope(const QString &connectionId);
    QList<qint64> openConversations() const;
    qint64 currentConversation() const;
    void setOpenConversations(const QList<qint64> &ids, qint64 current);

signals:
    void languageChanged(const QString &language);
    void themeChanged(confab::Settings::Theme theme);
    void fontSizeChanged(int points);
    void sendKeyChanged(confab::Settings::SendKey key);
    void proxyChanged();
    void connectionsChanged();

private:
    QString tabsKey(QLatin1StringView key) const;

    std::unique_ptr<QSettings> m_store;
    QString m_tabsScope;
};

} // namespace confab
