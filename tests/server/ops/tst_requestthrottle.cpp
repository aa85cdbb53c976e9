#include "ops/requestthrottle.h"

#include <QTest>

using namespace confab;
using namespace std::chrono_literals;

class RequestThrottleTest final : public QObject
{
    Q_OBJECT

private:
    std::chrono::steady_clock::time_point m_now{std::chrono::hours(1000)};

    RequestThrottle::Clock clock()
    {
        return [this] { return m_now; };
    }

private slots:
    void init() { m_now = std::chrono::steady_clock::time_point(std::chrono::hours(1000)); }

    void shouldAllowOneRequestPerInterval()
    {
        RequestThrottle throttle(5s, clock());
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
        m_now += 4900ms;
        const auto wait = throttle.tryAcquire(1);
        QVERIFY(wait.has_value());
        QVERIFY(*wait >= 100ms);
        QCOMPARE(*wait, 100ms);
        m_now += 100ms;
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
        // The allowed request restarted the interval.
        m_now += 1s;
        QCOMPARE(throttle.tryAcquire(1), std::optional(4000ms));
    }

    void shouldRoundTheWaitUp()
    {
        RequestThrottle throttle(5s, clock());
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
        m_now += 4999500us; // half a millisecond left
        QCOMPARE(throttle.tryAcquire(1), std::optional(1ms));
    }

    void shouldNotRestartTheWaitOnRefusal()
    {
        RequestThrottle throttle(5s, clock());
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
        for (int i = 0; i < 4; ++i) {
            m_now += 1s;
            QVERIFY(throttle.tryAcquire(1).has_value());
        }
        m_now += 1s;
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
    }

    void shouldKeepUsersApart()
    {
        RequestThrottle throttle(5s, clock());
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
        QCOMPARE(throttle.tryAcquire(2), std::nullopt);
        QVERIFY(throttle.tryAcquire(1).has_value());
        m_now += 2s;
        QCOMPARE(throttle.tryAcquire(3), std::nullopt);
        QCOMPARE(throttle.tryAcquire(2), std::optional(3000ms));
    }

    void shouldApplyANewIntervalAtOnce()
    {
        RequestThrottle throttle(5s, clock());
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
        m_now += 2s;
        throttle.setInterval(10s);
        QCOMPARE(throttle.interval(), 10000ms);
        QCOMPARE(throttle.tryAcquire(1), std::optional(8000ms));
        throttle.setInterval(1s);
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
        throttle.setInterval(0ms);
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
    }

    void shouldStillRefuseAfterPruning()
    {
        // Pruning must not forget a user still inside the interval.
        RequestThrottle throttle(5s, clock());
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
        m_now += 3s;
        QCOMPARE(throttle.tryAcquire(2), std::nullopt);
        m_now += 3s; // a prune is due: user 1 is forgotten, user 2 is not
        QCOMPARE(throttle.tryAcquire(3), std::nullopt);
        QCOMPARE(throttle.tryAcquire(2), std::optional(2000ms));
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
    }

    void shouldUseTheSteadyClockByDefault()
    {
        RequestThrottle throttle(1h);
        QCOMPARE(throttle.tryAcquire(1), std::nullopt);
        const auto wait = throttle.tryAcquire(1);
        QVERIFY(wait.has_value());
        QVERIFY(*wait > 59min && *wait <= 1h);
    }
};

QTEST_GUILESS_MAIN(RequestThrottleTest)
#include "tst_requestthrottle.moc"
