#include "http/httpserver.h"
#include "rawhttpclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;
using confab::test::RawHttpClient;
using confab::test::RawResponse;

namespace {

QString errorCode(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object()[u"error"_s][u"code"_s].toString();
}

QByteArray get(const QByteArray &target)
{
    return "GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

QByteArray upgradeRequest(const QByteArray &extraHeaders = {})
{
    return "GET /api/v1/ws HTTP/1.1\r\nHost: test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
           "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + extraHeaders + "\r\n";
}

} // namespace

class TestConnectionGuard : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_handled = 0;
        m_router = std::make_unique<Router>();
        m_router->add("GET", u"/ok", [this](const HttpExchangePtr &exchange) {
            ++m_handled;
            exchange->reply(200, QJsonObject{{u"ok"_s, true}});
        });
        m_router->add("POST", u"/upload", [this](const HttpExchangePtr &exchange) {
            ++m_handled;
            exchange->reply(200, QJsonObject{{u"size"_s, exchange->body().size()}});
        });
        m_router->add("GET", u"/late", [this](const HttpExchangePtr &exchange) {
            ++m_handled;
            QTimer::singleShot(200, [exchange] { exchange->reply(200, QJsonObject{}); });
        });
        m_router->add("GET", u"/stream", [this](const HttpExchangePtr &exchange) {
            ++m_handled;
            ResponseStream *stream = exchange->startStream(200, {});
            auto *timer = new QTimer(stream);
            auto ticks = std::make_shared<int>(0);
            // The timer's slot holds the exchange that owns the timer: deleting the timer when
            // done breaks that cycle.
            connect(timer, &QTimer::timeout, stream, [exchange, stream, timer, ticks] {
                if (stream->write("tick\n") && ++*ticks < 12)
                    return;
                stream->finish();
                timer->deleteLater();
            });
            timer->start(50);
        });
        m_server = std::make_unique<HttpServer>(*m_router);
        const Result<quint16> port = m_server->listen(QHostAddress::LocalHost, 0);
        QVERIFY2(port.ok(), qPrintable(port.error().toString()));
        m_port = *port;
        m_rejected = std::make_unique<QSignalSpy>(m_server->guard(), &ConnectionGuard::rejected);
    }

    void cleanup()
    {
        m_rejected.reset();
        m_server.reset();
        m_router.reset();
    }

    void shouldRefuseALargeBodyBeforeItIsSent()
    {
        RawHttpClient client(m_port);
        client.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: "
                    + QByteArray::number(2 * 1024 * 1024) + "\r\n\r\n");
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 413);
        QCOMPARE(errorCode(*response), u"payload_too_large"_s);
        QCOMPARE(response->header("connection"), "close");
        QVERIFY(client.waitForClosed());
        QCOMPARE(m_handled, 0);
        QCOMPARE(m_rejected->size(), 1);
        QCOMPARE(m_rejected->first().at(0).toInt(), 413);
    }

    void shouldAcceptABodyWithinTheLimit()
    {
        RawHttpClient client(m_port);
        const QByteArray body(1024 * 1024, 'x');
        client.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(QJsonDocument::fromJson(response->body)[u"size"_s].toInt(), body.size());
    }

    void shouldAnswerExpectContinue()
    {
        RawHttpClient client(m_port);
        client.send("POST /upload HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\n"
                    "Content-Length: 5\r\n\r\n");
        std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 100);
        client.send("hello");
        response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
    }

    void shouldRefuseALargeChunkedBody()
    {
        RawHttpClient client(m_port);
        // The second chunk's size line takes the total past 1 MiB: refused before its data.
        const QByteArray chunk(600 * 1024, 'x');
        const QByteArray size = QByteArray::number(chunk.size(), 16);
        client.send("POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + size + "\r\n" + chunk + "\r\n" + size + "\r\n");
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 413);
        QCOMPARE(errorCode(*response), u"payload_too_large"_s);
        QVERIFY(client.waitForClosed());
        QCOMPARE(m_handled, 0);
    }

    void shouldRefuseOversizeHeads_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("40 KiB header") << QByteArray(
            "GET /ok HTTP/1.1\r\nHost: test\r\nX-Big: " + QByteArray(40 * 1024, 'a') + "\r\n\r\n");
        QByteArray fields = "GET /ok HTTP/1.1\r\nHost: test\r\n";
        for (int i = 0; i < 100; ++i)
            fields += "X-" + QByteArray::number(i) + ": v\r\n";
        QTest::newRow("101 fields") << QByteArray(fields + "\r\n");
    }

    void shouldRefuseOversizeHeads()
    {
        QFETCH(QByteArray, request);
        RawHttpClient client(m_port);
        client.send(request);
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 431);
        QCOMPARE(errorCode(*response), u"headers_too_large"_s);
        QVERIFY(client.waitForClosed());
        QCOMPARE(m_handled, 0);
    }

    void shouldRefuseAmbiguousFramingWithOneAnswer_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("CL+TE") << "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 6\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /ok HTTP/1.1\r\n"
                                  "Host: test\r\n\r\n"_ba;
        QTest::newRow("duplicate CL")
            << "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n"
               "Content-Length: 27\r\n\r\nGET /ok HTTP/1.1\r\n"
               "Host: test\r\n\r\n"_ba;
    }

    void shouldRefuseAmbiguousFramingWithOneAnswer()
    {
        QFETCH(QByteArray, request);
        RawHttpClient client(m_port);
        client.send(request);
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 400);
        QCOMPARE(errorCode(*response), u"invalid_request"_s);
        QVERIFY(client.waitForClosed());
        // Nothing smuggled through: no second answer, no handler ran.
        QCOMPARE(client.unread(), QByteArray());
        QCOMPARE(m_handled, 0);
    }

    void shouldRefusePipelinedRequests()
    {
        RawHttpClient client(m_port);
        client.send(get("/ok") + get("/ok"));
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 400);
        QVERIFY(client.waitForClosed());
        QCOMPARE(client.unread(), QByteArray());
        QCOMPARE(m_handled, 0);
    }

    void shouldCloseAfterAnswerWhenARequestComesEarly()
    {
        RawHttpClient client(m_port);
        client.send(get("/late"));
        QTRY_COMPARE(m_handled, 1);
        client.send(get("/ok"));
        // Only the first request is answered, then the connection closes.
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->header("connection"), "close");
        QVERIFY(client.waitForClosed());
        QCOMPARE(client.unread(), QByteArray());
        QCOMPARE(m_handled, 1);
        QCOMPARE(m_rejected->size(), 1);
    }

    void shouldCloseAnUnfinishedHeadAtTheDeadline()
    {
        m_server->guard()->setTimeouts(300ms, 5s);
        RawHttpClient client(m_port);
        QElapsedTimer elapsed;
        elapsed.start();
        client.send("GET /ok HTTP/1.1\r\nHost: test\r\n");
        QVERIFY(client.waitForClosed(3000));
        QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
        QCOMPARE(m_rejected->size(), 1);
        QCOMPARE(m_rejected->first().at(0).toInt(), 408);
    }

    void shouldCloseASilentConnectionAtTheDeadline()
    {
        m_server->guard()->setTimeouts(300ms, 5s);
        RawHttpClient client(m_port);
        QElapsedTimer elapsed;
        elapsed.start();
        QVERIFY(client.waitForClosed(3000));
        QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
        QCOMPARE(m_rejected->size(), 0);
    }

    void shouldCloseASlowloris()
    {
        m_server->guard()->setTimeouts(500ms, 5s);
        RawHttpClient client(m_port);
        const QByteArray request
            = "GET /ok HTTP/1.1\r\nHost: test\r\nX-Slow: " + QByteArray(100, 'a') + "\r\n\r\n";
        QElapsedTimer elapsed;
        elapsed.start();
        qsizetype sent = 0;
        QTimer drip;
        connect(&drip, &QTimer::timeout, &drip, [&] {
            if (client.isConnected() && sent < request.size())
                client.send(request.mid(sent++, 1));
        });
        drip.start(100);
        QVERIFY(client.waitForClosed(3000));
        // Bytes kept coming, yet the head was due at the deadline.
        QVERIFY2(elapsed.elapsed() >= 450 && elapsed.elapsed() < 2000,
                 qPrintable(QString::number(elapsed.elapsed())));
        QVERIFY(sent < request.size());
        QCOMPARE(m_handled, 0);
    }

    void shouldCloseIdleKeepAliveButNotBusyStreams()
    {
        m_server->guard()->setTimeouts(2s, 300ms);
        RawHttpClient idle(m_port);
        idle.send(get("/ok"));
        QCOMPARE(idle.readResponse()->status, 200);

        RawHttpClient streaming(m_port);
        streaming.send(get("/stream"));

        QElapsedTimer elapsed;
        elapsed.start();
        QVERIFY(idle.waitForClosed(3000));
        QVERIFY(elapsed.elapsed() >= 200);
        // The stream runs 600 ms, twice the idle timeout, and is not cut.
        const std::optional<RawResponse> response = streaming.readResponse();
        QVERIFY(response);
        QCOMPARE(response->chunks.size(), 12);
        // Once it is done the connection is idle like any other.
        QVERIFY(streaming.waitForClosed(3000));
        QCOMPARE(m_rejected->size(), 0);
    }

    void shouldSurviveManyConnectionsClosingAtOnce()
    {
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < 300; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>(m_port));
            if (i % 3 == 0)
                clients.back()->send("GET /ok HTTP/1.1\r\n");
        }
        QTRY_COMPARE(m_server->guard()->watchedConnections(), 300);
        // All deadlines pass at once (they are read at each check); some clients leave by
        // themselves while the guard closes the rest.
        m_server->guard()->setTimeouts(100ms, 100ms);
        QTest::qWait(50);
        for (std::size_t i = 0; i < clients.size(); i += 2)
            clients[i].reset();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->guard()->watchedConnections(), 0, 5000);
        for (const auto &client : clients) {
            if (client)
                QVERIFY(client->waitForClosed(1000));
        }
        // The ones with half a head count as too slow, the silent ones do not.
        QVERIFY(m_rejected->size() <= 100);
        for (const QList<QVariant> &rejection : std::as_const(*m_rejected))
            QCOMPARE(rejection.at(0).toInt(), 408);
    }

    void shouldRefuseUnauthorizedUpgrades()
    {
        QSignalSpy connected(m_server.get(), &HttpServer::webSocketConnected);
        m_server->guard()->setUpgradeAuthorizer([](const HttpRequestHead &head) {
            return head.header("authorization") == "Bearer good" ? std::optional<QVariant>(42)
                                                                 : std::nullopt;
        });
        RawHttpClient client(m_port);
        client.send(upgradeRequest("Authorization: Bearer bad\r\n"));
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 401);
        QCOMPARE(errorCode(*response), u"unauthorized"_s);
        QVERIFY(client.waitForClosed());
        QCOMPARE(connected.size(), 0);

        // No authorizer at all refuses every upgrade.
        m_server->guard()->setUpgradeAuthorizer({});
        QWebSocket webSocket;
        QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/api/v1/ws"_s.arg(m_port)));
        request.setRawHeader("Authorization", "Bearer good");
        webSocket.open(request);
        QTRY_COMPARE(webSocket.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(connected.size(), 0);
    }

    void shouldHandOutAuthorizedWebSockets()
    {
        m_server->guard()->setUpgradeAuthorizer([](const HttpRequestHead &head) {
            return head.header("authorization") == "Bearer good"
                ? std::optional<QVariant>(u"alice"_s)
                : std::nullopt;
        });
        std::unique_ptr<QWebSocket> serverSide;
        QVariant identity;
        connect(m_server.get(), &HttpServer::webSocketConnected, this,
                [&](QWebSocket *socket, const QVariant &who) {
                    serverSide.reset(socket);
                    identity = who;
                    connect(socket, &QWebSocket::textMessageReceived, socket,
                            [socket](const QString &text) { socket->sendTextMessage(text); });
                });

        QWebSocket client;
        QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/api/v1/ws"_s.arg(m_port)));
        request.setRawHeader("Authorization", "Bearer good");
        QSignalSpy echoed(&client, &QWebSocket::textMessageReceived);
        client.open(request);
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        QTRY_VERIFY(serverSide);
        QCOMPARE(identity.toString(), u"alice"_s);
        QCOMPARE(m_server->guard()->watchedConnections(), 0);
        QCOMPARE(m_server->guard()->takeUpgradeIdentity(serverSide->peerAddress(),
                                                        serverSide->peerPort()),
                 std::nullopt);

        // The guard's deadlines no longer apply: WebSocket frames are not HTTP.
        m_server->guard()->setTimeouts(100ms, 100ms);
        QTest::qWait(300);
        client.sendTextMessage(u"hello"_s);
        QTRY_COMPARE(echoed.size(), 1);
        QCOMPARE(echoed.first().first().toString(), u"hello"_s);

        // The server side outlives the HttpServer that handed it out.
        m_server.reset();
        serverSide->sendTextMessage(u"still here"_s);
        QTRY_COMPARE(echoed.size(), 2);
    }

    void shouldCloseWebSocketsSendingTooMuch()
    {
        m_server->guard()->setUpgradeAuthorizer(
            [](const HttpRequestHead &) { return std::optional<QVariant>(1); });
        std::unique_ptr<QWebSocket> serverSide;
        connect(m_server.get(), &HttpServer::webSocketConnected, this,
                [&](QWebSocket *socket, const QVariant &) { serverSide.reset(socket); });

        QWebSocket client;
        client.open(QUrl(u"ws://127.0.0.1:%1/api/v1/ws"_s.arg(m_port)));
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        QTRY_VERIFY(serverSide);
        QSignalSpy received(serverSide.get(), &QWebSocket::binaryMessageReceived);
        client.sendBinaryMessage(QByteArray(2 * 1024 * 1024, 'x'));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 10000);
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
        QCOMPARE(received.size(), 0);
    }

private:
    std::unique_ptr<Router> m_router;
    std::unique_ptr<HttpServer> m_server;
    std::unique_ptr<QSignalSpy> m_rejected;
    quint16 m_port = 0;
    int m_handled = 0;
};

QTEST_GUILESS_MAIN(TestConnectionGuard)

#include "tst_connectionguard.moc"
