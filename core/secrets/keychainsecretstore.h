#pragma once

#include "secrets/secretstore.h"

namespace confab {

// Secrets in the platform's keychain (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows) through QtKeychain; never QtKeychain's plain-text fallback.
class KeychainSecretStore final : public SecretStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainSecretStore)

public:
    // service names the entries ("Confab"; tests use their own).
    explicit KeychainSecretStore(QString service, QObject *parent = nullptr);

    void read(const QString &key, QObject *context, Handler<QString> handler) override;
    void write(const QString &key, const QString &secret, QObject *context,
               Handler<void> handler) override;
    void remove(const QString &key, QObject *context, Handler<void> handler) override;
    Kind kind() const override { return Kind::Keychain; }

    // Finds out whether a keychain answers, by a harmless read.
    static void probe(const QString &service, QObject *context, std::function<void(bool)> handler);

private:
    QString m_service;
};

} // namespace confab
