#pragma once

#include <QString>
#include <QUrl>

#include <chrono>

namespace confab {

// Where and how Provider talks to an OpenAI-compatible API. The defaults are DESIGN.md's
// upstream call rules (connect 10 s, first byte 30 s, idle 60 s, total 10 min).
struct ProviderConfig
{
    QUrl baseUrl;   // e.g. https://api.openai.com/v1; requests go to baseUrl + "/chat/completions"
    QString apiKey; // sent as "Authorization: Bearer"; empty for providers that need none
    QString defaultModel; // used when a request names no model

    // Until the request has been written to a connection (DNS, TCP, TLS).
    std::chrono::milliseconds connectTimeout{10000};
    // From the request being sent until the first byte of the answer's body (streaming).
    std::chrono::milliseconds firstByteTimeout{30000};
    // Between two data events of a stream; ": keep-alive" comments do not count.
    std::chrono::milliseconds idleTimeout{60000};
    // The whole call, retries included.
    std::chrono::milliseconds totalTimeout{600000};

    // Further attempts after a 429, a 5xx or a connection failure, before any text arrived.
    int maxRetries = 3;
    std::chrono::milliseconds retryBaseDelay{1000}; // doubled per retry, with jitter
    std::chrono::milliseconds maxRetryDelay{30000}; // also caps the provider's Retry-After
};

} // namespace confab
