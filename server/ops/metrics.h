#pragma once

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <vector>

// A small Prometheus registry (text exposition format 0.0.4) and the server's own metrics.
// Families hand out metrics by label values; the metric objects live as long as the registry,
// so the hot path can look one up once and keep the reference. Updates are lock-free atomics,
// safe from any thread.

namespace confab {

class Counter final
{
public:
    // A counter only goes up (Prometheus reads a decrease as a restart): negative amounts are
    // ignored.
    void inc(double amount = 1);
    double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value{0};
};

class Gauge final
{
public:
    void set(double value) { m_value.store(value, std::memory_order_relaxed); }
    void inc(double amount = 1) { m_value.fetch_add(amount, std::memory_order_relaxed); }
    void dec(double amount = 1) { m_value.fetch_sub(amount, std::memory_order_relaxed); }
    double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value{0};
};

class Histogram final
{
public:
    // Upper bounds, finite and ascending; the +Inf bucket is implicit.
    explicit Histogram(const QList<double> &bounds);

    // NaN is ignored.
    void observe(double value);
    template<typename Rep, typename Period>
    void observe(std::chrono::duration<Rep, Period> duration)
    {
        observe(std::chrono::duration<double>(duration).count());
    }

    struct Snapshot
    {
        QList<quint64> cumulative; // per bound, then +Inf (== count)
        quint64 count = 0;
        double sum = 0;
    };
    Snapshot snapshot() const;
    const QList<double> &bounds() const { return m_bounds; }

private:
    QList<double> m_bounds;
    std::unique_ptr<std::atomic<quint64>[]> m_counts; // per bucket, not cumulative; last = +Inf
    std::atomic<double> m_sum{0};
};

class MetricFamilyBase
{
public:
    MetricFamilyBase(const QString &name, const QString &help, const QStringList &labelNames)
        : m_name(name)
        , m_help(help)
        , m_labelNames(labelNames)
    {}
    virtual ~MetricFamilyBase() = default;
    Q_DISABLE_COPY_MOVE(MetricFamilyBase)

    const QString &name() const { return m_name; }
    const QStringList &labelNames() const { return m_labelNames; }
    // Appends "# HELP", "# TYPE" and every sample.
    virtual void render(QByteArray &out) const = 0;

protected:
    void renderHeader(QByteArray &out, const char *type) const;

    QString m_name;
    QString m_help;
    QStringList m_labelNames;
};

namespace metrics_detail {
void renderSamples(QByteArray &out, const MetricFamilyBase &family, const QStringList &values,
                   const Counter &counter);
void renderSamples(QByteArray &out, const MetricFamilyBase &family, const QStringList &values,
                   const Gauge &gauge);
void renderSamples(QByteArray &out, const MetricFamilyBase &family, const QStringList &values,
                   const Histogram &histogram);
const char *typeName(const Counter *);
const char *typeName(const Gauge *);
const char *typeName(const Histogram *);
} // namespace metrics_detail

template<typename Metric>
class MetricFamily final : public MetricFamilyBase
{
public:
    using Factory = std::function<std::unique_ptr<Metric>()>;

    MetricFamily(const QString &name, const QString &help, const QStringList &labelNames,
                 Factory factory)
        : MetricFamilyBase(name, help, labelNames)
        , m_factory(std::move(factory))
    {
        // An unlabelled metric is exported as 0 from the start, as Prometheus clients do.
        if (labelNames.isEmpty())
            labels({});
    }

    // The metric of these label values (in the order of labelNames()), created on first use.
    // The reference stays valid for the registry's lifetime.
    Metric &labels(const QStringList &values)
    {
        Q_ASSERT_X(values.size() == m_labelNames.size(), "MetricFamily::labels",
                   "one value per label name");
        QMutexLocker locker(&m_mutex);
        auto &slot = m_children[values];
        if (!slot)
            slot = m_factory();
        return *slot;
    }

    void render(QByteArray &out) const override
    {
        renderHeader(out, metrics_detail::typeName(static_cast<const Metric *>(nullptr)));
        QMutexLocker locker(&m_mutex);
        for (const auto &[values, metric] : m_children)
            metrics_detail::renderSamples(out, *this, values, *metric);
    }

private:
    Factory m_factory;
    mutable QMutex m_mutex;
    std::map<QStringList, std::unique_ptr<Metric>> m_children; // sorted: a stable output
};

using CounterFamily = MetricFamily<Counter>;
using GaugeFamily = MetricFamily<Gauge>;
using HistogramFamily = MetricFamily<Histogram>;

class MetricsRegistry final
{
public:
    // The Content-Type of render()'s output.
    static constexpr const char *contentType = "text/plain; version=0.0.4; charset=utf-8";

    MetricsRegistry() = default;
    Q_DISABLE_COPY_MOVE(MetricsRegistry)

    // Names follow Prometheus ([a-zA-Z_:][a-zA-Z0-9_:]*) and are registered once (asserted).
    CounterFamily &counter(const QString &name, const QString &help,
                           const QStringList &labelNames = {});
    GaugeFamily &gauge(const QString &name, const QString &help,
                       const QStringList &labelNames = {});
    HistogramFamily &histogram(const QString &name, const QString &help,
                               const QList<double> &bounds, const QStringList &labelNames = {});

    // Families in the order they were registered, their samples sorted by label values.
    QByteArray render() const;

private:
    template<typename Family>
    Family &add(std::unique_ptr<Family> family);

    mutable QMutex m_mutex;
    std::vector<std::unique_ptr<MetricFamilyBase>> m_families;
};

// confab-server's metrics.
class ServerMetrics final
{
public:
    ServerMetrics();
    Q_DISABLE_COPY_MOVE(ServerMetrics)

    // One finished request: confab_http_requests_total and the duration histogram. `route` is
    // the route's pattern ("/api/v1/conversations/{id}"), never the path as sent, so that the
    // number of series stays bounded.
    void recordHttpRequest(const QString &route, const QString &method, int status,
                           std::chrono::duration<double> duration);
    // confab_tokens_total{kind="prompt"|"completion"}; negative counts are ignored.
    void countTokens(qint64 promptTokens, qint64 completionTokens);

    CounterFamily &httpRequests() { return m_httpRequests; }          // {route,method,status}
    HistogramFamily &httpRequestDuration() { return m_httpDuration; } // {route}, seconds
    Gauge &activeStreams() { return m_activeStreams; }
    Gauge &websocketConnections() { return m_websocketConnections; }
    Histogram &upstreamFirstToken() { return m_upstreamFirstToken; } // seconds
    Histogram &upstreamDuration() { return m_upstreamDuration; }     // seconds
    CounterFamily &upstreamErrors() { return m_upstreamErrors; }     // {code}
    Counter &promptTokens() { return m_promptTokens; }
    Counter &completionTokens() { return m_completionTokens; }
    CounterFamily &logins() { return m_logins; }                           // {result}
    CounterFamily &rejectedConnections() { return m_rejectedConnections; } // {status}

    // For metrics of other parts of the server.
    MetricsRegistry &registry() { return m_registry; }
    QByteArray render() const { return m_registry.render(); }

private:
    MetricsRegistry m_registry; // first: the references below point into it
    CounterFamily &m_httpRequests;
    HistogramFamily &m_httpDuration;
    Gauge &m_activeStreams;
    Gauge &m_websocketConnections;
    Histogram &m_upstreamFirstToken;
    Histogram &m_upstreamDuration;
    CounterFamily &m_upstreamErrors;
    CounterFamily &m_tokens;
    Counter &m_promptTokens;
    Counter &m_completionTokens;
    CounterFamily &m_logins;
    CounterFamily &m_rejectedConnections;
};

} // namespace confab
