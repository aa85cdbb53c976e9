#include "serverclient.h"

#include "common/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace confab {

namespace {

// Renew an access token this long before it expires, so a call never races its expiry.
constexpr auto RenewalMargin = 30s;
constexpr auto CallTimeout = 30s;

ErrorCode errorCodeFor(const QString &serverCode, int status)
{
    static const QHash<QString, ErrorCode> codes{
        {u"invalid_request"_s, ErrorCode::InvalidInput},
        {u"payload_too_large"_s, ErrorCode::InvalidInput},
        {u"invalid_credentials"_s, ErrorCode::Unauthorized},
        {u"unauthorized"_s, ErrorCode::Unauthorized},
        {u"session_replaced"_s, ErrorCode::Unauthorized},
        {u"account_disabled"_s, ErrorCode::Forbidden},
        {u"pending_approval"_s, ErrorCode::Forbidden},
        {u"registration_closed"_s, ErrorCode::Forbidden},
        {u"forbidden"_s, ErrorCode::Forbidden},
        {u"not_found"_s, ErrorCode::NotFound},
        {u"conflict"_s, ErrorCode::Conflict},
        {u"too_many_conversations"_s, ErrorCode::Conflict},
        {u"rate_limited"_s, ErrorCode::RateLimited},
        {u"quota_exceeded"_s, ErrorCode::QuotaExceeded},
        {u"upstream_error"_s, ErrorCode::Upstream},
        {u"cancelled"_s, ErrorCode::Cancelled},
        {u"unavailable"_s, ErrorCode::Unavailable},
        {u"insufficient_storage"_s, ErrorCode::DiskFull},
    };
    if (const auto it = codes.constFind(serverCode); it != codes.cend())
        return *it;
    if (status == 401)
        return ErrorCode::Unauthorized;
    if (status == 403)
        return ErrorCode::Forbidden;
    if (status == 404)
        return ErrorCode::NotFound;
    return status >= 500 ? ErrorCode::Upstream : ErrorCode::Protocol;
}

} // namespace

ServerUser ServerUser::fromJson(const QJsonObject &json)
{
    return {json.value("id"_L1).toString().toLongLong(), json.value("username"_L1).toString(),
            json.value("role"_L1).toString(), json.value("status"_L1).toString()};
}

// One API call, kept until it is answered: renewing the token may send it twice.
struct ServerClient::Call
{
    QByteArray verb;
    QUrl url;
    QByteArray body;
    QPointer<QObject> context;
    JsonHandler handler;
    bool retried = false;

    void finish(Result<QJsonValue> result)
    {
        if (!context || !handler)
            return;
        QMetaObject::invokeMethod(
            context.get(),
            [handler = std::move(handler), result = std::move(result)]() mutable {
                handler(std::move(result));
            },
            Qt::QueuedConnection);
        handler = nullptr;
    }
};

ServerClient::ServerClient(const QUrl &serverUrl, QObject *parent)
    : QObject(parent)
    , m_serverUrl(serverUrl.adjusted(QUrl::StripTrailingSlash))
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network->setTransferTimeout(std::chrono::milliseconds(CallTimeout).count());
}

ServerClient::~ServerClient() = default;

QUrl ServerClient::apiUrl(const QString &path) const
{
    QUrl url = m_serverUrl;
    url.setPath(m_serverUrl.path() + u"/api/v1"_s + path);
    return url;
}

QUrl ServerClient::webSocketUrl() const
{
    QUrl url = apiUrl(u"/ws"_s);
    url.setScheme(m_serverUrl.scheme() == "https"_L1 ? u"wss"_s : u"ws"_s);
    return url;
}

Error ServerClient::errorFromReply(QNetworkReply *reply, const QByteArray &body)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    Error error;
    error.httpStatus = status;
    const QJsonObject object = QJsonDocument::fromJson(body).object().value("error"_L1).toObject();
    if (status == 0) {
        error.code = reply->error() == QNetworkReply::OperationCanceledError
            ? ErrorCode::ConnectTimeout
            : ErrorCode::Network;
        error.message = reply->errorString();
        return error;
    }
    if (object.isEmpty()) {
        error.code = errorCodeFor({}, status);
        error.message = tr("The server answered HTTP %1 without an explanation.").arg(status);
        return error;
    }
    return errorFromObject(object, status);
}

Error ServerClient::errorFromObject(const QJsonObject &object, int httpStatus)
{
    Error error;
    error.httpStatus = httpStatus;
    error.serverCode = object.value("code"_L1).toString();
    error.message = object.value("message"_L1).toString();
    error.code = errorCodeFor(error.serverCode, httpStatus);
    error.details = object.toVariantMap();
    error.details.remove(u"code"_s);
    error.details.remove(u"message"_s);
    return error;
}

bool ServerClient::endsSession(const Error &error)
{
    return error.serverCode == "session_replaced"_L1 || error.serverCode == "account_disabled"_L1
        || (error.httpStatus == 401 && error.serverCode != "invalid_credentials"_L1);
}

QNetworkReply *ServerClient::sendRaw(const QByteArray &verb, const QUrl &url,
                                     const QByteArray &body, const QString &bearer)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("Accept", "application/json");
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer.toUtf8());
    return m_network->sendCustomRequest(request, verb, body);
}

void ServerClient::login(const QString &username, const QString &password, QObject *context,
                         Handler<ServerUser> handler)
{
    authenticate(u"/auth/login"_s, {{u"username"_s, username}, {u"password"_s, password}}, context,
                 std::move(handler));
}

void ServerClient::resume(const QString &refreshToken, QObject *context,
                          Handler<ServerUser> handler)
{
    authenticate(u"/auth/refresh"_s, {{u"refresh_token"_s, refreshToken}}, context,
                 std::move(handler));
}

void ServerClient::authenticate(const QString &path, const QJsonObject &body, QObject *context,
                                Handler<ServerUser> handler)
{
    QNetworkReply *reply
        = sendRaw("POST", apiUrl(path), QJsonDocument(body).toJson(QJsonDocument::Compact), {});
    connect(reply, &QNetworkReply::finished, context, [this, reply, handler = std::move(handler)] {
        reply->deleteLater();
        const QByteArray bytes = reply->readAll();
        if (reply->error() != QNetworkReply::NoError)
            return handler(errorFromReply(reply, bytes));
        acceptTokens(QJsonDocument::fromJson(bytes).object());
        if (m_refreshToken.isEmpty())
            return handler(
                Error{ErrorCode::Protocol, tr("The server's sign-in reply has no tokens.")});
        handler(m_user);
    });
}

void ServerClient::registerAccount(const QString &username, const QString &password,
                                   const QString &email, QObject *context,
                                   Handler<ServerUser> handler)
{
    QJsonObject body{{u"username"_s, username}, {u"password"_s, password}};
    if (!email.isEmpty())
        body.insert(u"email"_s, email);
    QNetworkReply *reply = sendRaw("POST", apiUrl(u"/auth/register"_s),
                                   QJsonDocument(body).toJson(QJsonDocument::Compact), {});
    connect(reply, &QNetworkReply::finished, context, [reply, handler = std::move(handler)] {
        reply->deleteLater();
        const QByteArray bytes = reply->readAll();
        if (reply->error() != QNetworkReply::NoError)
            return handler(errorFromReply(reply, bytes));
        handler(ServerUser::fromJson(
            QJsonDocument::fromJson(bytes).object().value("user"_L1).toObject()));
    });
}

void ServerClient::logout(QObject *context, Handler<void> handler)
{
    call("POST", u"/auth/logout"_s, QJsonValue(), context,
         [this, handler = std::move(handler)](Result<QJsonValue> result) {
             forgetTokens();
             if (!result && !endsSession(result.error()))
                 return handler(result.error());
             handler({});
         });
}

void ServerClient::acceptTokens(const QJsonObject &reply)
{
    m_accessToken = reply.value("access_token"_L1).toString();
    m_refreshToken = reply.value("refresh_token"_L1).toString();
    const auto lifetime = std::chrono::seconds(reply.value("expires_in"_L1).toInteger(60));
    m_accessValid.setRemainingTime(
        std::max<std::chrono::milliseconds>(lifetime - RenewalMargin, lifetime / 2));
    if (reply.contains("user"_L1))
        m_user = ServerUser::fromJson(reply.value("user"_L1).toObject());
    m_sessionEnded = m_refreshToken.isEmpty();
    emit refreshTokenChanged(m_refreshToken);
    if (!m_refreshToken.isEmpty())
        emit signedIn(m_user);
}

void ServerClient::setRefreshToken(const QString &refreshToken)
{
    m_refreshToken = refreshToken;
    m_accessToken.clear();
    m_sessionEnded = refreshToken.isEmpty();
}

void ServerClient::forgetTokens()
{
    m_accessToken.clear();
    const bool had = !m_refreshToken.isEmpty();
    m_refreshToken.clear();
    if (had)
        emit refreshTokenChanged({});
}

void ServerClient::endSession(const Error &reason)
{
    if (m_sessionEnded)
        return;
    m_sessionEnded = true;
    forgetTokens();
    qCInfo(lcClient) << "the server ended this session:" << reason.toString();
    emit sessionEnded(reason);
}

void ServerClient::get(const QString &path, const QUrlQuery &query, QObject *context,
                       JsonHandler handler)
{
    auto pending = std::make_shared<Call>();
    pending->verb = "GET";
    pending->url = apiUrl(path);
    pending->url.setQuery(query);
    pending->context = context;
    pending->handler = std::move(handler);
    startCall(std::move(pending));
}

void ServerClient::call(const QByteArray &verb, const QString &path, const QJsonValue &body,
                        QObject *context, JsonHandler handler)
{
    auto pending = std::make_shared<Call>();
    pending->verb = verb;
    pending->url = apiUrl(path);
    if (body.isObject())
        pending->body = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    else if (body.isArray())
        pending->body = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    pending->context = context;
    pending->handler = std::move(handler);
    startCall(std::move(pending));
}

void ServerClient::startCall(std::shared_ptr<Call> call)
{
    if (m_refreshToken.isEmpty())
        return call->finish(Error{ErrorCode::Unauthorized, tr("Not signed in to the server.")});
    if (!m_accessToken.isEmpty() && !m_accessValid.hasExpired())
        return sendSigned(std::move(call));
    renewThen([this, call](const std::optional<Error> &error) {
        if (error)
            return call->finish(*error);
        sendSigned(call);
    });
}

void ServerClient::sendSigned(std::shared_ptr<Call> call)
{
    QNetworkReply *reply = sendRaw(call->verb, call->url, call->body, m_accessToken);
    connect(reply, &QNetworkReply::finished, this, [this, reply, call] {
        reply->deleteLater();
        const QByteArray bytes = reply->readAll();
        if (reply->error() == QNetworkReply::NoError) {
            if (bytes.isEmpty())
                return call->finish(QJsonValue());
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
            if (parseError.error != QJsonParseError::NoError)
                return call->finish(
                    Error{ErrorCode::Protocol,
                          tr("The server's reply is not JSON: %1").arg(parseError.errorString())});
            return call->finish(document.isArray() ? QJsonValue(document.array())
                                                   : QJsonValue(document.object()));
        }
        Error error = errorFromReply(reply, bytes);
        // An access token that expired in flight: renew once and send again.
        if (error.serverCode == "unauthorized"_L1 && !call->retried) {
            call->retried = true;
            m_accessToken.clear();
            return startCall(call);
        }
        if (endsSession(error))
            endSession(error);
        call->finish(std::move(error));
    });
}

void ServerClient::renewThen(std::function<void(const std::optional<Error> &)> next)
{
    m_waitingForRenewal.append(std::move(next));
    if (m_renewing)
        return;
    m_renewing = true;
    QNetworkReply *reply = sendRaw("POST", apiUrl(u"/auth/refresh"_s),
                                   QJsonDocument(QJsonObject{{u"refresh_token"_s, m_refreshToken}})
                                       .toJson(QJsonDocument::Compact),
                                   {});
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_renewing = false;
        const QByteArray bytes = reply->readAll();
        std::optional<Error> error;
        if (reply->error() == QNetworkReply::NoError) {
            acceptTokens(QJsonDocument::fromJson(bytes).object());
        } else {
            error = errorFromReply(reply, bytes);
            if (endsSession(*error))
                endSession(*error);
        }
        const auto waiting = std::exchange(m_waitingForRenewal, {});
        for (const auto &continuation : waiting)
            continuation(error);
    });
}

void ServerClient::withAccessToken(QObject *context, Handler<QString> handler)
{
    QPointer<QObject> guard(context);
    auto answer = [this, guard, handler = std::move(handler)](const std::optional<Error> &error) {
        if (!guard)
            return;
        if (error)
            return handler(*error);
        handler(m_accessToken);
    };
    if (m_refreshToken.isEmpty())
        return answer(Error{ErrorCode::Unauthorized, tr("Not signed in to the server.")});
    if (!m_accessToken.isEmpty() && !m_accessValid.hasExpired())
        return answer(std::nullopt);
    renewThen(std::move(answer));
}

} // namespace confab
