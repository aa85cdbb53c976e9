#include "metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

[[maybe_unused]] bool isValidName(const QString &name, bool allowColon)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        const bool letter = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_'
            || (allowColon && c == u':');
        if (!letter && !(i > 0 && c >= u'0' && c <= u'9'))
            return false;
    }
    return true;
}

// Shortest text that reads back as the same double, as Prometheus' own clients write it.
QByteArray formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QByteArray(buffer, result.ptr - buffer);
}

QByteArray escapeLabelValue(const QString &value)
{
    QByteArray escaped;
    for (const char c : value.toUtf8()) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

QByteArray escapeHelp(const QString &help)
{
    return help.toUtf8().replace('\\', "\\\\").replace('\n', "\\n");
}

// {a="x",b="y"} (with `extra` appended, e.g. le="0.5"), or nothing without labels.
QByteArray labelSet(const QStringList &names, const QStringList &values,
                    const QByteArray &extra = {})
{
    QByteArray out;
    for (qsizetype i = 0; i < names.size(); ++i) {
        out += out.isEmpty() ? "{" : ",";
        out += names[i].toUtf8() + "=\"" + escapeLabelValue(values.value(i)) + '"';
    }
    if (!extra.isEmpty())
        out += (out.isEmpty() ? "{" : ",") + extra;
    if (!out.isEmpty())
        out += '}';
    return out;
}

void sample(QByteArray &out, const QByteArray &name, const QByteArray &labels, double value)
{
    out += name + labels + ' ' + formatValue(value) + '\n';
}

} // namespace

void Counter::inc(double amount)
{
    if (amount < 0)
        return;
    m_value.fetch_add(amount, std::memory_order_relaxed);
}

Histogram::Histogram(const QList<double> &bounds)
    : m_bounds(bounds)
    , m_counts(std::make_unique<std::atomic<quint64>[]>(size_t(bounds.size()) + 1))
{
    Q_ASSERT_X(std::is_sorted(bounds.begin(), bounds.end())
                   && std::adjacent_find(bounds.begin(), bounds.end()) == bounds.end()
                   && std::none_of(bounds.begin(), bounds.end(),
                                   [](double b) { return !std::isfinite(b); }),
               "Histogram", "bounds must be finite and strictly ascending");
}

void Histogram::observe(double value)
{
    if (std::isnan(value))
        return;
    // Bucket `le` counts values <= its bound: the first bound not below the value.
    const auto bucket
        = std::lower_bound(m_bounds.begin(), m_bounds.end(), value) - m_bounds.begin();
    m_counts[size_t(bucket)].fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const
{
    Snapshot snapshot;
    quint64 running = 0;
    for (qsizetype i = 0; i <= m_bounds.size(); ++i) {
        running += m_counts[size_t(i)].load(std::memory_order_relaxed);
        snapshot.cumulative.append(running);
    }
    // The count is the sum of the buckets read, so +Inf and _count always agree.
    snapshot.count = running;
    snapshot.sum = m_sum.load(std::memory_order_relaxed);
    return snapshot;
}

void MetricFamilyBase::renderHeader(QByteArray &out, const char *type) const
{
    const QByteArray name = m_name.toUtf8();
    out += "# HELP " + name + ' ' + escapeHelp(m_help) + '\n';
    out += "# TYPE " + name + ' ' + type + '\n';
}

namespace metrics_detail {

void renderSamples(QByteArray &out, const MetricFamilyBase &family, const QStringList &values,
                   const Counter &counter)
{
    sample(out, family.name().toUtf8(), labelSet(family.labelNames(), values), counter.value());
}

void renderSamples(QByteArray &out, const MetricFamilyBase &family, const QStringList &values,
                   const Gauge &gauge)
{
    sample(out, family.name().toUtf8(), labelSet(family.labelNames(), values), gauge.value());
}

void renderSamples(QByteArray &out, const MetricFamilyBase &family, const QStringList &values,
                   const Histogram &histogram)
{
    const QByteArray name = family.name().toUtf8();
    const Histogram::Snapshot snapshot = histogram.snapshot();
    const QList<double> &bounds = histogram.bounds();
    for (qsizetype i = 0; i <= bounds.size(); ++i) {
        const QByteArray le = i < bounds.size() ? formatValue(bounds[i]) : "+Inf";
        sample(out, name + "_bucket", labelSet(family.labelNames(), values, "le=\"" + le + '"'),
               double(snapshot.cumulative[i]));
    }
    const QByteArray labels = labelSet(family.labelNames(), values);
    sample(out, name + "_sum", labels, snapshot.sum);
    sample(out, name + "_count", labels, double(snapshot.count));
}

const char *typeName(const Counter *)
{
    return "counter";
}

const char *typeName(const Gauge *)
{
    return "gauge";
}

const char *typeName(const Histogram *)
{
    return "histogram";
}

} // namespace metrics_detail

template<typename Family>
Family &MetricsRegistry::add(std::unique_ptr<Family> family)
{
    Q_ASSERT_X(isValidName(family->name(), true), "MetricsRegistry", "invalid metric name");
    Q_ASSERT_X(std::all_of(family->labelNames().begin(), family->labelNames().end(),
                           [](const QString &label) { return isValidName(label, false); }),
               "MetricsRegistry", "invalid label name");
    QMutexLocker locker(&m_mutex);
    Q_ASSERT_X(std::none_of(m_families.begin(), m_families.end(),
                            [&](const auto &known) { return known->name() == family->name(); }),
               "MetricsRegistry", "metric registered twice");
    Family &added = *family;
    m_families.push_back(std::move(family));
    return added;
}

CounterFamily &MetricsRegistry::counter(const QString &name, const QString &help,
                                        const QStringList &labelNames)
{
    return add(std::make_unique<CounterFamily>(name, help, labelNames,
                                               [] { return std::make_unique<Counter>(); }));
}

GaugeFamily &MetricsRegistry::gauge(const QString &name, const QString &help,
                                    const QStringList &labelNames)
{
    return add(std::make_unique<GaugeFamily>(name, help, labelNames,
                                             [] { return std::make_unique<Gauge>(); }));
}

HistogramFamily &MetricsRegistry::histogram(const QString &name, const QString &help,
                                            const QList<double> &bounds,
                                            const QStringList &labelNames)
{
    Q_ASSERT_X(!labelNames.contains(u"le"_s), "MetricsRegistry", "le is the bucket label");
    return add(std::make_unique<HistogramFamily>(
        name, help, labelNames, [bounds] { return std::make_unique<Histogram>(bounds); }));
}

QByteArray MetricsRegistry::render() const
{
    QByteArray out;
    QMutexLocker locker(&m_mutex);
    for (const auto &family : m_families)
        family->render(out);
    return out;
}

namespace {

// Prometheus' default buckets: API calls from milliseconds to seconds.
const QList<double> HttpBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
// Models take from a fraction of a second to a minute to start answering...
const QList<double> FirstTokenBuckets{0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60};
// ...and up to the 10-minute total limit to finish.
const QList<double> UpstreamBuckets{0.5, 1, 2.5, 5, 10, 20, 40, 80, 160, 320, 600};

} // namespace

ServerMetrics::ServerMetrics()
    : m_httpRequests(m_registry.counter(u"confab_http_requests_total"_s,
                                        u"HTTP requests answered, by route, method and status"_s,
                                        {u"route"_s, u"method"_s, u"status"_s}))
    , m_httpDuration(m_registry.histogram(u"confab_http_request_duration_seconds"_s,
                                          u"Time from request to complete response, by route"_s,
                                          HttpBuckets, {u"route"_s}))
    , m_activeStreams(m_registry
                          .gauge(u"confab_active_streams"_s,
                                 u"Chat answers streaming from the upstream right now"_s)
                          .labels({}))
    , m_websocketConnections(
          m_registry.gauge(u"confab_websocket_connections"_s, u"Open WebSocket connections"_s)
              .labels({}))
    , m_upstreamFirstToken(m_registry
                               .histogram(u"confab_upstream_first_token_seconds"_s,
                                          u"Time from the upstream request to its first token"_s,
                                          FirstTokenBuckets)
                               .labels({}))
    , m_upstreamDuration(m_registry
                             .histogram(u"confab_upstream_duration_seconds"_s,
                                        u"Time from the upstream request to its last byte"_s,
                                        UpstreamBuckets)
                             .labels({}))
    , m_upstreamErrors(m_registry.counter(u"confab_upstream_errors_total"_s,
                                          u"Upstream calls that failed, by error code"_s,
                                          {u"code"_s}))
    , m_tokens(m_registry.counter(u"confab_tokens_total"_s,
                                  u"Tokens reported by the upstream, by kind"_s, {u"kind"_s}))
    , m_promptTokens(m_tokens.labels({u"prompt"_s}))
    , m_completionTokens(m_tokens.labels({u"completion"_s}))
    , m_logins(m_registry.counter(u"confab_logins_total"_s, u"Login attempts, by result"_s,
                                  {u"result"_s}))
    , m_rejectedConnections(m_registry.counter(
          u"confab_rejected_connections_total"_s,
          u"Connections refused by the connection guard, by HTTP status"_s, {u"status"_s}))
{}

void ServerMetrics::recordHttpRequest(const QString &route, const QString &method, int status,
                                      std::chrono::duration<double> duration)
{
    m_httpRequests.labels({route, method, QString::number(status)}).inc();
    m_httpDuration.labels({route}).observe(duration);
}

void ServerMetrics::countTokens(qint64 promptTokens, qint64 completionTokens)
{
    m_promptTokens.inc(double(promptTokens));
    m_completionTokens.inc(double(completionTokens));
}

} // namespace confab
