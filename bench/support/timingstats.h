#pragma once

#include <QList>

#include <algorithm>

// Median and percentiles of a benchmark's measured times.

namespace confab::bench {

struct TimingStats
{
    double median = 0;
    double p90 = 0;
    double min = 0;
    double max = 0;

    static TimingStats of(QList<double> samples)
    {
        TimingStats stats;
        if (samples.isEmpty())
            return stats;
        std::sort(samples.begin(), samples.end());
        const auto at = [&](double q) {
            return samples.at(qMin(samples.size() - 1, qsizetype(q * double(samples.size()))));
        };
        stats.median = samples.size() % 2
            ? samples.at(samples.size() / 2)
            : (samples.at(samples.size() / 2 - 1) + samples.at(samples.size() / 2)) / 2;
        stats.p90 = at(0.9);
        stats.min = samples.constFirst();
        stats.max = samples.constLast();
        return stats;
    }
};

} // namespace confab::bench
