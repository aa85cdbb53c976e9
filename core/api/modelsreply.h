#pragma once

#include "api/providerconfig.h"
#include "common/error.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace confab {

// The provider's model list (GET /models), made by Provider::listModels(). Emits finished()
// exactly once, asynchronously; the caller owns it and deleteLater()s it. One attempt, bounded
// by the connect timeout and then the first byte timeout: a settings dialog is waiting.
class ModelsReply final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelsReply)

public:
    ~ModelsReply() override;

    void cancel();
    bool isFinished() const { return m_finished; }
    // The model ids, sorted and without duplicates; empty on error.
    const QStringList &models() const { return m_models; }
    const std::optional<Error> &error() const { return m_error; }

signals:
    void finished();

private:
    friend class Provider;
    ModelsReply(QNetworkAccessManager *nam, const ProviderConfig &config, QNetworkRequest request,
                QObject *parent = nullptr);
    void start(std::optional<Error> invalidRequest);
    void onNetworkFinished();
    void finishWith(std::optional<Error> error);
    void dropNetworkReply();

    QPointer<QNetworkAccessManager> m_nam;
    ProviderConfig m_config;
    QNetworkRequest m_request;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timer;
    QByteArray m_body;
    QStringList m_models;
    std::optional<Error> m_error;
    bool m_sent = false; // the request reached a connection: now waiting for the answer
    bool m_finished = false;
};

} // namespace confab
