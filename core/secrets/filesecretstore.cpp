#include "filesecretstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace confab {

FileSecretStore::FileSecretStore(QString path, QObject *parent)
    : SecretStore(parent)
    , m_path(std::move(path))
{}

void FileSecretStore::read(const QString &key, QObject *context, Handler<QString> handler)
{
    const auto secrets = load();
    if (!secrets)
        return deliver<QString>(context, std::move(handler), secrets.error());
    if (!secrets->contains(key))
        return deliver<QString>(
            context, std::move(handler),
            Error{ErrorCode::NotFound, tr("No secret is stored for %1.").arg(key)});
    deliver<QString>(context, std::move(handler), secrets->value(key).toString());
}

void FileSecretStore::write(const QString &key, const QString &secret, QObject *context,
                            Handler<void> handler)
{
    auto secrets = load();
    if (!secrets)
        return deliver<void>(context, std::move(handler), secrets.error());
    secrets->insert(key, secret);
    deliver(context, std::move(handler), save(*secrets));
}

void FileSecretStore::remove(const QString &key, QObject *context, Handler<void> handler)
{
    auto secrets = load();
    if (!secrets)
        return deliver<void>(context, std::move(handler), secrets.error());
    secrets->remove(key);
    deliver(context, std::move(handler), save(*secrets));
}

Result<QJsonObject> FileSecretStore::load() const
{
    QFile file(m_path);
    if (!file.exists())
        return QJsonObject{};
    if (!file.open(QIODevice::ReadOnly))
        return Error{ErrorCode::Internal, tr("Cannot read %1: %2").arg(m_path, file.errorString())};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject())
        return Error{ErrorCode::Internal,
                     tr("%1 is damaged: %2").arg(m_path, parseError.errorString())};
    return document.object();
}

Result<void> FileSecretStore::save(const QJsonObject &secrets) const
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{ErrorCode::Internal,
                     tr("Cannot write %1: %2").arg(m_path, file.errorString())};
    // Owner-only before any secret is written into it.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(secrets).toJson(QJsonDocument::Compact));
    if (!file.commit())
        return Error{ErrorCode::Internal,
                     tr("Cannot write %1: %2").arg(m_path, file.errorString())};
    return {};
}

} // namespace confab
