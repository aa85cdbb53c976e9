#include "http/httpserver.h"
#include "rawhttpclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace confab;
using confab::test::RawHttpClient;
using confab::test::RawResponse;

namespace {

QJsonObject json(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

QString errorCode(const RawResponse &response)
{
    return json(response)[u"error"_s][u"code"_s].toString();
}

QByteArray get(const QByteArray &target)
{
    return "GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

QByteArray post(const QByteArray &target, const QByteArray &body)
{
    return "POST " + target + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

struct Observed
{
    QString route;
    int status = 0;
    std::chrono::nanoseconds elapsed{0};
};

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_router = std::make_unique<Router>();
        m_server = std::make_unique<HttpServer>(*m_router);
        m_observed.clear();
        m_server->setObserver(
            [this](const HttpExchange &exchange, int status, std::chrono::nanoseconds elapsed) {
                m_observed.append({exchange.routeName(), status, elapsed});
            });
        const Result<quint16> port = m_server->listen(QHostAddress::LocalHost, 0);
        QVERIFY2(port.ok(), qPrintable(port.error().toString()));
        m_port = *port;
    }

    void cleanup()
    {
        m_server.reset();
        m_router.reset();
    }

    void shouldRouteWithPathParameters()
    {
        const auto echo = [](const HttpExchangePtr &exchange) {
            exchange->reply(200,
                            QJsonObject{{u"route"_s, exchange->routeName()},
                                        {u"id"_s, exchange->pathParam(u"id")},
                                        {u"q"_s, exchange->query().queryItemValue(u"q"_s)}});
        };
        m_router->add("GET", u"/api/v1/conversations/{id}/messages", echo);
        m_router->add("GET", u"/api/v1/users/{id}", echo);
        m_router->add("GET", u"/api/v1/users/me", echo);

        RawHttpClient client(m_port);
        client.send(get("/api/v1/conversations/42/messages?q=hi"));
        std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(json(*response)[u"id"_s].toString(), u"42"_s);
        QCOMPARE(json(*response)[u"q"_s].toString(), u"hi"_s);
        QCOMPARE(json(*response)[u"route"_s].toString(),
                 u"GET /api/v1/conversations/{id}/messages"_s);

        // A literal segment beats a parameter, whatever the order of registration.
        client.send(get("/api/v1/users/me"));
        response = client.readResponse();
        QCOMPARE(json(*response)[u"route"_s].toString(), u"GET /api/v1/users/me"_s);

        // An encoded slash stays inside its segment.
        client.send(get("/api/v1/users/a%2Fb%20c"));
        response = client.readResponse();
        QCOMPARE(json(*response)[u"route"_s].toString(), u"GET /api/v1/users/{id}"_s);
        QCOMPARE(json(*response)[u"id"_s].toString(), u"a/b c"_s);

        // A parameter never matches an empty segment.
        client.send(get("/api/v1/conversations//messages"));
        QCOMPARE(client.readResponse()->status, 404);
    }

    void shouldAnswerUnknownPathsAndMethods()
    {
        m_router->add("GET", u"/api/v1/conversations/{id}",
                      [](const HttpExchangePtr &e) { e->reply(200, QJsonObject{}); });
        m_router->add("PATCH", u"/api/v1/conversations/{id}",
                      [](const HttpExchangePtr &e) { e->reply(200, QJsonObject{}); });

        RawHttpClient client(m_port);
        client.send(get("/api/v1/nothing"));
        std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 404);
        QCOMPARE(errorCode(*response), u"not_found"_s);
        QVERIFY(!json(*response)[u"error"_s][u"message"_s].toString().isEmpty());

        client.send(post("/api/v1/conversations/7", "{}"));
        response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 405);
        QCOMPARE(response->header("allow"), "GET, PATCH");
        QCOMPARE(errorCode(*response), u"method_not_allowed"_s);
        QCOMPARE(m_observed.size(), 2);
        QCOMPARE(m_observed.last().route, QString());
    }

    void shouldRefuseBadJsonBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("object") << R"({"a":[1,{"b":2}]})"_ba << 200;
        QTest::newRow("malformed") << R"({"a":)"_ba << 400;
        QTest::newRow("array") << "[1,2]"_ba << 400;
        QTest::newRow("string") << R"("text")"_ba << 400;
        QTest::newRow("empty") << ""_ba << 400;
        // The object and 63 arrays inside it make 64 levels.
        QTest::newRow("64 deep") << "{\"a\":" + QByteArray(63, '[') + QByteArray(63, ']') + "}"
                                 << 200;
        QTest::newRow("65 deep") << "{\"a\":" + QByteArray(64, '[') + QByteArray(64, ']') + "}"
                                 << 400;
        QTest::newRow("10000 deep")
            << "{\"a\":" + QByteArray(9999, '[') + QByteArray(9999, ']') + "}" << 400;
        QTest::newRow("brackets in strings do not nest")
            << "{\"a\":\"" + QByteArray(100, '[') + "\"}" << 200;
    }

    void shouldRefuseBadJsonBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        m_router->add("POST", u"/echo", [](const HttpExchangePtr &exchange) {
            const Result<QJsonObject> object = exchange->jsonObject();
            if (!object)
                return exchange->replyError(object.error());
            exchange->reply(200, *object);
        });

        RawHttpClient client(m_port);
        client.send(post("/echo", body));
        std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, status);
        if (status == 400)
            QCOMPARE(errorCode(*response), u"invalid_request"_s);

        // The server stays up and the connection usable.
        client.send(post("/echo", R"({"ok":true})"));
        response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(json(*response)[u"ok"_s].toBool(), true);
    }

    void shouldShapeRepliesAndKeepTheConnection()
    {
        m_router->add("GET", u"/object", [](const HttpExchangePtr &exchange) {
            exchange->reply(201, QJsonObject{{u"x"_s, 1}}, {{"X-Extra", "yes"}});
        });
        m_router->add("GET", u"/array", [](const HttpExchangePtr &exchange) {
            exchange->reply(200, QJsonArray{1, 2});
        });
        m_router->add("GET", u"/bytes", [](const HttpExchangePtr &exchange) {
            exchange->replyBytes(200, "# HELP x\n", "text/plain; version=0.0.4");
        });
        m_router->add("GET", u"/error", [](const HttpExchangePtr &exchange) {
            exchange->replyError(429, u"rate_limited"_s, u"Slow down."_s,
                                 QJsonObject{{u"retry_after"_s, 5}}, {{"Retry-After", "5"}});
        });
        m_router->add("GET", u"/empty",
                      [](const HttpExchangePtr &exchange) { exchange->replyBytes(204, {}, {}); });

        RawHttpClient client(m_port);
        client.send(get("/object"));
        std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 201);
        QCOMPARE(response->header("content-type"), "application/json");
        QCOMPARE(response->header("content-length").toInt(), response->body.size());
        QCOMPARE(response->header("connection"), "keep-alive");
        QCOMPARE(response->header("x-extra"), "yes");
        QCOMPARE(json(*response)[u"x"_s].toInt(), 1);

        // Same socket, next request.
        client.send(get("/array"));
        response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(QJsonDocument::fromJson(response->body).array(), (QJsonArray{1, 2}));

        client.send(get("/bytes"));
        response = client.readResponse();
        QCOMPARE(response->header("content-type"), "text/plain; version=0.0.4");
        QCOMPARE(response->body, "# HELP x\n");

        client.send(get("/error"));
        response = client.readResponse();
        QCOMPARE(response->status, 429);
        QCOMPARE(response->header("retry-after"), "5");
        const QJsonObject error = json(*response)[u"error"_s].toObject();
        QCOMPARE(error[u"code"_s].toString(), u"rate_limited"_s);
        QCOMPARE(error[u"message"_s].toString(), u"Slow down."_s);
        QCOMPARE(error[u"retry_after"_s].toInt(), 5);

        client.send(get("/empty"));
        response = client.readResponse();
        QCOMPARE(response->status, 204);
        QVERIFY(response->header("content-length").isEmpty());
        QVERIFY(client.isConnected());
        QCOMPARE(client.unread(), QByteArray());
    }

    void shouldMapErrors_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("passesMessage");
        const auto row = [](ErrorCode code, int status, const QString &name, bool passes) {
            QTest::newRow(qPrintable(errorCodeName(code))) << int(code) << status << name << passes;
        };
        row(ErrorCode::InvalidInput, 400, u"invalid_request"_s, true);
        row(ErrorCode::NotFound, 404, u"not_found"_s, true);
        row(ErrorCode::Conflict, 409, u"conflict"_s, true);
        row(ErrorCode::Unauthorized, 401, u"unauthorized"_s, true);
        row(ErrorCode::Forbidden, 403, u"forbidden"_s, true);
        row(ErrorCode::RateLimited, 429, u"rate_limited"_s, true);
        row(ErrorCode::QuotaExceeded, 429, u"quota_exceeded"_s, true);
        row(ErrorCode::Network, 502, u"upstream_error"_s, true);
        row(ErrorCode::Upstream, 502, u"upstream_error"_s, true);
        row(ErrorCode::Protocol, 502, u"upstream_error"_s, true);
        row(ErrorCode::ConnectTimeout, 504, u"upstream_error"_s, true);
        row(ErrorCode::FirstByteTimeout, 504, u"upstream_error"_s, true);
        row(ErrorCode::IdleTimeout, 504, u"upstream_error"_s, true);
        row(ErrorCode::TotalTimeout, 504, u"upstream_error"_s, true);
        row(ErrorCode::Unavailable, 503, u"unavailable"_s, true);
        row(ErrorCode::DiskFull, 507, u"insufficient_storage"_s, false);
        row(ErrorCode::Internal, 500, u"internal"_s, false);
        row(ErrorCode::Database, 500, u"internal"_s, false);
        row(ErrorCode::SchemaTooNew, 500, u"internal"_s, false);
        row(ErrorCode::Cancelled, 499, u"cancelled"_s, true);
    }

    void shouldMapErrors()
    {
        QFETCH(int, code);
        QFETCH(int, status);
        QFETCH(QString, name);
        QFETCH(bool, passesMessage);
        const QString secret = u"SELECT * FROM users failed at /var/lib/confab"_s;
        m_router->add("GET", u"/fail", [&](const HttpExchangePtr &exchange) {
            exchange->replyError(Error{ErrorCode(code), secret});
        });
        RawHttpClient client(m_port);
        client.send(get("/fail"));
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, status);
        QCOMPARE(errorCode(*response), name);
        const QString message = json(*response)[u"error"_s][u"message"_s].toString();
        QVERIFY(!message.isEmpty());
        QCOMPARE(message == secret, passesMessage);
    }

    void shouldReplyLate()
    {
        m_router->add("GET", u"/late", [](const HttpExchangePtr &exchange) {
            QTimer::singleShot(150, [exchange] {
                exchange->reply(200, QJsonObject{{u"late"_s, true}});
            });
        });
        RawHttpClient client(m_port);
        client.send(get("/late"));
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(json(*response)[u"late"_s].toBool(), true);
        QCOMPARE(m_observed.size(), 1);
        QCOMPARE(m_observed.first().route, u"GET /late"_s);
        QCOMPARE(m_observed.first().status, 200);
        QVERIFY(m_observed.first().elapsed >= std::chrono::milliseconds(140));
    }

    void shouldIgnoreAReplyAfterTheClientLeft()
    {
        HttpExchangePtr kept;
        m_router->add("GET", u"/slow", [&](const HttpExchangePtr &exchange) { kept = exchange; });
        {
            RawHttpClient client(m_port);
            client.send(get("/slow"));
            QTRY_VERIFY(kept);
            QVERIFY(kept->connectionAlive());
        }
        QTRY_VERIFY(!kept->connectionAlive());
        // Let QtHttpServer delete the socket.
        QTest::qWait(50);
        kept->reply(200, QJsonObject{});
        QVERIFY(kept->replied());
        QTest::ignoreMessage(QtWarningMsg, "startStream ignored: GET /slow was already answered");
        ResponseStream *stream = kept->startStream(200, {});
        QVERIFY(!stream->isAlive());
        QVERIFY(!stream->write("data"));
        kept.reset();
        QCOMPARE(m_observed.size(), 1);
        QCOMPARE(m_observed.first().status, 200);

        // The server carries on.
        m_router->add("GET", u"/ok",
                      [](const HttpExchangePtr &e) { e->reply(200, QJsonObject{}); });
        RawHttpClient next(m_port);
        next.send(get("/ok"));
        QCOMPARE(next.readResponse()->status, 200);
    }

    void shouldAnswer500ForADroppedExchange()
    {
        m_router->add("GET", u"/forgotten", [](const HttpExchangePtr &) {});
        RawHttpClient client(m_port);
        client.send(get("/forgotten"));
        QTest::ignoreMessage(QtWarningMsg, "no answer to GET /forgotten - sending 500");
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 500);
        QCOMPARE(errorCode(*response), u"internal"_s);
    }

    void shouldAnswerOnlyOnce()
    {
        m_router->add("GET", u"/twice", [](const HttpExchangePtr &exchange) {
            exchange->reply(200, QJsonObject{{u"n"_s, 1}});
            QTest::ignoreMessage(QtWarningMsg, "reply ignored: GET /twice was already answered");
            exchange->reply(500, QJsonObject{{u"n"_s, 2}});
        });
        RawHttpClient client(m_port);
        client.send(get("/twice"));
        std::optional<RawResponse> response = client.readResponse();
        QCOMPARE(json(*response)[u"n"_s].toInt(), 1);
        client.send(get("/twice"));
        response = client.readResponse();
        QCOMPARE(json(*response)[u"n"_s].toInt(), 1);
        QCOMPARE(client.unread(), QByteArray());
        QCOMPARE(m_observed.size(), 2);
    }

    void shouldCloseWhenTheClientAsks()
    {
        m_router->add("GET", u"/", [](const HttpExchangePtr &e) { e->reply(200, QJsonObject{}); });
        RawHttpClient client(m_port);
        client.send("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->header("connection"), "close");
        QVERIFY(client.waitForClosed());

        RawHttpClient old(m_port);
        old.send("GET / HTTP/1.0\r\n\r\n");
        QCOMPARE(old.readResponse()->header("connection"), "close");
        QVERIFY(old.waitForClosed());
    }

    void shouldAnswerHeadWithoutBody()
    {
        m_router->add("HEAD", u"/", [](const HttpExchangePtr &e) {
            e->reply(200, QJsonObject{{u"x"_s, 1}});
        });
        RawHttpClient client(m_port);
        client.send("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n");
        QTRY_VERIFY(client.unread().endsWith("\r\n\r\n"));
        QVERIFY(client.unread().contains("Content-Length: 7\r\n"));
    }

    void shouldStreamChunksInOrder()
    {
        QPointer<ResponseStream> stream;
        m_router->add("POST", u"/stream", [&](const HttpExchangePtr &exchange) {
            ResponseStream *s = exchange->startStream(
                200, {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}});
            stream = s;
            auto *timer = new QTimer(s);
            auto count = std::make_shared<int>(0);
            // The timer's slot holds the exchange that owns the timer: deleting the timer when
            // done breaks that cycle.
            connect(timer, &QTimer::timeout, s, [exchange, s, timer, count] {
                if (++*count <= 3) {
                    QVERIFY(s->write("event: delta\ndata: " + QByteArray::number(*count) + "\n\n"));
                    return;
                }
                s->finish();
                timer->deleteLater();
                QVERIFY(!s->write("late"));
            });
            timer->start(30);
        });
        m_router->add("GET", u"/after",
                      [](const HttpExchangePtr &e) { e->reply(200, QJsonObject{}); });

        RawHttpClient client(m_port);
        client.send(post("/stream", "{}"));
        const std::optional<RawResponse> response = client.readResponse();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->header("transfer-encoding"), "chunked");
        QCOMPARE(response->header("content-type"), "text/event-stream");
        QCOMPARE(response->chunks,
                 (QList<QByteArray>{"event: delta\ndata: 1\n\n", "event: delta\ndata: 2\n\n",
                                    "event: delta\ndata: 3\n\n"}));
        QTRY_COMPARE(m_observed.size(), 1);
        QCOMPARE(m_observed.first().route, u"POST /stream"_s);

        // The terminating chunk ended the body: the connection serves the next request.
        client.send(get("/after"));
        QCOMPARE(client.readResponse()->status, 200);
    }

    void shouldTellWhenTheClientLeavesMidStream()
    {
        HttpExchangePtr kept;
        ResponseStream *stream = nullptr;
        m_router->add("GET", u"/stream", [&](const HttpExchangePtr &exchange) {
            kept = exchange;
            stream = exchange->startStream(200, {{"Content-Type", "text/event-stream"}});
            QVERIFY(stream->write("data: first\n\n"));
        });
        auto client = std::make_unique<RawHttpClient>(m_port);
        client->send(get("/stream"));
        QTRY_VERIFY(client->unread().contains("data: first"));
        QVERIFY(stream->isAlive());
        QSignalSpy gone(stream, &ResponseStream::clientGone);

        client.reset();
        QTRY_COMPARE(gone.size(), 1);
        QVERIFY(!stream->isAlive());
        QVERIFY(!stream->write("data: more\n\n"));
        stream->finish();
        QCOMPARE(gone.size(), 1);
        QCOMPARE(m_observed.size(), 1);
        kept.reset();
        QCOMPARE(m_observed.size(), 1);
    }

    void shouldCloseAStreamDroppedUnfinished()
    {
        m_router->add("GET", u"/stream", [](const HttpExchangePtr &exchange) {
            exchange->startStream(200, {})->write("part");
        });
        RawHttpClient client(m_port);
        QTest::ignoreMessage(QtWarningMsg, "stream of GET /stream dropped unfinished");
        client.send(get("/stream"));
        // A cut-off body must not look complete: the connection closes, no "0" chunk.
        QVERIFY(client.waitForClosed());
        QVERIFY(client.unread().endsWith("4\r\npart\r\n"));
    }

    void shouldReportAPortInUse()
    {
        Router router;
        HttpServer other(router);
        const Result<quint16> port = other.listen(QHostAddress::LocalHost, m_port);
        QVERIFY(!port.ok());
        QCOMPARE(port.error().code, ErrorCode::Unavailable);
        QVERIFY(port.error().message.contains(QString::number(m_port)));
        QCOMPARE(other.guard(), nullptr);

        QVERIFY(!m_server->listen(QHostAddress::LocalHost, 0).ok());
    }

private:
    std::unique_ptr<Router> m_router;
    std::unique_ptr<HttpServer> m_server;
    QList<Observed> m_observed;
    quint16 m_port = 0;
};

QTEST_GUILESS_MAIN(TestHttpServer)

#include "tst_httpserver.moc"
