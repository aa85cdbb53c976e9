#include "ops/metrics.h"

#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace std::chrono_literals;

class MetricsTest final : public QObject
{
    Q_OBJECT

private slots:
    void shouldEscapeLabelsAndHelp()
    {
        MetricsRegistry registry;
        CounterFamily &requests
            = registry.counter(u"test_requests_total"_s, u"Requests with a \\ and a\nnewline"_s,
                               {u"path"_s, u"code"_s});
        requests.labels({u"/a\"b\\c\nd"_s, u"200"_s}).inc();
        requests.labels({u"/a\"b\\c\nd"_s, u"200"_s}).inc(2);
        requests.labels({u"/plain"_s, u"404"_s}).inc(0.5);
        requests.labels({u"/plain"_s, u"404"_s}).inc(-3); // a counter never goes down
        QCOMPARE(registry.render(),
                 QByteArray("# HELP test_requests_total Requests with a \\\\ and a\\nnewline\n"
                            "# TYPE test_requests_total counter\n"
                            "test_requests_total{path=\"/a\\\"b\\\\c\\nd\",code=\"200\"} 3\n"
                            "test_requests_total{path=\"/plain\",code=\"404\"} 0.5\n"));
    }

    void shouldRenderCumulativeHistogramBuckets()
    {
        MetricsRegistry registry;
        HistogramFamily &latency = registry.histogram(u"test_latency_seconds"_s, u"Latency"_s,
                                                      {0.125, 0.5, 1}, {u"route"_s});
        Histogram &route = latency.labels({u"/x"_s});
        route.observe(0.0625);
        route.observe(0.125); // on a bound: counted in that bucket (le = "less or equal")
        route.observe(0.375);
        route.observe(250ms);
        route.observe(7.0);
        route.observe(std::nan(""));
        QCOMPARE(registry.render(),
                 QByteArray("# HELP test_latency_seconds Latency\n"
                            "# TYPE test_latency_seconds histogram\n"
                            "test_latency_seconds_bucket{route=\"/x\",le=\"0.125\"} 2\n"
                            "test_latency_seconds_bucket{route=\"/x\",le=\"0.5\"} 4\n"
                            "test_latency_seconds_bucket{route=\"/x\",le=\"1\"} 4\n"
                            "test_latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 5\n"
                            "test_latency_seconds_sum{route=\"/x\"} 7.8125\n"
                            "test_latency_seconds_count{route=\"/x\"} 5\n"));
    }

    void shouldExportUnlabelledMetricsFromTheStart()
    {
        MetricsRegistry registry;
        Gauge &gauge = registry.gauge(u"test_open"_s, u"Open things"_s).labels({});
        registry.histogram(u"test_wait_seconds"_s, u"Wait"_s, {1});
        registry.counter(u"test_errors_total"_s, u"Errors"_s, {u"code"_s});
        gauge.inc();
        gauge.inc();
        gauge.dec();
        QCOMPARE(registry.render(),
                 QByteArray("# HELP test_open Open things\n"
                            "# TYPE test_open gauge\n"
                            "test_open 1\n"
                            "# HELP test_wait_seconds Wait\n"
                            "# TYPE test_wait_seconds histogram\n"
                            "test_wait_seconds_bucket{le=\"1\"} 0\n"
                            "test_wait_seconds_bucket{le=\"+Inf\"} 0\n"
                            "test_wait_seconds_sum 0\n"
                            "test_wait_seconds_count 0\n"
                            "# HELP test_errors_total Errors\n"
                            "# TYPE test_errors_total counter\n"));
    }

    void shouldHandOutStableMetrics()
    {
        MetricsRegistry registry;
        CounterFamily &family = registry.counter(u"test_total"_s, u"Test"_s, {u"k"_s});
        Counter *first = &family.labels({u"a"_s});
        for (int i = 0; i < 100; ++i)
            family.labels({QString::number(i)});
        QCOMPARE(&family.labels({u"a"_s}), first);
    }

    void shouldCountFromManyThreads()
    {
        MetricsRegistry registry;
        CounterFamily &family = registry.counter(u"test_total"_s, u"Test"_s, {u"k"_s});
        Histogram &histogram = registry.histogram(u"test_seconds"_s, u"Test"_s, {1}).labels({});
        constexpr int threads = 4;
        constexpr int perThread = 10000;
        QList<QThread *> workers;
        for (int t = 0; t < threads; ++t) {
            workers.append(QThread::create([&] {
                for (int i = 0; i < perThread; ++i) {
                    family.labels({u"shared"_s}).inc();
                    histogram.observe(2.0);
                }
            }));
            workers.last()->start();
        }
        for (QThread *worker : workers) {
            QVERIFY(worker->wait(30000));
            delete worker;
        }
        QCOMPARE(family.labels({u"shared"_s}).value(), double(threads * perThread));
        QCOMPARE(histogram.snapshot().count, quint64(threads * perThread));
        QCOMPARE(histogram.snapshot().sum, 2.0 * threads * perThread);
    }

    void shouldExportTheServersMetrics()
    {
        ServerMetrics metrics;
        metrics.recordHttpRequest(u"/api/v1/conversations/{id}"_s, u"GET"_s, 200, 30ms);
        metrics.recordHttpRequest(u"/api/v1/conversations/{id}"_s, u"GET"_s, 200, 2s);
        metrics.countTokens(100, 20);
        metrics.countTokens(-5, 1);
        metrics.activeStreams().inc();
        metrics.logins().labels({u"success"_s}).inc();
        metrics.rejectedConnections().labels({u"413"_s}).inc();
        metrics.upstreamErrors().labels({u"idle_timeout"_s}).inc();
        metrics.upstreamFirstToken().observe(0.7);
        const QByteArray text = metrics.render();
        const QList<QByteArray> expected{
            "# TYPE confab_http_requests_total counter\n",
            "confab_http_requests_total{route=\"/api/v1/conversations/{id}\",method=\"GET\","
            "status=\"200\"} 2\n",
            "# TYPE confab_http_request_duration_seconds histogram\n",
            "confab_http_request_duration_seconds_bucket{route=\"/api/v1/conversations/{id}\","
            "le=\"0.05\"} 1\n",
            "confab_http_request_duration_seconds_bucket{route=\"/api/v1/conversations/{id}\","
            "le=\"2.5\"} 2\n",
            "confab_http_request_duration_seconds_count{route=\"/api/v1/conversations/{id}\"} 2\n",
            "\nconfab_active_streams 1\n",
            "\nconfab_websocket_connections 0\n",
            "confab_upstream_first_token_seconds_bucket{le=\"1\"} 1\n",
            "# TYPE confab_upstream_duration_seconds histogram\n",
            "confab_upstream_errors_total{code=\"idle_timeout\"} 1\n",
            "confab_tokens_total{kind=\"completion\"} 21\n",
            "confab_tokens_total{kind=\"prompt\"} 100\n",
            "confab_logins_total{result=\"success\"} 1\n",
            "confab_rejected_connections_total{status=\"413\"} 1\n",
        };
        for (const QByteArray &line : expected)
            QVERIFY2(text.contains(line), line.constData());
        QCOMPARE(metrics.promptTokens().value(), 100.0);
    }
};

QTEST_GUILESS_MAIN(MetricsTest)
#include "tst_metrics.moc"
