#pragma once

#include "secrets/secretstore.h"

#include <functional>
#include <memory>
#include <optional>

namespace confab {

class Settings;

// Chooses where this run of the app keeps API keys: the system keychain when one answers;
// otherwise a plain file, but only if the user agreed to that (Settings); otherwise this
// session only. The first-run dialog asks; later starts just call create().
class SecretStoreFactory
{
public:
    using Handler = std::function<void(std::unique_ptr<SecretStore>)>;

    // Finds out, asynchronously, whether a system keychain answers. The handler runs on
    // context's event loop, never synchronously, and never when context is gone.
    static void probe(QObject *context, std::function<void(bool)> handler);
    // The store for this run, by the rule above. settings must outlive context.
    static void create(Settings &settings, QObject *context, Handler handler);
    // A store of the given kind, unconditionally.
    static std::unique_ptr<SecretStore> make(SecretStore::Kind kind, const Settings &settings);

    // The name Confab's keychain entries live under.
    static QString keychainService();
    // The plain file, in the app's data folder (the one of --data-dir when given).
    static QString plainFilePath(const Settings &settings);

    // Tests: probe() answers this without asking the platform; nullopt asks it again.
    static void setProbeResultForTesting(std::optional<bool> available);
    // Tests: keychain entries under a service of their own.
    static void setKeychainServiceForTesting(const QString &service);
};

} // namespace confab
