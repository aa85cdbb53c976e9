#include "errorhint.h"

#include "common/error.h"

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

QString ErrorHint::describe(const Error &error)
{
    const QString hint = forError(error);
    QString message = error.message.trimmed();
    if (message.isEmpty())
        message = tr("Something went wrong.");
    return hint.isEmpty() ? message : message + u' ' + hint;
}

} // namespace confab
