#pragma once

#include "awaitresult.h"
#include "secrets/secretstore.h"

#include <QObject>
#include <QTest>

#include <optional>

// Shared by the dialog tests: finding a dialog's parts by objectName, and waiting for an
// asynchronous SecretStore answer.

namespace confab::testing {

// The child named name; a missing one ends the test run loudly, since every later step
// would fail for a reason that hides the real one.
template<typename T>
T *child(const QObject *root, const char *name)
{
    T *found = root->findChild<T *>(QString::fromLatin1(name));
    if (!found)
        qFatal("no %s named %s under %s", T::staticMetaObject.className(), name,
               qPrintable(root->objectName()));
    return found;
}

inline Result<QString> readSecret(SecretStore &store, const QString &key)
{
    return await<QString>(
        [&](QObject *context, auto handler) { store.read(key, context, handler); });
}

inline Result<void> writeSecret(SecretStore &store, const QString &key, const QString &secret)
{
    return await<void>(
        [&](QObject *context, auto handler) { store.write(key, secret, context, handler); });
}

} // namespace confab::testing
