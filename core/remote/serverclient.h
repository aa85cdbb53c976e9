#pragma once

#include "common/result.h"

#include <QDeadlineTimer>
#include <QJsonValue>
#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QUrlQuery;

namespace confab {

// The account a ServerClient is signed in as.
struct ServerUser
{
    qint64 id = 0;
    QString username;
    QString role;   // "user" or "admin"
    QString status; // "active", "pending", "disabled"

    bool isAdmin() const { return role == QLatin1String("admin"); }
    static ServerUser fromJson(const QJsonObject &json);
};

// The app's REST client for one confab-server (DESIGN.md 4): sign-in, registration and the
// JSON calls of the API, with the access token attached and renewed. The refresh token
// rotates on every renewal; refreshTokenChanged() tells its owner what to keep (the app keeps
// it in the keychain so the next start signs in silently).
//
// When the server ends the session (another device signed in, the account was disabled, an
// admin revoked it), every later call fails and sessionEnded() says why, once.
class ServerClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerClient)

public:
    template<typename T>
    using Handler = std::function<void(Result<T>)>;
    // The reply's JSON (null for an empty reply), or the server's error.
    using JsonHandler = Handler<QJsonValue>;

    // serverUrl: the server's root ("https://chat.example.com"); the API lives under /api/v1.
    explicit ServerClient(const QUrl &serverUrl, QObject *parent = nullptr);
    ~ServerClient() override;

    QUrl serverUrl() const { return m_serverUrl; }
    bool isSignedIn() const { return !m_refreshToken.isEmpty(); }
    const ServerUser &user() const { return m_user; }
    QString refreshToken() const { return m_refreshToken; }

    void login(const QString &username, const QString &password, QObject *context,
               Handler<ServerUser> handler);
    // Creates an account; its status is "pending" while it waits for an admin's approval.
    void registerAccount(const QString &username, const QString &password, const QString &email,
                         QObject *context, Handler<ServerUser> handler);
    // Signs in with a refresh token kept from an earlier run.
    void resume(const QString &refreshToken, QObject *context, Handler<ServerUser> handler);
    // Takes a refresh token kept from an earlier run without asking the server now: the first
    // call renews it (so the app starts at once, even while the server is away).
    void setRefreshToken(const QString &refreshToken);
    // Ends the session on the server and forgets the tokens.
    void logout(QObject *context, Handler<void> handler);

    // A JSON call under /api/v1 (path "/conversations"), signed in. GET with query items; the
    // other verbs with a JSON body (ignored when null).
    void get(const QString &path, const QUrlQuery &query, QObject *context, JsonHandler handler);
    void call(const QByteArray &verb, const QString &path, const QJsonValue &body, QObject *context,
              JsonHandler handler);

    // An access token valid for a while yet (renewed first when needed), for the WebSocket.
    void withAccessToken(QObject *context, Handler<QString> handler);
    // The WebSocket's address: ws(s)://host/api/v1/ws.
    QUrl webSocketUrl() const;

    // The server's error reply as an Error (code, message, server code, details).
    static Error errorFromReply(QNetworkReply *reply, const QByteArray &body);
    // An {"code","message",...} error object (also inside WebSocket frames) as an Error.
    static Error errorFromObject(const QJsonObject &object, int httpStatus = 0);
    // Whether an error means the session is over (not just an expired access token).
    static bool endsSession(const Error &error);

    // The server told this client its session is over (also over the WebSocket).
    void endSession(const Error &reason);

signals:
    // A sign-in or a renewal succeeded; user() is the account as the server reports it.
    void signedIn(const confab::ServerUser &user);
    // The refresh token to keep; empty when there is none any more.
    void refreshTokenChanged(const QString &refreshToken);
    void sessionEnded(const confab::Error &reason);

private:
    struct Call;

    void authenticate(const QString &path, const QJsonObject &body, QObject *context,
                      Handler<ServerUser> handler);
    void startCall(std::shared_ptr<Call> call);
    void sendSigned(std::shared_ptr<Call> call);
    void renewThen(std::function<void(const std::optional<Error> &)> next);
    QNetworkReply *sendRaw(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                           const QString &bearer);
    void acceptTokens(const QJsonObject &reply);
    void forgetTokens();
    QUrl apiUrl(const QString &path) const;

    QUrl m_serverUrl;
    QNetworkAccessManager *m_network;
    ServerUser m_user;
    QString m_accessToken;
    QString m_refreshToken;
    QDeadlineTimer m_accessValid;
    bool m_sessionEnded = false;
    // Calls waiting for a renewal under way.
    QList<std::function<void(const std::optional<Error> &)>> m_waitingForRenewal;
    bool m_renewing = false;
};

} // namespace confab
