#pragma once

#include "fakeresponse.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QTcpServer>
#include <QUrl>

namespace confab {

// A request as FakeUpstream received it.
struct FakeRequest
{
    QByteArray method;
    QByteArray target;                                // path and query, as sent
    QList<std::pair<QByteArray, QByteArray>> headers; // names as sent, in order
    QByteArray body;
    qint64 receivedMs = 0; // since the FakeUpstream was created, for checking delays

    QByteArray path() const; // the target without its query
    // The value of a header, names compared case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const;
    // The body as a JSON object (empty when it is not one).
    QJsonObject json() const;
    QJsonObject toJson() const;
};

// A fake OpenAI-compatible provider on loopback for tests and benchmarks: real HTTP/1.1 over
// QTcpServer (keep-alive, chunked streams) with byte-level control over what goes out, so it
// can stall, drop and misbehave the way real providers and networks do.
//
// Routes: POST .../chat/completions and GET .../models answer with the next queued
// FakeResponse for that endpoint, or the default (a short successful stream; a non-streaming
// completion when the request says "stream":false; a small model list). Every request is
// recorded. Control routes, not recorded, let another process script it:
//   GET /__fake/requests           recorded requests as JSON; DELETE clears them
//   POST /__fake/enqueue[?endpoint=models]   body: FakeResponse specs, one per line
//   GET /__fake/stats              {"open_connections","requests","queued"}
class FakeUpstream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeUpstream)

public:
    enum class Endpoint { ChatCompletions, Models };

    explicit FakeUpstream(QObject *parent = nullptr);
    ~FakeUpstream() override;

    // Listens on 127.0.0.1 and a free port unless told otherwise.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const;
    // http://127.0.0.1:PORT/v1, what a ProviderConfig::baseUrl should be.
    QUrl baseUrl() const;

    void enqueue(FakeResponse response, Endpoint endpoint = Endpoint::ChatCompletions);
    int queued(Endpoint endpoint = Endpoint::ChatCompletions) const;
    // The chat answer when the queue is empty; unset = the built-in short stream.
    void setDefaultResponse(std::optional<FakeResponse> response);
    // Requests without "Authorization: Bearer <key>" get 401 (the queue is left alone).
    void setRequiredApiKey(const QString &key);
    // The ids GET /models lists when nothing is queued.
    void setModels(const QStringList &ids);

    QList<FakeRequest> requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    FakeRequest lastRequest() const { return m_requests.value(m_requests.size() - 1); }
    void clearRequests() { m_requests.clear(); }
    // Runs the event loop until count requests arrived in total or the time is up.
    bool waitForRequests(int count, int timeoutMs = 10000);

    // Client connections open right now (a cancelled stream should close its connection).
    int openConnections() const { return m_openConnections; }
    bool waitForOpenConnections(int count, int timeoutMs = 10000);

signals:
    void requestReceived(const confab::FakeRequest &request);
    void connectionsChanged(int open);

private:
    friend class FakeConnection;
    // What a connection should do with a request: a scripted response, or nullopt for a
    // control route that was answered directly in controlReply.
    FakeResponse route(const FakeRequest &request);
    std::optional<FakeResponse> control(const FakeRequest &request);
    void connectionOpened();
    void connectionClosed();

    QTcpServer m_server;
    QElapsedTimer m_clock;
    QQueue<FakeResponse> m_chatQueue;
    QQueue<FakeResponse> m_modelsQueue;
    std::optional<FakeResponse> m_defaultResponse;
    QStringList m_models{QStringLiteral("fake-model"), QStringLiteral("fake-model-mini")};
    QString m_requiredKey;
    QList<FakeRequest> m_requests;
    int m_openConnections = 0;
};

} // namespace confab
