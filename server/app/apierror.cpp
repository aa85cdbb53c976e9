#include "apierror.h"

#include "common/logging.h"
#include "http/httpstatus.h"

using namespace Qt::StringLiterals;

namespace confab {

ApiError ApiError::make(int status, const QString &code, const QString &message)
{
    return ApiError{status, code, message, {}, std::nullopt};
}

ApiError ApiError::fromError(const Error &error)
{
    const HttpError answer = httpErrorFor(error);
    if (answer.status >= 500 && answer.code != "upstream_error"_L1)
        qCWarning(lcHttp).noquote() << "request failed:" << error.toString();
    return make(answer.status, answer.code, answer.message);
}

ApiError ApiError::fromUpstreamError(const Error &error)
{
    if (error.code == ErrorCode::Unauthorized || error.code == ErrorCode::Forbidden)
        return make(502, u"upstream_error"_s,
                    u"The AI provider refused this server's credentials; tell an administrator."_s);
    return fromError(error);
}

QJsonObject ApiError::errorObject() const
{
    QJsonObject object = details;
    object.insert(u"code"_s, code);
    object.insert(u"message"_s, message);
    return object;
}

QJsonObject ApiError::toJson() const
{
    return {{u"error"_s, errorObject()}};
}

} // namespace confab
