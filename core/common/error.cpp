#include "error.h"

using namespace Qt::StringLiterals;

namespace confab {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Internal:
        return u"internal"_s;
    case ErrorCode::InvalidInput:
        return u"invalid_request"_s;
    case ErrorCode::NotFound:
        return u"not_found"_s;
    case ErrorCode::Conflict:
        return u"conflict"_s;
    case ErrorCode::Database:
        return u"database"_s;
    case ErrorCode::DiskFull:
        return u"disk_full"_s;
    case ErrorCode::SchemaTooNew:
        return u"schema_too_new"_s;
    case ErrorCode::Network:
        return u"network"_s;
    case ErrorCode::ConnectTimeout:
        return u"connect_timeout"_s;
    case ErrorCode::FirstByteTimeout:
        return u"first_byte_timeout"_s;
    case ErrorCode::IdleTimeout:
        return u"idle_timeout"_s;
    case ErrorCode::TotalTimeout:
        return u"total_timeout"_s;
    case ErrorCode::Cancelled:
        return u"cancelled"_s;
    case ErrorCode::RateLimited:
        return u"rate_limited"_s;
    case ErrorCode::Unauthorized:
        return u"unauthorized"_s;
    case ErrorCode::Forbidden:
        return u"forbidden"_s;
    case ErrorCode::QuotaExceeded:
        return u"quota_exceeded"_s;
    case ErrorCode::Upstream:
        return u"upstream_error"_s;
    case ErrorCode::Protocol:
        return u"protocol"_s;
    case ErrorCode::Unavailable:
        return u"unavailable"_s;
    }
    return u"internal"_s;
}

QString Error::codeName() const
{
    return serverCode.isEmpty() ? errorCodeName(code) : serverCode;
}

QString Error::toString() const
{
    QString text = codeName() + u": "_s + message;
    if (httpStatus != 0)
        text += u" (HTTP %1)"_s.arg(httpStatus);
    return text;
}

} // namespace confab
