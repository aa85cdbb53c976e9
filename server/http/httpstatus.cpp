#include "httpstatus.h"

#include <QStringBuilder>

using namespace Qt::StringLiterals;

namespace confab {

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 507:
        return "Insufficient Storage";
    default:
        return {};
    }
}

QByteArray httpStatusLine(int status)
{
    return "HTTP/1.1 "_ba + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
}

HttpError httpErrorFor(const Error &error)
{
    switch (error.code) {
    case ErrorCode::InvalidInput:
        return {400, u"invalid_request"_s, error.message};
    case ErrorCode::NotFound:
        return {404, u"not_found"_s, error.message};
    case ErrorCode::Conflict:
        return {409, u"conflict"_s, error.message};
    case ErrorCode::Unauthorized:
        return {401, u"unauthorized"_s, error.message};
    case ErrorCode::Forbidden:
        return {403, u"forbidden"_s, error.message};
    case ErrorCode::RateLimited:
        return {429, u"rate_limited"_s, error.message};
    case ErrorCode::QuotaExceeded:
        return {429, u"quota_exceeded"_s, error.message};
    case ErrorCode::Network:
    case ErrorCode::Upstream:
    case ErrorCode::Protocol:
        return {502, u"upstream_error"_s, error.message};
    case ErrorCode::ConnectTimeout:
    case ErrorCode::FirstByteTimeout:
    case ErrorCode::IdleTimeout:
    case ErrorCode::TotalTimeout:
        return {504, u"upstream_error"_s, error.message};
    case ErrorCode::Cancelled:
        // The answer was stopped (by its user, a new login, a shutdown): nginx's "client
        // closed request" status, the message says who stopped it.
        return {499, u"cancelled"_s, error.message};
    case ErrorCode::Unavailable:
        return {503, u"unavailable"_s, error.message};
    case ErrorCode::DiskFull:
        return {507, u"insufficient_storage"_s, u"The server is out of storage."_s};
    case ErrorCode::Internal:
    case ErrorCode::Database:
    case ErrorCode::SchemaTooNew:
        break;
    }
    return {500, u"internal"_s, u"The server failed to answer the request."_s};
}

} // namespace confab
