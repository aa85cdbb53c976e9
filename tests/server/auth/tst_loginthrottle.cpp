#include "auth/loginthrottle.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono;
using namespace std::chrono_literals;
using namespace confab;

namespace QTest {
template<>
char *toString(const std::optional<milliseconds> &value)
{
    return qstrdup(value ? QByteArray::number(qint64(value->count())).append(" ms").constData()
                         : "nullopt");
}
} // namespace QTest

class LoginThrottleTest final : public QObject
{
    Q_OBJECT

private:
    steady_clock::time_point m_now{hours(1000)};

    LoginThrottle throttle(LoginThrottle::Policy policy = {})
    {
        return LoginThrottle(policy, [this] { return m_now; });
    }

    static void fail(LoginThrottle &throttle, const QString &user, const QString &address,
                     int times)
    {
        for (int i = 0; i < times; ++i)
            throttle.recordFailure(user, address);
    }

    static std::optional<milliseconds> wait(milliseconds value) { return value; }

private slots:
    void shouldLetFiveFailuresThroughThenDoubleTheWait()
    {
        LoginThrottle::Policy policy;
        policy.maxDelay = 10s;
        LoginThrottle t = throttle(policy);
        QCOMPARE(t.retryAfter(u"alice"_s, u"192.0.2.1"_s), std::nullopt);
        fail(t, u"alice"_s, u"192.0.2.1"_s, 5);
        QCOMPARE(t.retryAfter(u"alice"_s, u"192.0.2.1"_s), std::nullopt);

        const QList<milliseconds> expected{1s, 2s, 4s, 8s, 10s, 10s};
        for (const milliseconds delay : expected) {
            t.recordFailure(u"alice"_s, u"192.0.2.1"_s);
            QCOMPARE(t.retryAfter(u"alice"_s, u"192.0.2.1"_s), wait(delay));
            m_now += delay - 1ms;
            QCOMPARE(t.retryAfter(u"alice"_s, u"192.0.2.1"_s), wait(1ms));
            m_now += 1ms;
            QCOMPARE(t.retryAfter(u"alice"_s, u"192.0.2.1"_s), std::nullopt);
        }
    }

    void shouldUseTheDefaultPolicyOfDesign()
    {
        LoginThrottle t = throttle();
        fail(t, u"alice"_s, u"a"_s, 6);
        QCOMPARE(t.retryAfter(u"alice"_s, u"a"_s), wait(1s));
        fail(t, u"alice"_s, u"a"_s, 30);
        QCOMPARE(t.retryAfter(u"alice"_s, u"a"_s), wait(15min));
    }

    void shouldRoundTheRemainingWaitUp()
    {
        LoginThrottle t = throttle();
        fail(t, u"alice"_s, u"a"_s, 6);
        m_now += 400ms + 500us;
        QCOMPARE(t.retryAfter(u"alice"_s, u"a"_s), wait(600ms));
    }

    void shouldThrottleAccountsAndAddressesIndependently()
    {
        LoginThrottle t = throttle();
        fail(t, u"alice"_s, u"192.0.2.1"_s, 6);
        // The account from anywhere, and the address for any account.
        QCOMPARE(t.retryAfter(u"alice"_s, u"198.51.100.9"_s), wait(1s));
        QCOMPARE(t.retryAfter(u"bob"_s, u"192.0.2.1"_s), wait(1s));
        QCOMPARE(t.retryAfter(u"bob"_s, u"198.51.100.9"_s), std::nullopt);

        // One address guessing at many accounts.
        for (int i = 0; i < 6; ++i)
            t.recordFailure(u"user%1"_s.arg(i), u"203.0.113.5"_s);
        QCOMPARE(t.retryAfter(u"someone"_s, u"203.0.113.5"_s), wait(1s));
        QCOMPARE(t.retryAfter(u"user0"_s, u"198.51.100.9"_s), std::nullopt);

        // Many addresses guessing at one account.
        for (int i = 0; i < 6; ++i)
            t.recordFailure(u"carol"_s, u"10.0.0.%1"_s.arg(i));
        QCOMPARE(t.retryAfter(u"carol"_s, u"10.0.0.200"_s), wait(1s));
        QCOMPARE(t.retryAfter(u"dave"_s, u"10.0.0.1"_s), std::nullopt);
    }

    void shouldTakeTheLongerOfTheTwoWaits()
    {
        LoginThrottle t = throttle();
        fail(t, u"alice"_s, u"a"_s, 6); // alice 1 s, a 1 s
        fail(t, u"alice"_s, u"b"_s, 2); // alice 4 s, b none
        QCOMPARE(t.retryAfter(u"alice"_s, u"a"_s), wait(4s));
        QCOMPARE(t.retryAfter(u"bob"_s, u"a"_s), wait(1s));
    }

    void shouldIgnoreTheCaseOfUsernames()
    {
        LoginThrottle t = throttle();
        fail(t, u"Alice"_s, u"a"_s, 3);
        fail(t, u"ALICE"_s, u"b"_s, 2);
        t.recordFailure(u" alice "_s, u"c"_s);
        QCOMPARE(t.retryAfter(u"aLiCe"_s, u"d"_s), wait(1s));
        fail(t, u"ÄRGER"_s, u"e"_s, 6);
        QCOMPARE(t.retryAfter(u"ärger"_s, u"f"_s), wait(1s));
    }

    void shouldClearTheAccountOnSuccessButNotTheAddress()
    {
        LoginThrottle t = throttle();
        fail(t, u"alice"_s, u"a"_s, 6);
        t.recordSuccess(u"ALICE"_s, u"a"_s);
        QCOMPARE(t.retryAfter(u"alice"_s, u"b"_s), std::nullopt);
        QCOMPARE(t.retryAfter(u"bob"_s, u"a"_s), wait(1s));
        // Counting starts over for the account.
        fail(t, u"alice"_s, u"b"_s, 5);
        QCOMPARE(t.retryAfter(u"alice"_s, u"b"_s), std::nullopt);
        t.recordSuccess(u"nobody"_s, u"z"_s);
    }

    void shouldForgetAfterAQuietHour()
    {
        LoginThrottle t = throttle();
        fail(t, u"alice"_s, u"a"_s, 5);
        m_now += 1h;
        t.recordFailure(u"alice"_s, u"a"_s);
        QCOMPARE(t.retryAfter(u"alice"_s, u"a"_s), std::nullopt);
        QCOMPARE(t.trackedEntries(), 2);

        m_now += 59min;
        fail(t, u"alice"_s, u"a"_s, 5);
        QCOMPARE(t.retryAfter(u"alice"_s, u"a"_s), wait(1s));
    }

    void shouldNotForgetWhileStillBlocked()
    {
        LoginThrottle::Policy policy;
        policy.forgetAfter = 1s;
        policy.maxDelay = 1min;
        LoginThrottle t = throttle(policy);
        fail(t, u"alice"_s, u"a"_s, 10); // blocked for 16 s
        m_now += 10s;
        QCOMPARE(t.retryAfter(u"alice"_s, u"a"_s), wait(6s));
        t.recordFailure(u"bob"_s, u"b"_s); // forgets what is stale, which alice is not
        QCOMPARE(t.retryAfter(u"alice"_s, u"a"_s), wait(6s));
        m_now += 6s;
        QCOMPARE(t.retryAfter(u"alice"_s, u"a"_s), std::nullopt);
    }

    void shouldBoundItsMemory()
    {
        LoginThrottle::Policy policy;
        policy.maxEntries = 10;
        LoginThrottle t = throttle(policy);
        for (int i = 0; i < 1000; ++i) {
            t.recordFailure(u"user%1"_s.arg(i), u"10.0.%1.%2"_s.arg(i / 256).arg(i % 256));
            m_now += 1ms;
            QVERIFY(t.trackedEntries() <= 10);
        }
        QCOMPARE(t.trackedEntries(), 10);
        // The most recent are kept: an attacker still being counted is not the one evicted.
        fail(t, u"mallory"_s, u"198.51.100.1"_s, 6);
        QCOMPARE(t.retryAfter(u"mallory"_s, u"x"_s), wait(1s));
        QCOMPARE(t.retryAfter(u"x"_s, u"198.51.100.1"_s), wait(1s));

        // Stale entries go first.
        m_now += 2h;
        t.recordFailure(u"late"_s, u"late"_s);
        QCOMPARE(t.trackedEntries(), 2);
    }
};

QTEST_GUILESS_MAIN(LoginThrottleTest)
#include "tst_loginthrottle.moc"
