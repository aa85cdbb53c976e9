#include "api/provider.h"
#include "api/providerpresets.h"
#include "api/upstreamerrors.h"
#include "fakeupstream.h"

#include <QDir>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;

Q_DECLARE_METATYPE(confab::FakeResponse)

namespace {

// Generous everywhere except the one timeout a test is about: the machine running the tests
// may be busy, and a slow run must not look like a timeout.
ProviderConfig configFor(const FakeUpstream &upstream)
{
    ProviderConfig config;
    config.baseUrl = upstream.baseUrl();
    config.apiKey = u"sk-test-0123456789"_s;
    config.defaultModel = u"fake-model"_s;
    config.connectTimeout = 10s;
    config.firstByteTimeout = 20s;
    config.idleTimeout = 20s;
    config.totalTimeout = 120s;
    config.maxRetries = 3;
    config.retryBaseDelay = 10ms;
    config.maxRetryDelay = 5s;
    return config;
}

ChatRequest hello(bool stream = true)
{
    ChatRequest request;
    request.messages = {{Role::System, u"Be brief."_s}, {Role::User, u"Say hello, 世界"_s}};
    request.stream = stream;
    return request;
}

struct Outcome
{
    bool finishedInTime = false;
    int finishedCount = 0;
    QList<ChatDelta> deltas;
    QList<qint64> retryDelays;
    ChatResult result;

    QString streamed() const
    {
        QString text;
        for (const ChatDelta &delta : deltas)
            text += delta.content;
        return text;
    }
};

// Sends, waits for finished(), then lingers a little to catch a second finished().
Outcome run(Provider &provider, const ChatRequest &request,
            const std::function<void(ChatReply *, const Outcome &)> &onDelta = {},
            int timeoutMs = 60000)
{
    Outcome outcome;
    std::unique_ptr<ChatReply> reply(provider.send(request));
    QObject::connect(reply.get(), &ChatReply::delta, reply.get(),
                     [&](const QString &content, const QString &reasoning) {
                         outcome.deltas.append({content, reasoning});
                         if (onDelta)
                             onDelta(reply.get(), outcome);
                     });
    QObject::connect(reply.get(), &ChatReply::retrying, reply.get(),
                     [&](int, qint64 delayMs) { outcome.retryDelays.append(delayMs); });
    // A real event loop, not qWaitFor's polling, so the calls run at their real pace.
    QEventLoop loop;
    QObject::connect(reply.get(), &ChatReply::finished, &loop, [&] {
        ++outcome.finishedCount;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    outcome.finishedInTime = outcome.finishedCount > 0;
    QTest::qWait(50);
    outcome.result = reply->result();
    return outcome;
}

QJsonObject expectedFixtures()
{
    QFile file(QStringLiteral(CONFAB_FIXTURES_DIR) + u"/sse/expected.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("no expected.json");
    QJsonObject all = QJsonDocument::fromJson(file.readAll()).object();
    all.remove(u"_about"_s);
    return all;
}

quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

class ProviderTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_upstream = std::make_unique<FakeUpstream>();
        QVERIFY(m_upstream->listen());
    }

    void cleanup() { m_upstream.reset(); }

    void shouldStreamAndSendOnlyAllowListedFields()
    {
        m_upstream->enqueue(FakeResponse::chatStream({u"Hel"_s, u"lo, "_s, u"世界"_s}, u"stop"_s,
                                                     Usage{12, 3, 15}));
        Provider provider(configFor(*m_upstream));
        ChatRequest request = hello();
        request.params.model = u"gpt-test"_s;
        request.params.temperature = 0.5;
        request.params.topP = 0.25;
        request.params.maxTokens = 64;
        request.params.presencePenalty = -1.5;
        request.params.frequencyPenalty = 1.0;
        request.params.stop = {u"END"_s};

        const Outcome outcome = run(provider, request);
        QVERIFY(outcome.finishedInTime);
        QCOMPARE(outcome.finishedCount, 1);
        QVERIFY2(!outcome.result.error, qPrintable(outcome.result.error->toString()));
        QCOMPARE(outcome.streamed(), u"Hello, 世界"_s);
        QCOMPARE(outcome.result.content, u"Hello, 世界"_s);
        QCOMPARE(outcome.result.finishReason, u"stop"_s);
        QVERIFY(outcome.result.complete);
        QCOMPARE(outcome.result.usage, std::optional(Usage{12, 3, 15}));
        QCOMPARE(outcome.result.model, u"fake-model"_s);
        QCOMPARE(outcome.result.attempts, 1);

        QCOMPARE(m_upstream->requestCount(), 1);
        const FakeRequest sent = m_upstream->lastRequest();
        QCOMPARE(sent.method, QByteArray("POST"));
        QCOMPARE(sent.path(), QByteArray("/v1/chat/completions"));
        QCOMPARE(sent.header("Authorization"), QByteArray("Bearer sk-test-0123456789"));
        QCOMPARE(sent.header("Accept"), QByteArray("text/event-stream"));
        QCOMPARE(sent.header("Content-Type"), QByteArray("application/json"));
        const QJsonObject expected{
            {u"model"_s, u"gpt-test"_s},
            {u"messages"_s,
             QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Be brief."_s}},
                        QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Say hello, 世界"_s}}}},
            {u"stream"_s, true},
            {u"temperature"_s, 0.5},
            {u"top_p"_s, 0.25},
            {u"max_tokens"_s, 64},
            {u"presence_penalty"_s, -1.5},
            {u"frequency_penalty"_s, 1.0},
            {u"stop"_s, QJsonArray{u"END"_s}},
            {u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}}}};
        QCOMPARE(sent.json(), expected);
    }

    void shouldSendNoKeyAndNoUnsetParameters()
    {
        ProviderConfig config = configFor(*m_upstream);
        config.apiKey.clear();
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QVERIFY(!outcome.result.error);
        const FakeRequest sent = m_upstream->lastRequest();
        QVERIFY(sent.header("Authorization").isEmpty());
        QStringList keys = sent.json().keys();
        keys.sort();
        QCOMPARE(keys, (QStringList{u"messages"_s, u"model"_s, u"stream"_s, u"stream_options"_s}));
        QCOMPARE(sent.json().value("model"_L1).toString(), u"fake-model"_s);
    }

    void shouldReadANonStreamingAnswer()
    {
        m_upstream->enqueue(FakeResponse::completion(u"Forty-two."_s, u"Counting..."_s, u"length"_s,
                                                     Usage{7, 3, 10}));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello(false));
        QVERIFY(outcome.finishedInTime);
        QVERIFY(!outcome.result.error);
        QCOMPARE(outcome.deltas.size(), 1);
        QCOMPARE(outcome.deltas.first(), (ChatDelta{u"Forty-two."_s, u"Counting..."_s}));
        QCOMPARE(outcome.result.content, u"Forty-two."_s);
        QCOMPARE(outcome.result.reasoning, u"Counting..."_s);
        QCOMPARE(outcome.result.finishReason, u"length"_s);
        QCOMPARE(outcome.result.usage, std::optional(Usage{7, 3, 10}));
        QVERIFY(outcome.result.complete);
        const FakeRequest sent = m_upstream->lastRequest();
        QCOMPARE(sent.header("Accept"), QByteArray("application/json"));
        QCOMPARE(sent.json().value("stream"_L1), QJsonValue(false));
        QVERIFY(!sent.json().contains("stream_options"_L1));
    }

    void shouldReadAJsonAnswerToAStreamingRequest()
    {
        m_upstream->enqueue(FakeResponse::completion(u"Not streamed."_s));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello(true));
        QVERIFY(!outcome.result.error);
        QCOMPARE(outcome.result.content, u"Not streamed."_s);
    }

    void shouldReportANonJsonAnswerAsProtocolError()
    {
        m_upstream->enqueue(FakeResponse::text(200, "<html>captive portal</html>", "text/html"));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello(false));
        QVERIFY(outcome.result.error);
        QCOMPARE(outcome.result.error->code, ErrorCode::Protocol);
        QCOMPARE(outcome.result.attempts, 1);
    }

    void shouldDecodeEveryFixtureThroughTheProvider_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QJsonObject>("expected");
        const QJsonObject all = expectedFixtures();
        for (auto it = all.constBegin(); it != all.constEnd(); ++it)
            QTest::newRow(qPrintable(it.key())) << it.key() << it.value().toObject();
    }

    void shouldDecodeEveryFixtureThroughTheProvider()
    {
        QFETCH(QString, fixture);
        QFETCH(QJsonObject, expected);
        // Small writes, so the answer arrives in many reads cut at odd places.
        m_upstream->enqueue(FakeResponse::sseFixture(fixture).splitWrites(7, 1ms));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QCOMPARE(outcome.finishedCount, 1);
        const ChatResult &result = outcome.result;
        QCOMPARE(result.content, expected.value("text"_L1).toString());
        QCOMPARE(outcome.streamed(), result.content);
        QCOMPARE(result.reasoning, expected.value("reasoning"_L1).toString());
        QCOMPARE(result.finishReason, expected.value("finish"_L1).toString());
        QCOMPARE(result.usage ? QJsonValue(result.usage->toJson()) : QJsonValue(),
                 expected.value("usage"_L1));
        if (!expected.value("error"_L1).isNull()) {
            QVERIFY(result.error);
            QCOMPARE(result.error->code, ErrorCode::Upstream);
            QCOMPARE(result.error->message, expected.value("error"_L1).toString());
        } else if (!expected.value("complete"_L1).toBool()) {
            QVERIFY(result.error);
            QCOMPARE(result.error->code, ErrorCode::Network);
        } else {
            QVERIFY2(!result.error, qPrintable(result.error->toString()));
            QVERIFY(result.complete);
        }
        QCOMPARE(result.attempts, 1); // text had arrived: never retried
        QCOMPARE(m_upstream->requestCount(), 1);
    }

    void shouldRetryAfter429HonouringRetryAfter()
    {
        m_upstream->enqueue(FakeResponse::error(429, u"Slow down."_s, "1"));
        m_upstream->enqueue(FakeResponse::chatStream({u"ok"_s}));
        Provider provider(configFor(*m_upstream)); // base delay 10 ms: only Retry-After waits 1 s
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QVERIFY(!outcome.result.error);
        QCOMPARE(outcome.result.content, u"ok"_s);
        QCOMPARE(outcome.result.attempts, 2);
        QCOMPARE(outcome.retryDelays, QList<qint64>{1000});
        const QList<FakeRequest> requests = m_upstream->requests();
        QCOMPARE(requests.size(), 2);
        QVERIFY2(
            requests.at(1).receivedMs - requests.at(0).receivedMs >= 950,
            qPrintable(QString::number(requests.at(1).receivedMs - requests.at(0).receivedMs)));
        QCOMPARE(requests.at(1).body, requests.at(0).body);
    }

    void shouldCapRetryAfterAtTheMaximumDelay()
    {
        m_upstream->enqueue(FakeResponse::error(503, u"Busy."_s, "3600"));
        m_upstream->enqueue(FakeResponse::chatStream({u"ok"_s}));
        ProviderConfig config = configFor(*m_upstream);
        config.maxRetryDelay = 200ms;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QVERIFY(!outcome.result.error);
        QCOMPARE(outcome.retryDelays, QList<qint64>{200});
    }

    void shouldGiveUpAfterTheLastRetry()
    {
        for (int i = 0; i < 3; ++i)
            m_upstream->enqueue(FakeResponse::error(500, u"The server had an error."_s));
        m_upstream->enqueue(FakeResponse::chatStream({u"too late"_s}));
        ProviderConfig config = configFor(*m_upstream);
        config.maxRetries = 2;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QCOMPARE(outcome.finishedCount, 1);
        QVERIFY(outcome.result.error);
        QCOMPARE(outcome.result.error->code, ErrorCode::Upstream);
        QCOMPARE(outcome.result.error->httpStatus, 500);
        QCOMPARE(outcome.result.error->message, u"The server had an error."_s);
        QCOMPARE(outcome.result.attempts, 3);
        QCOMPARE(outcome.retryDelays.size(), 2);
        QCOMPARE(m_upstream->requestCount(), 3);
        QCOMPARE(m_upstream->queued(), 1);
    }

    void shouldReportRateLimitWhenRetriesRunOut()
    {
        m_upstream->enqueue(FakeResponse::error(429, u"Rate limit reached."_s));
        ProviderConfig config = configFor(*m_upstream);
        config.maxRetries = 0;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QCOMPARE(outcome.result.error->code, ErrorCode::RateLimited);
        QCOMPARE(outcome.result.error->httpStatus, 429);
        QCOMPARE(outcome.result.error->message, u"Rate limit reached."_s);
    }

    void shouldNotRetryClientErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<ErrorCode>("code");
        QTest::newRow("401") << 401 << ErrorCode::Unauthorized;
        QTest::newRow("403") << 403 << ErrorCode::Unauthorized;
        QTest::newRow("400") << 400 << ErrorCode::Upstream;
        QTest::newRow("404") << 404 << ErrorCode::Upstream;
    }

    void shouldNotRetryClientErrors()
    {
        QFETCH(int, status);
        QFETCH(ErrorCode, code);
        m_upstream->enqueue(FakeResponse::error(status, u"Provider says no."_s));
        m_upstream->enqueue(FakeResponse::chatStream({u"never"_s}));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.result.error);
        QCOMPARE(outcome.result.error->code, code);
        QCOMPARE(outcome.result.error->httpStatus, status);
        QCOMPARE(outcome.result.error->message, u"Provider says no."_s);
        QCOMPARE(outcome.result.attempts, 1);
        QCOMPARE(m_upstream->requestCount(), 1);
    }

    void shouldUseTheRawBodyWhenTheErrorIsNotJson()
    {
        m_upstream->enqueue(FakeResponse::text(502, "<html> Bad   gateway </html>", "text/html"));
        ProviderConfig config = configFor(*m_upstream);
        config.maxRetries = 0;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QCOMPARE(outcome.result.error->code, ErrorCode::Upstream);
        QCOMPARE(outcome.result.error->message, u"<html> Bad gateway </html>"_s);
    }

    void shouldTimeOutWaitingForTheFirstByte()
    {
        m_upstream->enqueue(FakeResponse::stallBeforeHeaders());
        ProviderConfig config = configFor(*m_upstream);
        config.firstByteTimeout = 300ms;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QCOMPARE(outcome.result.error->code, ErrorCode::FirstByteTimeout);
        QCOMPARE(outcome.result.attempts, 1); // the provider may be working on it: no retry
        QVERIFY(m_upstream->waitForOpenConnections(0)); // the call was aborted
    }

    void shouldTimeOutWhenHeadersComeButNoBody()
    {
        m_upstream->enqueue(FakeResponse::chatStream({u"x"_s}).stallAfterEvents(0));
        ProviderConfig config = configFor(*m_upstream);
        config.firstByteTimeout = 300ms;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QCOMPARE(outcome.result.error->code, ErrorCode::FirstByteTimeout);
        QCOMPARE(outcome.result.error->httpStatus, 200);
    }

    void shouldTimeOutConnectingAndRetry()
    {
        // TLS to a server that never answers the handshake: the request is never sent, which
        // is what a connect timeout is about (and why it may be retried).
        ProviderConfig config = configFor(*m_upstream);
        QUrl url = config.baseUrl;
        url.setScheme(u"https"_s);
        config.baseUrl = url;
        config.connectTimeout = 300ms;
        config.maxRetries = 1;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QCOMPARE(outcome.result.error->code, ErrorCode::ConnectTimeout);
        QCOMPARE(outcome.result.attempts, 2);
        QCOMPARE(m_upstream->requestCount(), 0);
    }

    void shouldTimeOutWhenTheStreamStalls()
    {
        m_upstream->enqueue(FakeResponse::chatStream({u"Partial"_s, u" answer"_s, u" never ends"_s})
                                .stallAfterEvents(2));
        ProviderConfig config = configFor(*m_upstream);
        config.idleTimeout = 400ms;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QCOMPARE(outcome.result.error->code, ErrorCode::IdleTimeout);
        QCOMPARE(outcome.result.content, u"Partial answer"_s);
        QVERIFY(!outcome.result.complete);
        QCOMPARE(outcome.result.attempts, 1);
        QVERIFY(m_upstream->waitForOpenConnections(0));
    }

    void shouldNotCountKeepAliveCommentsAsActivity()
    {
        m_upstream->enqueue(FakeResponse::keepAliveOnly(50ms));
        ProviderConfig config = configFor(*m_upstream);
        config.idleTimeout = 500ms;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QCOMPARE(outcome.result.error->code, ErrorCode::IdleTimeout);
        QVERIFY(outcome.result.content.isEmpty());
    }

    void shouldNotCountKeepAliveCommentsAfterTextAsActivity()
    {
        QByteArray stream = FakeResponse::chatChunkEvent(u"Started"_s);
        for (int i = 0; i < 200; ++i)
            stream += ": OPENROUTER PROCESSING\n\n";
        m_upstream->enqueue(FakeResponse::sse(stream).withEventInterval(50ms));
        ProviderConfig config = configFor(*m_upstream);
        config.idleTimeout = 500ms;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QCOMPARE(outcome.result.error->code, ErrorCode::IdleTimeout);
        QCOMPARE(outcome.result.content, u"Started"_s);
    }

    void shouldReportAnErrorWhoseBodyStalls()
    {
        // A 502 whose chunked body stops half-way and never ends.
        FakeResponse stalling = FakeResponse::sse("{\"error\":\n\n{\"message\":\"half\"}}");
        stalling.status = 502;
        stalling.contentType = "application/json";
        stalling.stallAtEvent = 1;
        m_upstream->enqueue(stalling);
        ProviderConfig config = configFor(*m_upstream);
        config.idleTimeout = 400ms;
        config.maxRetries = 0;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QCOMPARE(outcome.result.error->code, ErrorCode::Upstream);
        QCOMPARE(outcome.result.error->httpStatus, 502);
    }

    void shouldStopAtTheTotalTimeout()
    {
        m_upstream->enqueue(FakeResponse::tokens(1000, 100ms)); // 100 s of tokens
        ProviderConfig config = configFor(*m_upstream);
        config.totalTimeout = 2s;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QCOMPARE(outcome.result.error->code, ErrorCode::TotalTimeout);
        QVERIFY(!outcome.result.content.isEmpty());
        QCOMPARE(outcome.result.content, outcome.streamed());
    }

    void shouldKeepThePartialAnswerWhenTheConnectionDrops_data()
    {
        QTest::addColumn<FakeResponse>("response");
        QTest::addColumn<QString>("partial");
        const QStringList pieces{u"Hello"_s, u" wor"_s, u"ld"_s};
        QTest::newRow("after two events")
            << FakeResponse::chatStream(pieces).dropAfterEvents(2) << u"Hello wor"_s;
        const qint64 firstEvent = FakeResponse::chatChunkEvent(u"Hello"_s).size();
        QTest::newRow("inside the second event")
            << FakeResponse::chatStream(pieces).dropAfterBytes(firstEvent + 20) << u"Hello"_s;
    }

    void shouldKeepThePartialAnswerWhenTheConnectionDrops()
    {
        QFETCH(FakeResponse, response);
        QFETCH(QString, partial);
        m_upstream->enqueue(response);
        m_upstream->enqueue(FakeResponse::chatStream({u"a retry"_s}));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QVERIFY(outcome.result.error);
        QCOMPARE(outcome.result.error->code, ErrorCode::Network);
        QCOMPARE(outcome.result.content, partial);
        QVERIFY(!outcome.result.complete);
        // Text was shown: a retry would replace it with a different answer.
        QCOMPARE(outcome.result.attempts, 1);
        QCOMPARE(m_upstream->requestCount(), 1);
    }

    void shouldRetryADropBeforeAnyText()
    {
        m_upstream->enqueue(FakeResponse::chatStream({u"lost"_s}).dropAfterEvents(0));
        m_upstream->enqueue(FakeResponse::chatStream({u"lost"_s}).dropAfterBytes(10));
        m_upstream->enqueue(FakeResponse::chatStream({u"second"_s, u" try"_s}));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello());
        QVERIFY(!outcome.result.error);
        QCOMPARE(outcome.result.content, u"second try"_s);
        QCOMPARE(outcome.result.attempts, 3);
    }

    void shouldKeepThePartialAnswerOnCancel()
    {
        m_upstream->enqueue(FakeResponse::tokens(10000, 10ms));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello(), [](ChatReply *reply, const Outcome &so) {
            if (so.deltas.size() == 3) {
                reply->cancel();
                reply->cancel(); // harmless twice
            }
        });
        QVERIFY(outcome.finishedInTime);
        QCOMPARE(outcome.finishedCount, 1);
        QCOMPARE(outcome.result.error->code, ErrorCode::Cancelled);
        QCOMPARE(outcome.deltas.size(), 3);
        QCOMPARE(outcome.result.content, outcome.streamed());
        QVERIFY(!outcome.result.complete);
        QVERIFY(m_upstream->waitForOpenConnections(0)); // the upstream call was really stopped
    }

    void shouldFinishOnceWhenCancelledBeforeAnything()
    {
        m_upstream->enqueue(FakeResponse::stallBeforeHeaders());
        Provider provider(configFor(*m_upstream));
        std::unique_ptr<ChatReply> reply(provider.send(hello()));
        QSignalSpy finished(reply.get(), &ChatReply::finished);
        QVERIFY(m_upstream->waitForRequests(1));
        reply->cancel();
        QVERIFY(reply->isFinished());
        QCOMPARE(finished.count(), 0); // queued, never from inside cancel()
        QVERIFY(finished.wait(5000));
        QTest::qWait(50);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(reply->result().error->code, ErrorCode::Cancelled);
    }

    void shouldNotFollowRedirects()
    {
        FakeUpstream elsewhere;
        QVERIFY(elsewhere.listen());
        m_upstream->enqueue(
            FakeResponse::redirect(elsewhere.baseUrl().toEncoded() + "/chat/completions", 302));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello());
        QCOMPARE(outcome.result.error->code, ErrorCode::Upstream);
        QCOMPARE(outcome.result.error->httpStatus, 302);
        QCOMPARE(outcome.result.attempts, 1);
        QCOMPARE(elsewhere.requestCount(), 0);
    }

    void shouldReportAnErrorObjectInsideTheStream()
    {
        m_upstream->enqueue(FakeResponse::sseFixture(u"error_inside_stream.sse"_s));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello());
        QCOMPARE(outcome.result.error->code, ErrorCode::Upstream);
        QCOMPARE(outcome.result.error->message,
                 u"The server had an error while processing your request."_s);
        QCOMPARE(outcome.result.content, u"Partial ans"_s);
    }

    void shouldReportAnErrorObjectWithStatus200()
    {
        m_upstream->enqueue(FakeResponse::error(200, u"Model is overloaded."_s));
        Provider provider(configFor(*m_upstream));
        const Outcome outcome = run(provider, hello());
        QCOMPARE(outcome.result.error->code, ErrorCode::Upstream);
        QCOMPARE(outcome.result.error->message, u"Model is overloaded."_s);
    }

    void shouldReportConnectionRefused()
    {
        ProviderConfig config = configFor(*m_upstream);
        QUrl url = config.baseUrl;
        url.setPort(closedPort());
        config.baseUrl = url;
        config.maxRetries = 1;
        Provider provider(config);
        const Outcome outcome = run(provider, hello());
        QVERIFY(outcome.finishedInTime);
        QCOMPARE(outcome.result.error->code, ErrorCode::Network);
        QCOMPARE(outcome.result.error->httpStatus, 0);
        QCOMPARE(outcome.result.attempts, 2);
    }

    void shouldRefuseARequestItCannotSend_data()
    {
        QTest::addColumn<QUrl>("baseUrl");
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("withMessages");
        QTest::newRow("no model") << QUrl(u"http://127.0.0.1:1/v1"_s) << QString() << true;
        QTest::newRow("no messages") << QUrl(u"http://127.0.0.1:1/v1"_s) << u"m"_s << false;
        QTest::newRow("ftp base URL") << QUrl(u"ftp://example.com/v1"_s) << u"m"_s << true;
        QTest::newRow("empty base URL") << QUrl() << u"m"_s << true;
    }

    void shouldRefuseARequestItCannotSend()
    {
        QFETCH(QUrl, baseUrl);
        QFETCH(QString, model);
        QFETCH(bool, withMessages);
        ProviderConfig config;
        config.baseUrl = baseUrl;
        config.defaultModel = model;
        Provider provider(config);
        ChatRequest request = hello();
        if (!withMessages)
            request.messages.clear();
        std::unique_ptr<ChatReply> reply(provider.send(request));
        QSignalSpy finished(reply.get(), &ChatReply::finished);
        QCOMPARE(finished.count(), 0); // never from inside send()
        QVERIFY(finished.wait(5000));
        QCOMPARE(reply->result().error->code, ErrorCode::InvalidInput);
        QCOMPARE(reply->result().attempts, 0);
    }

    void shouldFailCallsWhenTheSharedManagerGoesAway()
    {
        m_upstream->enqueue(FakeResponse::stallBeforeHeaders());
        auto *nam = new QNetworkAccessManager;
        Provider provider(configFor(*m_upstream), nam);
        std::unique_ptr<ChatReply> reply(provider.send(hello()));
        QSignalSpy finished(reply.get(), &ChatReply::finished);
        QVERIFY(m_upstream->waitForRequests(1));
        delete nam;
        QVERIFY(finished.wait(5000));
        QCOMPARE(reply->result().error->code, ErrorCode::Network);
    }

    void shouldShareOneManagerBetweenProviders()
    {
        QNetworkAccessManager nam;
        Provider first(configFor(*m_upstream), &nam);
        Provider second(configFor(*m_upstream), &nam);
        QVERIFY(!run(first, hello()).result.error);
        QVERIFY(!run(second, hello()).result.error);
        QCOMPARE(m_upstream->requestCount(), 2);
    }

    void shouldNeverLogTheApiKey()
    {
        static QStringList messages;
        messages.clear();
        const QtMessageHandler previous
            = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &,
                                        const QString &message) { messages.append(message); });
        QLoggingCategory::setFilterRules(u"confab.*.debug=true"_s);
        m_upstream->enqueue(FakeResponse::error(401, u"Incorrect API key provided."_s));
        m_upstream->enqueue(FakeResponse::error(500, u"oops"_s));
        Provider provider(configFor(*m_upstream));
        run(provider, hello());
        run(provider, hello());
        std::unique_ptr<ModelsReply> models(provider.listModels());
        QSignalSpy finished(models.get(), &ModelsReply::finished);
        QVERIFY(finished.wait(20000));
        QLoggingCategory::setFilterRules({});
        qInstallMessageHandler(previous);
        QVERIFY(messages.size() >= 4);
        for (const QString &message : std::as_const(messages))
            QVERIFY2(!message.contains(u"sk-test"_s), qPrintable(message));
    }

    void shouldListModelsSorted()
    {
        m_upstream->setModels({u"zeta"_s, u"alpha"_s, u"mid"_s, u"alpha"_s});
        Provider provider(configFor(*m_upstream));
        std::unique_ptr<ModelsReply> reply(provider.listModels());
        QSignalSpy finished(reply.get(), &ModelsReply::finished);
        QVERIFY(finished.wait(20000));
        QVERIFY(!reply->error());
        QCOMPARE(reply->models(), (QStringList{u"alpha"_s, u"mid"_s, u"zeta"_s}));
        const FakeRequest sent = m_upstream->lastRequest();
        QCOMPARE(sent.method, QByteArray("GET"));
        QCOMPARE(sent.path(), QByteArray("/v1/models"));
        QCOMPARE(sent.header("Authorization"), QByteArray("Bearer sk-test-0123456789"));
    }

    void shouldReportModelListErrors()
    {
        m_upstream->enqueue(FakeResponse::error(401, u"Invalid key."_s),
                            FakeUpstream::Endpoint::Models);
        Provider provider(configFor(*m_upstream));
        std::unique_ptr<ModelsReply> reply(provider.listModels());
        QSignalSpy finished(reply.get(), &ModelsReply::finished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(reply->error()->code, ErrorCode::Unauthorized);
        QCOMPARE(reply->error()->message, u"Invalid key."_s);
        QVERIFY(reply->models().isEmpty());
    }

    void shouldTimeOutListingModels()
    {
        m_upstream->enqueue(FakeResponse::stallBeforeHeaders(), FakeUpstream::Endpoint::Models);
        ProviderConfig config = configFor(*m_upstream);
        config.firstByteTimeout = 300ms;
        Provider provider(config);
        std::unique_ptr<ModelsReply> reply(provider.listModels());
        QSignalSpy finished(reply.get(), &ModelsReply::finished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(reply->error()->code, ErrorCode::FirstByteTimeout);
        QCOMPARE(finished.count(), 1);
    }

    void shouldReadRetryAfter_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("expectedMs"); // -1: not a valid value
        QTest::newRow("seconds") << QByteArray("3") << qint64(3000);
        QTest::newRow("fraction") << QByteArray("0.5") << qint64(500);
        QTest::newRow("IMF-fixdate")
            << QByteArray("Wed, 06 Nov 2024 08:49:47 GMT") << qint64(10000);
        QTest::newRow("RFC 850") << QByteArray("Wednesday, 06-Nov-24 08:49:57 GMT")
                                 << qint64(20000);
        QTest::newRow("asctime") << QByteArray("Wed Nov  6 08:50:07 2024") << qint64(30000);
        QTest::newRow("past date") << QByteArray("Wed, 06 Nov 2024 08:00:00 GMT") << qint64(0);
        QTest::newRow("negative") << QByteArray("-1") << qint64(-1);
        QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
        QTest::newRow("empty") << QByteArray() << qint64(-1);
    }

    void shouldReadRetryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, expectedMs);
        const QDateTime now(QDate(2024, 11, 6), QTime(8, 49, 37), Qt::UTC);
        const auto delay = upstream::parseRetryAfter(value, now);
        QCOMPARE(delay ? delay->count() : -1, expectedMs);
    }

    void shouldExtractTheProvidersMessage_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("OpenAI") << QByteArray(R"({"error":{"message":"Bad key","type":"x"}})")
                                << u"Bad key"_s;
        QTest::newRow("string error") << QByteArray(R"({"error":"quota"})") << u"quota"_s;
        QTest::newRow("message") << QByteArray(R"({"message":"nope"})") << u"nope"_s;
        QTest::newRow("detail") << QByteArray(R"({"detail":"Not Found"})") << u"Not Found"_s;
        QTest::newRow("text") << QByteArray("upstream\n connect error")
                              << u"upstream connect error"_s;
        QTest::newRow("long text") << QByteArray(2000, 'x') << QString(499, u'x') + QChar(0x2026);
    }

    void shouldExtractTheProvidersMessage()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        QCOMPARE(upstream::errorMessageFromBody(body), message);
    }

    void shouldJoinEndpointsToTheBaseUrl_data()
    {
        QTest::addColumn<QUrl>("base");
        QTest::addColumn<QUrl>("expected");
        QTest::newRow("plain") << QUrl(u"https://api.openai.com/v1"_s)
                               << QUrl(u"https://api.openai.com/v1/chat/completions"_s);
        QTest::newRow("trailing slash") << QUrl(u"https://openrouter.ai/api/v1/"_s)
                                        << QUrl(u"https://openrouter.ai/api/v1/chat/completions"_s);
        QTest::newRow("root") << QUrl(u"http://localhost:8080"_s)
                              << QUrl(u"http://localhost:8080/chat/completions"_s);
    }

    void shouldJoinEndpointsToTheBaseUrl()
    {
        QFETCH(QUrl, base);
        QFETCH(QUrl, expected);
        QCOMPARE(Provider::endpointUrl(base, u"chat/completions"), expected);
    }

    void shouldKnowTheProviderPresets()
    {
        const QList<ProviderPreset> presets = ProviderPresets::all();
        QStringList ids;
        for (const ProviderPreset &preset : presets)
            ids.append(preset.id);
        QCOMPARE(ids,
                 (QStringList{u"openai"_s, u"openrouter"_s, u"deepseek"_s, u"dashscope"_s,
                              u"ollama"_s, u"custom"_s}));
        const auto openai = ProviderPresets::find(u"openai");
        QVERIFY(openai);
        QCOMPARE(openai->baseUrl, QUrl(u"https://api.openai.com/v1"_s));
        QCOMPARE(openai->defaultModel, u"gpt-4o-mini"_s);
        QVERIFY(openai->needsKey);
        QCOMPARE(ProviderPresets::find(u"deepseek")->defaultModel, u"deepseek-chat"_s);
        QCOMPARE(ProviderPresets::find(u"dashscope")->baseUrl,
                 QUrl(u"https://dashscope.aliyuncs.com/compatible-mode/v1"_s));
        QVERIFY(!ProviderPresets::find(u"ollama")->needsKey);
        QVERIFY(!ProviderPresets::find(u"nonexistent"));
    }

private:
    std::unique_ptr<FakeUpstream> m_upstream;
};

QTEST_GUILESS_MAIN(ProviderTest)
#include "tst_provider.moc"
