#include "keychainsecretstore.h"

#include "common/logging.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

Error toError(const QKeychain::Job &job)
{
    switch (job.error()) {
    case QKeychain::EntryNotFound:
        return Error{ErrorCode::NotFound, job.errorString()};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Error{ErrorCode::Unavailable, job.errorString()};
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return Error{ErrorCode::Forbidden, job.errorString()};
    default:
        return Error{ErrorCode::Internal, job.errorString()};
    }
}

template<typename JobType>
JobType *makeJob(const QString &service, const QString &key, QObject *parent)
{
    auto *job = new JobType(service, parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    return job;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service, QObject *parent)
    : SecretStore(parent)
    , m_service(std::move(service))
{}

void KeychainSecretStore::read(const QString &key, QObject *context, Handler<QString> handler)
{
    auto *job = makeJob<QKeychain::ReadPasswordJob>(m_service, key, this);
    connect(job, &QKeychain::Job::finished, context,
            [job, handler = std::move(handler)](QKeychain::Job *) {
                if (job->error() != QKeychain::NoError)
                    return handler(toError(*job));
                handler(job->textData());
            });
    job->start();
}

void KeychainSecretStore::write(const QString &key, const QString &secret, QObject *context,
                                Handler<void> handler)
{
    if (!handler)
        handler = [](Result<void>) {}; // nobody waits: the write still happens
    auto *job = makeJob<QKeychain::WritePasswordJob>(m_service, key, this);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, context,
            [job, handler = std::move(handler)](QKeychain::Job *) {
                if (job->error() != QKeychain::NoError) {
                    qCWarning(lcClient) << "keychain write failed:" << job->errorString();
                    return handler(toError(*job));
                }
                handler({});
            });
    job->start();
}

void KeychainSecretStore::remove(const QString &key, QObject *context, Handler<void> handler)
{
    if (!handler)
        handler = [](Result<void>) {};
    auto *job = makeJob<QKeychain::DeletePasswordJob>(m_service, key, this);
    connect(job, &QKeychain::Job::finished, context,
            [job, handler = std::move(handler)](QKeychain::Job *) {
                // Removing what is not there is success: the secret is gone either way.
                if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
                    return handler(toError(*job));
                handler({});
            });
    job->start();
}

void KeychainSecretStore::probe(const QString &service, QObject *context,
                                std::function<void(bool)> handler)
{
    auto *job = makeJob<QKeychain::ReadPasswordJob>(service, u"confab-probe"_s, context);
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [job, handler = std::move(handler)](QKeychain::Job *) {
                         const auto error = job->error();
                         handler(error == QKeychain::NoError || error == QKeychain::EntryNotFound);
                     });
    job->start();
}

} // namespace confab
