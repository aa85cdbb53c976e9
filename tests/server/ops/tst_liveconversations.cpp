#include "ops/liveconversations.h"

#include <QTest>

using namespace confab;
using namespace std::chrono_literals;

class LiveConversationsTest final : public QObject
{
    Q_OBJECT

private:
    std::chrono::steady_clock::time_point m_now{std::chrono::hours(1000)};

    LiveConversations::Clock clock()
    {
        return [this] { return m_now; };
    }

    static constexpr qint64 alice = 1;
    static constexpr qint64 bob = 2;
    static constexpr quint64 socketA = 101;
    static constexpr quint64 socketB = 102;
    static constexpr quint64 http = 0;

    static bool isTooMany(const Result<void> &result)
    {
        return !result.ok() && result.error().code == ErrorCode::Conflict
            && result.error().message.startsWith(QStringLiteral("too_many_conversations"));
    }

private slots:
    void init() { m_now = std::chrono::steady_clock::time_point(std::chrono::hours(1000)); }

    void shouldLimitOpenConversations()
    {
        LiveConversations live(3, clock());
        QVERIFY(live.open(alice, 10, socketA).ok());
        QVERIFY(live.open(alice, 11, socketA).ok());
        QVERIFY(live.open(alice, 12, http).ok());
        QVERIFY(live.open(alice, 10, socketA).ok()); // already open: fine
        QVERIFY(live.open(alice, 12, socketA).ok());
        QVERIFY(isTooMany(live.open(alice, 13, socketA)));
        QCOMPARE(live.openFor(alice), (QList<qint64>{10, 11, 12}));
        // Another user has a limit of their own.
        QVERIFY(live.open(bob, 13, socketB).ok());

        live.close(alice, 11);
        QCOMPARE(live.openFor(alice), (QList<qint64>{10, 12}));
        QVERIFY(live.open(alice, 13, socketA).ok());
        QVERIFY(isTooMany(live.open(alice, 14, http)));
    }

    void shouldCloseWhatAConnectionOwned()
    {
        LiveConversations live(3, clock());
        QVERIFY(live.open(alice, 10, socketA).ok());
        QVERIFY(live.open(alice, 11, socketB).ok());
        QVERIFY(live.open(alice, 12, http).ok());
        QVERIFY(live.open(bob, 20, socketA).ok());
        // A newer connection opening the same conversation takes it over.
        QVERIFY(live.open(alice, 11, socketA).ok());
        live.closeOwner(socketB);
        QCOMPARE(live.openFor(alice), (QList<qint64>{10, 11, 12}));
        live.closeOwner(http); // not a connection: HTTP entries stay
        QCOMPARE(live.openFor(alice), (QList<qint64>{10, 11, 12}));
        live.closeOwner(socketA);
        QCOMPARE(live.openFor(alice), QList<qint64>{12});
        QVERIFY(live.openFor(bob).isEmpty());
    }

    void shouldCloseEverythingOfAUser()
    {
        LiveConversations live(3, clock());
        QVERIFY(live.open(alice, 10, socketA).ok());
        QVERIFY(live.open(alice, 11, http).ok());
        QVERIFY(live.open(bob, 20, socketB).ok());
        live.closeUser(alice);
        QVERIFY(live.openFor(alice).isEmpty());
        QCOMPARE(live.openFor(bob), QList<qint64>{20});
    }

    void shouldExpireIdleHttpEntries()
    {
        LiveConversations live(3, clock());
        QVERIFY(live.open(alice, 10, http).ok());
        QVERIFY(live.open(alice, 11, http).ok());
        QVERIFY(live.open(alice, 12, socketA).ok());
        m_now += 9min;
        live.touch(alice, 11);
        live.touch(alice, 99); // not open: stays closed
        QVERIFY(isTooMany(live.open(alice, 13, http)));
        m_now += 1min; // 10 is idle for 10 minutes, 11 was used a minute ago
        QCOMPARE(live.openFor(alice), (QList<qint64>{11, 12}));
        QVERIFY(live.open(alice, 13, http).ok());
        m_now += 30min; // the WebSocket's entry never expires
        QCOMPARE(live.openFor(alice), QList<qint64>{12});
        QVERIFY(live.open(alice, 14, http).ok());
        QVERIFY(live.open(alice, 15, http).ok());
        QVERIFY(isTooMany(live.open(alice, 16, http)));
    }

    void shouldKeepAWebSocketsEntryWhenHttpUsesIt()
    {
        LiveConversations live(3, clock());
        QVERIFY(live.open(alice, 10, socketA).ok());
        QVERIFY(live.open(alice, 10, http).ok()); // a REST chat request on it
        m_now += 1h;
        QCOMPARE(live.openFor(alice), QList<qint64>{10});
        // An HTTP entry taken over by a WebSocket stops expiring.
        QVERIFY(live.open(alice, 11, http).ok());
        QVERIFY(live.open(alice, 11, socketA).ok());
        m_now += 1h;
        QCOMPARE(live.openFor(alice), (QList<qint64>{10, 11}));
    }

    void shouldApplyANewLimitAtOnce()
    {
        LiveConversations live(3, clock());
        QVERIFY(live.open(alice, 10, socketA).ok());
        QVERIFY(live.open(alice, 11, socketA).ok());
        live.setLimit(1);
        QCOMPARE(live.limit(), 1);
        QCOMPARE(live.openFor(alice), (QList<qint64>{10, 11})); // nothing is closed
        QVERIFY(isTooMany(live.open(alice, 12, socketA)));
        QVERIFY(live.open(alice, 11, socketA).ok());
        live.setLimit(4);
        QVERIFY(live.open(alice, 12, socketA).ok());
        QVERIFY(live.open(alice, 13, socketA).ok());
        QVERIFY(isTooMany(live.open(alice, 14, socketA)));
    }
};

QTEST_GUILESS_MAIN(LiveConversationsTest)
#include "tst_liveconversations.moc"
