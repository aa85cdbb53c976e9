#include "errorhint.h"

#include "common/error.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace confab {

QString ErrorHint::forCode(const QString &codeName, int httpStatus)
{
    if (codeName == "unauthorized"_L1 || codeName == "session_replaced"_L1 || httpStatus == 401)
        return tr("Check the API key of this connection in Settings.");
    if (codeName == "forbidden"_L1 || httpStatus == 403)
        return tr("The provider refused the request: check that your key may use this model.");
    if (codeName == "rate_limited"_L1 || httpStatus == 429)
        return tr("The provider is limiting requests: wait a moment, then retry.");
    if (codeName == "quota_exceeded"_L1)
        return tr("The quota is used up: check your plan or ask your administrator.");
    if (codeName == "network"_L1 || codeName == "connect_timeout"_L1)
        return tr("Check your internet connection and the proxy in Settings, then retry.");
    if (codeName == "first_byte_timeout"_L1 || codeName == "idle_timeout"_L1
        || codeName == "total_timeout"_L1)
        return tr("The provider took too long to answer: retry, or try again later.");
    if (httpStatus == 404)
        return tr("Check the model name in the parameters and the base URL of the connection.");
    if (codeName == "upstream_error"_L1 || codeName == "protocol"_L1 || httpStatus >= 500)
        return tr("The provider had a problem: retry in a moment.");
    if (codeName == "disk_full"_L1)
        return tr("Free some disk space, then retry.");
    if (codeName == "interrupted"_L1)
        return tr("Confab was closed while answering: retry to get a full answer.");
    return {};
}

QString ErrorHint::forError(const Error &error)
{
    return forCode(error.codeName(), error.httpStatus);
}

QString ErrorHint::forServerError(const Error &error)
{
    const QString &code = error.serverCode;
    if (code == "rate_limited"_L1) {
        const qint64 waitMs = error.details.value(u"retry_after_ms"_s).toLongLong();
        return tr("The server allows one message every few seconds: wait %n s, then send again.",
                  nullptr, int(std::max<qint64>(1, (waitMs + 999) / 1000)));
    }
    if (code == "quota_exceeded"_L1) {
        static const QHash<QString, const char *> quotas{
            {u"daily_requests"_s, QT_TR_NOOP("daily message")},
            {u"monthly_requests"_s, QT_TR_NOOP("monthly message")},
            {u"daily_tokens"_s, QT_TR_NOOP("daily token")},
            {u"monthly_tokens"_s, QT_TR_NOOP("monthly token")},
        };
        const QString quota = error.details.value(u"quota"_s).toString();
        const QDateTime resets
            = QDateTime::fromString(error.details.value(u"resets_at"_s).toString(), Qt::ISODate);
        return tr("Your %1 quota is used up (%2 of %3). It resets on %4.")
            .arg(tr(quotas.value(quota, QT_TR_NOOP("usage"))),
                 QLocale().toString(error.details.value(u"used"_s).toLongLong()),
                 QLocale().toString(error.details.value(u"limit"_s).toLongLong()),
                 QLocale().toString(resets.toLocalTime(), QLocale::ShortFormat));
    }
    if (code == "too_many_conversations"_L1)
        return tr("The server keeps only a few conversations open at once: close a tab, then "
                  "send again.");
    if (code == "session_replaced"_L1)
        return tr("You signed in on another device, so this one was signed out.");
    if (code == "account_disabled"_L1)
        return tr("An administrator disabled this account.");
    if (code == "pending_approval"_L1)
        return tr("Your account waits for an administrator's approval.");
    if (code == "registration_closed"_L1)
        return tr("This server does not take new accounts.");
    if (code == "invalid_credentials"_L1)
        return tr("Wrong username or password.");
    if (code == "unauthorized"_L1)
        return tr("You are signed out of the server: sign in again, then send.");
    if (code == "password_changed"_L1 || code == "password_reset"_L1)
        return tr("The password of this account changed: sign in again.");
    if (code == "revoked"_L1 || code == "account_deleted"_L1)
        return tr("An administrator ended this session.");
    if (code == "upstream_error"_L1)
        return tr("The server's model provider had a problem: retry in a moment.");
    if (code == "payload_too_large"_L1)
        return tr("The message is too long for the server.");
    return {};
}

QString ErrorHint::describe(const Error &error)
{
    if (const QString server = forServerError(error); !server.isEmpty())
        return server;
    const QString hint = forError(error);
    QString message = error.message.trimmed();
    if (message.isEmpty())
        message = tr("Something went wrong.");
    return hint.isEmpty() ? message : message + u' ' + hint;
}

} // namespace confab
