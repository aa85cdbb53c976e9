#include "upstreamerrors.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace confab::upstream {

namespace {

// Long enough for any real provider message, short enough for a status line or a log.
constexpr qsizetype MaxMessageLength = 500;

QString truncated(QString text)
{
    text = text.simplified();
    if (text.size() > MaxMessageLength)
        text = text.left(MaxMessageLength - 1) + QChar(0x2026);
    return text;
}

QString nonEmptyString(const QJsonValue &value)
{
    return value.isString() ? value.toString().trimmed() : QString();
}

} // namespace

std::optional<QString> errorMessageFromJson(const QJsonObject &json)
{
    const QJsonValue error = json.value("error"_L1);
    if (error.isObject()) {
        const QJsonObject object = error.toObject();
        for (const auto key : {"message"_L1, "msg"_L1, "code"_L1, "type"_L1}) {
            if (const QString text = nonEmptyString(object.value(key)); !text.isEmpty())
                return truncated(text);
        }
        return u"the provider reported an error without a message"_s;
    }
    if (const QString text = nonEmptyString(error); !text.isEmpty())
        return truncated(text);
    for (const auto key : {"message"_L1, "detail"_L1}) {
        if (const QString text = nonEmptyString(json.value(key)); !text.isEmpty())
            return truncated(text);
    }
    return std::nullopt;
}

QString errorMessageFromBody(QByteArrayView body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray());
    if (document.isObject()) {
        if (auto message = errorMessageFromJson(document.object()))
            return *message;
    }
    return truncated(QString::fromUtf8(body.first(std::min<qsizetype>(body.size(), 4096))));
}

Error errorForStatus(int httpStatus, QByteArrayView body)
{
    Error error;
    error.httpStatus = httpStatus;
    QString message = errorMessageFromBody(body);
    if (httpStatus == 401 || httpStatus == 403) {
        error.code = ErrorCode::Unauthorized;
        if (message.isEmpty())
            message = u"the provider refused the API key"_s;
    } else if (httpStatus == 429) {
        error.code = ErrorCode::RateLimited;
        if (message.isEmpty())
            message = u"the provider's rate limit was reached"_s;
    } else {
        error.code = ErrorCode::Upstream;
        if (message.isEmpty())
            message = u"the provider answered with HTTP status %1"_s.arg(httpStatus);
    }
    error.message = message;
    return error;
}

bool isRetryableStatus(int httpStatus)
{
    return httpStatus == 429 || (httpStatus >= 500 && httpStatus <= 599);
}

std::optional<std::chrono::milliseconds> parseRetryAfter(QByteArrayView value, const QDateTime &now)
{
    const QString text = QString::fromLatin1(value).trimmed();
    if (text.isEmpty())
        return std::nullopt;

    bool isNumber = false;
    const double seconds = text.toDouble(&isNumber);
    if (isNumber) {
        // Some providers send fractions ("0.5"); a negative value is nonsense.
        if (seconds < 0 || seconds > 365.0 * 24 * 3600)
            return std::nullopt;
        return std::chrono::milliseconds(qint64(seconds * 1000));
    }

    // HTTP-date: IMF-fixdate is what senders must produce; RFC 850 and asctime are obsolete
    // forms a recipient must still accept (RFC 9110, 5.6.7). The weekday is redundant and
    // skipped: Qt would check it against a two-digit RFC 850 year read as 19xx.
    const QLocale c = QLocale::c();
    const QString simple = text.simplified();
    QDateTime date;
    if (const qsizetype comma = simple.indexOf(u','); comma > 0) {
        const QString rest = simple.mid(comma + 1).trimmed();
        date = c.toDateTime(rest, u"dd MMM yyyy HH:mm:ss 'GMT'"_s);
        if (!date.isValid()) {
            date = c.toDateTime(rest, u"dd-MMM-yy HH:mm:ss 'GMT'"_s);
            if (date.isValid() && date.date().year() < 1970)
                date = date.addYears(100);
        }
    } else if (const qsizetype space = simple.indexOf(u' '); space > 0) {
        date = c.toDateTime(simple.mid(space + 1), u"MMM d HH:mm:ss yyyy"_s);
    }
    if (!date.isValid())
        return std::nullopt;
    // Parsed as local time fields; they are UTC.
    const QDateTime utc(date.date(), date.time(), Qt::UTC);
    return std::chrono::milliseconds(std::max<qint64>(0, now.msecsTo(utc)));
}

Error errorForNetworkFailure(QNetworkReply::NetworkError code, const QString &qtMessage)
{
    QString message;
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
        message = u"the provider refused the connection (is it running?)"_s;
        break;
    case QNetworkReply::RemoteHostClosedError:
        message = u"the provider closed the connection"_s;
        break;
    case QNetworkReply::HostNotFoundError:
        message = u"the provider's host name could not be resolved"_s;
        break;
    case QNetworkReply::TimeoutError:
        message = u"the connection to the provider timed out"_s;
        break;
    case QNetworkReply::SslHandshakeFailedError:
        message = u"the secure connection to the provider failed: %1"_s.arg(qtMessage);
        break;
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        message = u"the network is not available"_s;
        break;
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        message = u"the proxy failed: %1"_s.arg(qtMessage);
        break;
    default:
        message = u"network error: %1"_s.arg(qtMessage);
        break;
    }
    return Error{ErrorCode::Network, message};
}

Error withoutSecret(Error error, const QString &secret)
{
    if (!secret.isEmpty())
        error.message.replace(secret, u"[redacted]"_s);
    return error;
}

bool isRetryableNetworkFailure(QNetworkReply::NetworkError code)
{
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
        return true;
    default:
        // DNS, TLS and protocol failures are configuration problems: retrying only delays
        // the message the user needs.
        return false;
    }
}

} // namespace confab::upstream
