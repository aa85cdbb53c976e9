#include "passwordhasher.h"

#include "common/logging.h"

#include <QThread>

#include <memory>
#include <optional>
#include <sodium.h>
#include <tuple>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Carries one job's end to the callback's thread. A queued connection is dropped under Qt's
// locks when its receiver dies, which a call posted from the worker to a raw context pointer
// could not promise.
class JobRelay final : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

signals:
    void finished();
};

// Hashing yields the CPU to the event loop whenever both want it, so that a burst of logins
// cannot delay the streams the loop relays. On Linux, QThread's LowPriority means nothing to
// the default scheduler (and IdlePriority could starve logins outright on a busy server), so
// the worker lowers its own nice value, which Linux applies per thread.
void yieldToTheEventLoop()
{
#ifdef Q_OS_LINUX
    thread_local const bool lowered = setpriority(PRIO_PROCESS, gettid(), 10) == 0;
    Q_UNUSED(lowered);
#endif
}

PasswordHashParams atLeastTheFloor(PasswordHashParams params)
{
    const PasswordHashParams floor;
    params.opsLimit = std::max(params.opsLimit, floor.opsLimit);
    params.memLimit = std::max(params.memLimit, floor.memLimit);
    return params;
}

// The UTF-8 bytes of a password, wiped when it goes out of scope. (The QString it came from is
// beyond reach: Qt may have copied it anywhere.)
class SecretBytes final
{
public:
    explicit SecretBytes(const QString &text)
        : m_bytes(text.toUtf8())
    {}
    ~SecretBytes() { sodium_memzero(m_bytes.data(), size_t(m_bytes.size())); }
    Q_DISABLE_COPY_MOVE(SecretBytes)

    const char *data() const { return m_bytes.constData(); }
    unsigned long long size() const { return quint64(m_bytes.size()); }

private:
    QByteArray m_bytes;
};

Result<QString> hashWith(const PasswordHashParams &params, const QString &password)
{
    const SecretBytes secret(password);
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, secret.data(), secret.size(), params.opsLimit, params.memLimit)
        != 0) {
        // libsodium's only failure here is an allocation of memLimit bytes.
        return Error{ErrorCode::Internal,
                     u"not enough memory to hash a password (%1 MiB)"_s.arg(params.memLimit >> 20)};
    }
    return QString::fromLatin1(out);
}

} // namespace

PasswordHasher::PasswordHasher(Params params, QObject *parent)
    : QObject(parent)
    , m_params(atLeastTheFloor(params))
{
    // Idempotent and thread-safe; picks libsodium's fastest Argon2 code for this CPU.
    if (sodium_init() < 0)
        qCCritical(lcAuth) << "libsodium could not initialize";
    // One core stays free for the event loop: logins must not stall the streams it relays.
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
    m_pool.setObjectName(u"confab-password-hasher"_s);
    m_pool.setThreadPriority(QThread::LowPriority);
    // The dummy hash costs a hash: made now, in the background, rather than during the first
    // unknown user's login, where the extra time would tell.
    m_pool.start([this] {
        yieldToTheEventLoop();
        dummyHash();
    });
}

PasswordHasher::~PasswordHasher()
{
    *m_alive = false;
    m_pool.clear();
    m_pool.waitForDone();
}

template<typename T>
void PasswordHasher::submit(QObject *context, std::function<T()> work, std::function<void(T)> done)
{
    auto result = std::make_shared<std::optional<T>>();
    // A child of the hasher, so that the relay of a job cleared from the pool is freed too.
    auto *relay = new JobRelay(this);
    connect(
        relay, &JobRelay::finished, context,
        [alive = m_alive, result, done = std::move(done)] {
            // Queued before the hasher died: its owner is tearing down, nobody waits for this.
            if (*alive)
                done(std::move(**result));
        },
        Qt::QueuedConnection);
    ++m_pending;
    m_pool.start([this, relay, result, work = std::move(work)] {
        yieldToTheEventLoop();
        *result = work();
        --m_pending;
        emit relay->finished();
        relay->deleteLater();
    });
}

void PasswordHasher::hash(const QString &password, QObject *context,
                          std::function<void(Result<QString>)> done)
{
    submit<Result<QString>>(
        context, [this, password] { return hashWith(m_params, password); }, std::move(done));
}

void PasswordHasher::verify(const QString &password, const QString &hash, QObject *context,
                            std::function<void(bool, bool)> done)
{
    struct Outcome
    {
        bool ok = false;
        bool needsRehash = false;
    };
    submit<Outcome>(
        context,
        [this, password, hash] {
            Outcome outcome;
            outcome.ok = verifyNow(password, hash, &outcome.needsRehash);
            return outcome;
        },
        [done = std::move(done)](Outcome outcome) { done(outcome.ok, outcome.needsRehash); });
}

void PasswordHasher::verifyDummy(const QString &password, QObject *context,
                                 std::function<void()> done)
{
    submit<bool>(
        context,
        [this, password] {
            const SecretBytes secret(password);
            return crypto_pwhash_str_verify(dummyHash().constData(), secret.data(), secret.size())
                == 0;
        },
        [done = std::move(done)](bool) { done(); });
}

Result<QString> PasswordHasher::hashBlocking(const QString &password) const
{
    return hashWith(m_params, password);
}

bool PasswordHasher::verifyNow(const QString &password, const QString &hash, bool *needsRehash)
{
    *needsRehash = false;
    const QByteArray stored = hash.toLatin1();
    const SecretBytes secret(password);
    // libsodium reads the stored string up to its NUL, within crypto_pwhash_STRBYTES. Anything
    // that is not an Argon2id string of ours (needs_rehash answers -1) costs a dummy
    // verification, so that a broken account answers as slowly as any other.
    const bool wellFormed = !stored.isEmpty() && stored.size() < qsizetype(crypto_pwhash_STRBYTES)
        && !stored.contains('\0')
        && crypto_pwhash_str_needs_rehash(stored.constData(), m_params.opsLimit, m_params.memLimit)
            != -1;
    if (!wellFormed) {
        std::ignore
            = crypto_pwhash_str_verify(dummyHash().constData(), secret.data(), secret.size());
        return false;
    }
    if (crypto_pwhash_str_verify(stored.constData(), secret.data(), secret.size()) != 0)
        return false;
    *needsRehash
        = crypto_pwhash_str_needs_rehash(stored.constData(), m_params.opsLimit, m_params.memLimit)
        != 0;
    return true;
}

const QByteArray &PasswordHasher::dummyHash()
{
    std::call_once(m_dummyOnce, [this] {
        QByteArray random(32, Qt::Uninitialized);
        randombytes_buf(random.data(), size_t(random.size()));
        auto hashed = hashWith(m_params, QString::fromLatin1(random.toBase64()));
        // Out of memory: verifying against an unparsable string fails fast, which is all that
        // is left to do.
        m_dummyHash = hashed ? hashed->toLatin1() : QByteArray("-");
    });
    return m_dummyHash;
}

} // namespace confab

#include "passwordhasher.moc"
