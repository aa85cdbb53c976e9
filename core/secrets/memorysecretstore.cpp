#include "memorysecretstore.h"

namespace confab {

void MemorySecretStore::read(const QString &key, QObject *context, Handler<QString> handler)
{
    const auto it = m_secrets.constFind(key);
    if (it == m_secrets.cend())
        return deliver<QString>(
            context, std::move(handler),
            Error{ErrorCode::NotFound, tr("No secret is stored for %1.").arg(key)});
    deliver<QString>(context, std::move(handler), *it);
}

void MemorySecretStore::write(const QString &key, const QString &secret, QObject *context,
                              Handler<void> handler)
{
    m_secrets.insert(key, secret);
    deliver<void>(context, std::move(handler), {});
}

void MemorySecretStore::remove(const QString &key, QObject *context, Handler<void> handler)
{
    m_secrets.remove(key);
    deliver<void>(context, std::move(handler), {});
}

} // namespace confab
