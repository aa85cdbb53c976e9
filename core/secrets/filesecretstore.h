#pragma once

#include "secrets/secretstore.h"

#include <QJsonObject>

namespace confab {

// Secrets in a plain JSON file readable only by its owner (0600). Used only after the user
// explicitly agreed, on a system without a keychain: anyone who can read the file as this
// user can read the secrets, and the UI says so.
class FileSecretStore final : public SecretStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileSecretStore)

public:
    explicit FileSecretStore(QString path, QObject *parent = nullptr);

    void read(const QString &key, QObject *context, Handler<QString> handler) override;
    void write(const QString &key, const QString &secret, QObject *context,
               Handler<void> handler) override;
    void remove(const QString &key, QObject *context, Handler<void> handler) override;
    Kind kind() const override { return Kind::PlainFile; }

private:
    Result<QJsonObject> load() const;
    Result<void> save(const QJsonObject &secrets) const;

    QString m_path;
};

} // namespace confab
