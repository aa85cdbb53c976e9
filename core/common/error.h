#pragma once

#include <QString>
#include <QVariantMap>

namespace confab {

// What went wrong, in terms a caller can act on. Codes are stable (logged, tested, and mapped
// to the server's error codes); messages are for people.
enum class ErrorCode {
    Internal,
    InvalidInput,
    NotFound,
    Conflict,
    Database,
    DiskFull,
    SchemaTooNew,
    Network,
    ConnectTimeout,
    FirstByteTimeout,
    IdleTimeout,
    TotalTimeout,
    Cancelled,
    RateLimited,
    Unauthorized,
    Forbidden,
    QuotaExceeded,
    Upstream,
    Protocol,
    Unavailable, // a service this needs is missing (no keychain, no network)
};

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    int httpStatus = 0; // the provider's or server's HTTP status, 0 when none
    // When a confab-server answered: its error code ("too_many_conversations") and the rest of
    // its error object ("retry_after_ms", a quota's "limit", "used" and "resets_at", ...).
    QString serverCode{};
    QVariantMap details{};

    // A short machine-readable name ("idle_timeout", "rate_limited", ...): the server's own
    // code when a server answered.
    QString codeName() const;
    // "code: message (HTTP 429)" for logs and tests; never contains secrets.
    QString toString() const;
};

QString errorCodeName(ErrorCode code);

} // namespace confab
