#include "secretstorefactory.h"

#include "secrets/filesecretstore.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"
#include "settings/settings.h"

#include <QDir>
#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

struct Overrides
{
    std::optional<bool> probeResult;
    QString keychainService;
};

Overrides &overrides()
{
    static Overrides state;
    return state;
}

} // namespace

void SecretStoreFactory::probe(QObject *context, std::function<void(bool)> handler)
{
    if (const auto forced = overrides().probeResult) {
        QTimer::singleShot(0, context, [handler = std::move(handler), available = *forced] {
            handler(available);
        });
        return;
    }
    // QtKeychain may answer synchronously on some platforms: keep the promise of an
    // asynchronous answer anyway.
    QPointer<QObject> guard(context);
    KeychainSecretStore::probe(
        keychainService(), context, [guard, handler = std::move(handler)](bool available) {
            QTimer::singleShot(0, guard.get(), [handler, available] { handler(available); });
        });
}

void SecretStoreFactory::create(Settings &settings, QObject *context, Handler handler)
{
    const auto kind = settings.plainFileSecretsAllowed() ? SecretStore::Kind::PlainFile
                                                         : SecretStore::Kind::SessionOnly;
    probe(context, [kind, &settings, handler = std::move(handler)](bool keychain) {
        handler(make(keychain ? SecretStore::Kind::Keychain : kind, settings));
    });
}

std::unique_ptr<SecretStore> SecretStoreFactory::make(SecretStore::Kind kind,
                                                      const Settings &settings)
{
    switch (kind) {
    case SecretStore::Kind::Keychain:
        return std::make_unique<KeychainSecretStore>(keychainService());
    case SecretStore::Kind::PlainFile:
        return std::make_unique<FileSecretStore>(plainFilePath(settings));
    case SecretStore::Kind::SessionOnly:
        break;
    }
    return std::make_unique<MemorySecretStore>();
}

QString SecretStoreFactory::keychainService()
{
    const QString &forced = overrides().keychainService;
    return forced.isEmpty() ? u"Confab"_s : forced;
}

QString SecretStoreFactory::plainFilePath(const Settings &settings)
{
    return QDir(settings.dataDirectory()).filePath(u"secrets.json"_s);
}

void SecretStoreFactory::setProbeResultForTesting(std::optional<bool> available)
{
    overrides().probeResult = available;
}

void SecretStoreFactory::setKeychainServiceForTesting(const QString &service)
{
    overrides().keychainService = service;
}

} // namespace confab
