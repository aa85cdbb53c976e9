#pragma once

#include "common/error.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <variant>

// An error as the HTTP API, the WebSocket and the gateway report it: a real HTTP status, a
// stable code from DESIGN.md's list, an English message (the app translates by code) and
// optional details such as a quota's limit and reset time.

namespace confab {

struct ApiError
{
    int status = 500;
    QString code;
    QString message;
    QJsonObject details; // merged into the error object
    std::optional<int> retryAfterSeconds;

    static ApiError make(int status, const QString &code, const QString &message);
    // The API's view of a core Error; internal failures keep their text out of replies.
    static ApiError fromError(const Error &error);
    // The same for the failure of an upstream call: the provider refusing the server's own key
    // is an upstream error (never the client's 401/403), and its message, which may quote that
    // key, stays out of the reply.
    static ApiError fromUpstreamError(const Error &error);

    // {"code","message",...details}
    QJsonObject errorObject() const;
    // {"error":{...}}
    QJsonObject toJson() const;
};

template<typename T>
using ApiResult = std::variant<T, ApiError>;

} // namespace confab
