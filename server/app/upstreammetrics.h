#pragma once

#include "common/types.h"

#include <QElapsedTimer>

#include <optional>

// What every upstream call adds to the metrics when it ends: its duration, its tokens and,
// when it failed, its error code.

namespace confab {

class ServerMetrics;

void recordUpstreamEnd(ServerMetrics &metrics, const QElapsedTimer &sinceStart, const Usage &usage,
                       const std::optional<Error> &error);

} // namespace confab
