#pragma once

#include "common/error.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QNetworkReply>
#include <QString>

#include <chrono>
#include <optional>

// How answers of an OpenAI-compatible provider turn into Errors: the provider's own message
// out of its error bodies, the code for an HTTP status, and Retry-After. Shared by the chat
// and models replies and the stream decoder.

namespace confab::upstream {

// The provider's message in a JSON error body: {"error":{"message":...}}, {"error":"..."},
// {"message":...} or {"detail":...}; nullopt when the object carries none.
std::optional<QString> errorMessageFromJson(const QJsonObject &json);

// The provider's message in an error body: from JSON when it is JSON, else the body's text,
// whitespace simplified and truncated; empty for an empty body.
QString errorMessageFromBody(QByteArrayView body);

// The Error for an HTTP status that is not a success: 401/403 Unauthorized, 429 RateLimited,
// anything else Upstream; the message is the provider's when it sent one.
Error errorForStatus(int httpStatus, QByteArrayView body);

// 429 and 5xx are worth another attempt; other statuses will not change by retrying.
bool isRetryableStatus(int httpStatus);

// A Retry-After value: delay-seconds or an HTTP date (IMF-fixdate, RFC 850 or asctime),
// relative to now; nullopt when it is neither. A date in the past gives zero.
std::optional<std::chrono::milliseconds> parseRetryAfter(QByteArrayView value,
                                                         const QDateTime &now);

// The Error for a request that got no HTTP answer (refused, reset, DNS, TLS). The message is
// ours, not Qt's errorString(), which would repeat the URL.
Error errorForNetworkFailure(QNetworkReply::NetworkError code, const QString &qtMessage);

// The error with every occurrence of secret (the API key) in its message replaced: providers
// sometimes quote the key they refused, and error messages reach logs, files and clients.
Error withoutSecret(Error error, const QString &secret);

// Failures of the connection itself, where another attempt may well succeed.
bool isRetryableNetworkFailure(QNetworkReply::NetworkError code);

} // namespace confab::upstream
