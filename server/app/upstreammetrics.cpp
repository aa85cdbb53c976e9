#include "upstreammetrics.h"

#include "ops/metrics.h"

namespace confab {

void recordUpstreamEnd(ServerMetrics &metrics, const QElapsedTimer &sinceStart, const Usage &usage,
                       const std::optional<Error> &error)
{
    metrics.upstreamDuration().observe(double(sinceStart.nsecsElapsed()) / 1e9);
    metrics.countTokens(usage.promptTokens, usage.completionTokens);
    if (error)
        metrics.upstreamErrors().labels({error->codeName()}).inc();
}

} // namespace confab
