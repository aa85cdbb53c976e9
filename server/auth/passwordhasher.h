#pragma once

#include "common/result.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

// Argon2id password hashing (libsodium's crypto_pwhash_str) on a pool of its own threads:
// a hash costs tens of milliseconds and tens of MiB, which must never stall the event loop,
// and the pool caps how many run at once (DESIGN.md §4).

namespace confab {

// Outside PasswordHasher so that it can be a default argument of its constructor.
struct PasswordHashParams
{
    // DESIGN.md §4's floor: Argon2id t=2, m=19 MiB (libsodium always uses p=1).
    unsigned long long opsLimit = 2;
    size_t memLimit = 19u * 1024 * 1024;
};

class PasswordHasher final : public QObject
{
    Q_OBJECT

public:
    using Params = PasswordHashParams;

    // Params below the floor are raised to it. The pool runs QThread::idealThreadCount() jobs
    // at once.
    explicit PasswordHasher(Params params = {}, QObject *parent = nullptr);
    // Drops the jobs not started and waits for those running; no callback runs afterwards.
    ~PasswordHasher() override;

    Params params() const { return m_params; }

    // Each callback runs later, on context's thread (context must not be null), through a
    // queued connection; it is dropped when context is destroyed first. Call these from the
    // hasher's thread.

    void hash(const QString &password, QObject *context, std::function<void(Result<QString>)> done);
    // ok: the password matches. needsRehash: it matches a hash made with other parameters (or
    // another algorithm), which the caller should replace with a fresh hash. An empty or
    // garbled hash verifies false, at the cost of a real verification.
    void verify(const QString &password, const QString &hash, QObject *context,
                std::function<void(bool ok, bool needsRehash)> done);
    // For unknown users: verifies against a hash made with these parameters and throws the
    // answer away, so that the time taken does not tell whether the user exists.
    void verifyDummy(const QString &password, QObject *context, std::function<void()> done);

    // On the calling thread: for the command line's --create-admin only.
    Result<QString> hashBlocking(const QString &password) const;

    // Jobs queued or running.
    int pendingJobs() const { return m_pending.load(); }

private:
    template<typename T>
    void submit(QObject *context, std::function<T()> work, std::function<void(T)> done);
    bool verifyNow(const QString &password, const QString &hash, bool *needsRehash);
    const QByteArray &dummyHash();

    const Params m_params;
    QThreadPool m_pool;
    std::atomic<int> m_pending{0};
    // Shared with the queued callbacks, which may run after the hasher is gone.
    std::shared_ptr<std::atomic<bool>> m_alive = std::make_shared<std::atomic<bool>>(true);
    std::once_flag m_dummyOnce;
    QByteArray m_dummyHash;
};

} // namespace confab
