#include "apierror.h"

using namespace Qt::StringLiterals;

namespace confab {

ApiError ApiError::make(int status, const QString &code, const QString &message)
{
    return ApiError{status, code, message, {}, std::nullopt};
}

ApiError ApiError::fromError(const Error &error)
{
    switch (error.code) {
    case ErrorCode::InvalidInput:
        return make(400, u"invalid_request"_s, error.message);
    case ErrorCode::NotFound:
        return make(404, u"not_found"_s, error.message);
    case ErrorCode::Conflict:
        return make(409, u"conflict"_s, error.message);
    case ErrorCode::Unauthorized:
        return make(401, u"unauthorized"_s, error.message);
    case ErrorCode::Forbidden:
        return make(403, u"forbidden"_s, error.message);
    case ErrorCode::RateLimited:
        return make(429, u"rate_limited"_s, error.message);
    case ErrorCode::QuotaExceeded:
        return make(429, u"quota_exceeded"_s, error.message);
    case ErrorCode::ConnectTimeout:
    case ErrorCode::FirstByteTimeout:
    case ErrorCode::IdleTimeout:
    case ErrorCode::TotalTimeout:
        return make(504, u"upstream_error"_s, error.message);
    case ErrorCode::Network:
    case ErrorCode::Upstream:
    case ErrorCode::Protocol:
        return make(502, u"upstream_error"_s, error.message);
    case ErrorCode::Cancelled:
        return make(499, u"cancelled"_s, error.message);
    case ErrorCode::Unavailable:
        return make(503, u"internal"_s, u"The service is temporarily unavailable."_s);
    case ErrorCode::DiskFull:
        return make(507, u"internal"_s, u"The server's disk is full."_s);
    case ErrorCode::Internal:
    case ErrorCode::Database:
    case ErrorCode::SchemaTooNew:
        break;
    }
    return make(500, u"internal"_s, u"Internal server error."_s);
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
