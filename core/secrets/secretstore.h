#pragma once

#include "common/result.h"

#include <QObject>

#include <functional>

namespace confab {

// Where secrets (provider API keys, refresh tokens) live. The system keychain is the normal
// home; where none exists, the user chooses between keeping a secret for this session only
// and a plain file. Handlers run on context's event loop, never synchronously, and never when
// context is gone. A missing entry is ErrorCode::NotFound; no usable backend is Unavailable.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    template<typename T>
    using Handler = std::function<void(Result<T>)>;

    using QObject::QObject;

    virtual void read(const QString &key, QObject *context, Handler<QString> handler) = 0;
    virtual void write(const QString &key, const QString &secret, QObject *context,
                       Handler<void> handler)
        = 0;
    virtual void remove(const QString &key, QObject *context, Handler<void> handler) = 0;

    enum class Kind { Keychain, SessionOnly, PlainFile };
    virtual Kind kind() const = 0;

protected:
    template<typename T>
    static void deliver(QObject *context, Handler<T> handler, Result<T> result);
};

template<typename T>
void SecretStore::deliver(QObject *context, Handler<T> handler, Result<T> result)
{
    if (!handler)
        return;
    QMetaObject::invokeMethod(
        context,
        [handler = std::move(handler), result = std::move(result)]() mutable {
            handler(std::move(result));
        },
        Qt::QueuedConnection);
}

} // namespace confab
