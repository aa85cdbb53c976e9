#pragma once

#include "secrets/secretstore.h"

#include <QHash>

namespace confab {

// Secrets kept for this session only: what Confab uses when no keychain exists and the user
// has not agreed to a plain file. Gone when the app quits.
class MemorySecretStore final : public SecretStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemorySecretStore)

public:
    using SecretStore::SecretStore;

    void read(const QString &key, QObject *context, Handler<QString> handler) override;
    void write(const QString &key, const QString &secret, QObject *context,
               Handler<void> handler) override;
    void remove(const QString &key, QObject *context, Handler<void> handler) override;
    Kind kind() const override { return Kind::SessionOnly; }

private:
    QHash<QString, QString> m_secrets;
};

} // namespace confab
