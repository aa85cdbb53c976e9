#include "auth/passwordhasher.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

constexpr int timeoutMs = 30'000;

} // namespace

class PasswordHasherTest final : public QObject
{
    Q_OBJECT

private:
    QString hashOf(PasswordHasher &hasher, const QString &password)
    {
        std::optional<Result<QString>> result;
        hasher.hash(password, this, [&](Result<QString> hashed) { result = std::move(hashed); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs) || !result->ok())
            return {};
        return result->value();
    }

    struct Verdict
    {
        bool ok = false;
        bool needsRehash = false;
    };

    std::optional<Verdict> verify(PasswordHasher &hasher, const QString &password,
                                  const QString &hash)
    {
        std::optional<Verdict> verdict;
        hasher.verify(password, hash, this, [&](bool ok, bool needsRehash) {
            verdict = Verdict{ok, needsRehash};
        });
        if (!QTest::qWaitFor([&] { return verdict.has_value(); }, timeoutMs))
            qWarning("no verdict in %d ms", timeoutMs);
        return verdict;
    }

    // Milliseconds from submission to callback; -1 on a timeout.
    template<typename Submit>
    static qint64 timeOf(Submit submit)
    {
        bool done = false;
        QElapsedTimer timer;
        timer.start();
        submit([&done] { done = true; });
        if (!QTest::qWaitFor([&] { return done; }, timeoutMs))
            return -1;
        return timer.elapsed();
    }

    static qint64 median(QList<qint64> times)
    {
        std::sort(times.begin(), times.end());
        return times.at(times.size() / 2);
    }

private slots:
    void shouldHashAndVerify()
    {
        PasswordHasher hasher;
        const QString hash = hashOf(hasher, u"correct horse battery staple"_s);
        QVERIFY2(hash.startsWith(u"$argon2id$v=19$m=19456,t=2,p=1$"_s), qPrintable(hash));
        QVERIFY(!hash.contains(u"correct"_s));

        auto right = verify(hasher, u"correct horse battery staple"_s, hash);
        QVERIFY(right);
        QVERIFY(right->ok);
        QVERIFY(!right->needsRehash);
        auto wrong = verify(hasher, u"correct horse battery stapler"_s, hash);
        QVERIFY(wrong);
        QVERIFY(!wrong->ok);
        QVERIFY(!verify(hasher, QString(), hash)->ok);

        // A fresh salt each time.
        QVERIFY(hashOf(hasher, u"correct horse battery staple"_s) != hash);
    }

    void shouldHashUnicodeAsUtf8()
    {
        PasswordHasher hasher;
        const QString hash = hashOf(hasher, u"我的密码非常安全🔑"_s);
        QVERIFY(verify(hasher, u"我的密码非常安全🔑"_s, hash)->ok);
        QVERIFY(!verify(hasher, u"我的密码非常安全"_s, hash)->ok);
    }

    void shouldRefuseGarbledHashes_data()
    {
        QTest::addColumn<QString>("hash");
        QTest::newRow("empty") << QString();
        QTest::newRow("text") << u"not a hash"_s;
        QTest::newRow("bcrypt")
            << u"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"_s;
        QTest::newRow("truncated") << u"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ"_s;
        QTest::newRow("bad base64") << u"$argon2id$v=19$m=19456,t=2,p=1$!!!!$????"_s;
        QTest::newRow("too long") << u"$argon2id$v=19$m=19456,t=2,p=1$"_s + QString(500, u'A');
        QTest::newRow("nul inside") << u"$argon2id$v=19$m=19456,t=2,p=1$\0abc"_s;
    }

    void shouldRefuseGarbledHashes()
    {
        QFETCH(QString, hash);
        PasswordHasher hasher;
        auto verdict = verify(hasher, u"anything at all"_s, hash);
        QVERIFY(verdict);
        QVERIFY(!verdict->ok);
        QVERIFY(!verdict->needsRehash);
    }

    void shouldRefuseATamperedHash()
    {
        PasswordHasher hasher;
        QString hash = hashOf(hasher, u"correct horse battery staple"_s);
        hash[hash.size() - 3] = hash.at(hash.size() - 3) == u'A' ? u'B' : u'A';
        QVERIFY(!verify(hasher, u"correct horse battery staple"_s, hash)->ok);
    }

    void shouldAskForARehashWhenTheParametersRise()
    {
        PasswordHasher weak;
        const QString old = hashOf(weak, u"correct horse battery staple"_s);
        PasswordHasher stronger({3, 19u * 1024 * 1024});
        auto verdict = verify(stronger, u"correct horse battery staple"_s, old);
        QVERIFY(verdict->ok);
        QVERIFY(verdict->needsRehash);
        PasswordHasher moreMemory({2, 24u * 1024 * 1024});
        QVERIFY(verify(moreMemory, u"correct horse battery staple"_s, old)->needsRehash);
        // Only a matching password is worth a rehash.
        verdict = verify(stronger, u"wrong password"_s, old);
        QVERIFY(!verdict->ok);
        QVERIFY(!verdict->needsRehash);

        const QString fresh = hashOf(stronger, u"correct horse battery staple"_s);
        QVERIFY(fresh.contains(u"t=3"_s));
        verdict = verify(stronger, u"correct horse battery staple"_s, fresh);
        QVERIFY(verdict->ok);
        QVERIFY(!verdict->needsRehash);
    }

    void shouldNeverGoBelowTheFloor()
    {
        PasswordHasher hasher({1, 1024 * 1024});
        QCOMPARE(hasher.params().opsLimit, 2u);
        QCOMPARE(hasher.params().memLimit, 19u * 1024 * 1024);
        QVERIFY(hashOf(hasher, u"correct horse"_s).contains(u"m=19456,t=2,p=1"_s));
    }

    void shouldHashBlockingForTheCommandLine()
    {
        PasswordHasher hasher;
        auto hash = hasher.hashBlocking(u"correct horse battery staple"_s);
        QVERIFY(hash.ok());
        QVERIFY(verify(hasher, u"correct horse battery staple"_s, *hash)->ok);
    }

    void shouldKeepTheEventLoopTurning()
    {
        // Heavier than the default, so that the hash spans many timer ticks.
        PasswordHasher hasher({4, 64u * 1024 * 1024});
        int ticks = 0;
        QTimer timer;
        timer.setInterval(5);
        connect(&timer, &QTimer::timeout, this, [&] { ++ticks; });
        timer.start();

        bool done = false;
        int ticksWhenDone = 0;
        QThread *callbackThread = nullptr;
        QElapsedTimer call;
        call.start();
        hasher.hash(u"correct horse battery staple"_s, this, [&](Result<QString> hash) {
            done = hash.ok();
            ticksWhenDone = ticks;
            callbackThread = QThread::currentThread();
        });
        const qint64 callMs = call.elapsed();
        QVERIFY(!done); // never called back from inside hash()
        QVERIFY2(callMs < 20, qPrintable(QString::number(callMs)));
        QTRY_VERIFY_WITH_TIMEOUT(done, timeoutMs);
        QVERIFY2(ticksWhenDone >= 3, qPrintable(QString::number(ticksWhenDone)));
        QCOMPARE(callbackThread, QThread::currentThread());
    }

    void shouldCallBackOnTheContextsThread()
    {
        QThread thread;
        thread.start();
        auto context = std::make_unique<QObject>();
        context->moveToThread(&thread);
        PasswordHasher hasher;
        std::atomic<QThread *> callbackThread = nullptr;
        hasher.hash(u"correct horse"_s, context.get(),
                    [&](Result<QString>) { callbackThread = QThread::currentThread(); });
        QTRY_VERIFY_WITH_TIMEOUT(callbackThread.load() != nullptr, timeoutMs);
        QCOMPARE(callbackThread.load(), &thread);
        // Destroyed on its own thread, then the thread stops.
        QMetaObject::invokeMethod(context.release(), &QObject::deleteLater);
        thread.quit();
        QVERIFY(thread.wait(timeoutMs));
    }

    void shouldDropTheCallbackOfADeadContext()
    {
        PasswordHasher hasher;
        bool called = false;
        auto context = std::make_unique<QObject>();
        hasher.hash(u"correct horse"_s, context.get(), [&](Result<QString>) { called = true; });
        hasher.verify(u"correct horse"_s, u"x"_s, context.get(),
                      [&](bool, bool) { called = true; });
        hasher.verifyDummy(u"correct horse"_s, context.get(), [&] { called = true; });
        context.reset();
        QTRY_COMPARE_WITH_TIMEOUT(hasher.pendingJobs(), 0, timeoutMs);
        QTest::qWait(50); // the queued calls would have come by now
        QVERIFY(!called);
    }

    void shouldCountPendingJobs()
    {
        PasswordHasher hasher;
        int done = 0;
        QCOMPARE(hasher.pendingJobs(), 0);
        for (int i = 0; i < 3; ++i)
            hasher.hash(u"password %1"_s.arg(i), this, [&](Result<QString>) { ++done; });
        QCOMPARE(hasher.pendingJobs(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(done, 3, timeoutMs);
        QCOMPARE(hasher.pendingJobs(), 0);
    }

    void shouldDropQueuedJobsWhenDestroyed()
    {
        bool called = false;
        {
            PasswordHasher hasher;
            for (int i = 0; i < 20; ++i)
                hasher.hash(u"password"_s, this, [&](Result<QString>) { called = true; });
        }
        QTest::qWait(50);
        QVERIFY(!called);
    }

    void shouldTakeAsLongForUnknownUsers()
    {
        PasswordHasher hasher;
        const QString hash = hashOf(hasher, u"correct horse battery staple"_s);
        // Interleaved, so that the load of the machine weighs on the three alike.
        QList<qint64> real, dummy, garbled;
        for (int round = 0; round < 7; ++round) {
            real.append(timeOf([&](auto done) {
                hasher.verify(u"wrong guess"_s, hash, this, [done](bool, bool) { done(); });
            }));
            dummy.append(timeOf([&](auto done) {
                hasher.verifyDummy(u"wrong guess"_s, this, [done] { done(); });
            }));
            garbled.append(timeOf([&](auto done) {
                hasher.verify(u"wrong guess"_s, u"garbled"_s, this, [done](bool, bool) { done(); });
            }));
        }
        const qint64 realMs = median(real);
        const qint64 dummyMs = median(dummy);
        const qint64 garbledMs = median(garbled);
        qInfo("verify %lld ms, dummy %lld ms, garbled hash %lld ms", realMs, dummyMs, garbledMs);
        QVERIFY(realMs > 0 && dummyMs > 0 && garbledMs > 0);
        QVERIFY(dummyMs * 2 >= realMs && dummyMs <= realMs * 2);
        QVERIFY(garbledMs * 2 >= realMs && garbledMs <= realMs * 2);
    }
};

QTEST_GUILESS_MAIN(PasswordHasherTest)
#include "tst_passwordhasher.moc"
