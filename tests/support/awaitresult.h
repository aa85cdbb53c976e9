#pragma once

#include "common/result.h"

#include <QObject>
#include <QTest>

#include <optional>

namespace confab::testing {

// Runs one asynchronous call that answers a Result through a handler (the ChatService and
// SecretStore style) and waits for the answer. call(context, handler) starts it.
template<typename T, typename Call>
Result<T> await(Call call, int timeoutMs = 10000)
{
    std::optional<Result<T>> result;
    QObject context;
    call(&context, [&result](Result<T> answer) { result = std::move(answer); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs))
        return Error{ErrorCode::Internal, QStringLiteral("no answer")};
    return *result;
}

} // namespace confab::testing
