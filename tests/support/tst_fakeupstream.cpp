#include "fakeupstream.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;

namespace {

struct Answer
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
};

Answer exchange(QNetworkAccessManager &nam, const QByteArray &method, const QUrl &url,
                const QByteArray &body = {}, const QByteArray &key = {})
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (!key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + key);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.error = reply->error();
    delete reply;
    return answer;
}

QUrl chatUrl(const FakeUpstream &upstream)
{
    QUrl url = upstream.baseUrl();
    url.setPath(url.path() + u"/chat/completions"_s);
    return url;
}

QUrl controlUrl(quint16 port, const QString &path)
{
    return QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path));
}

} // namespace

class FakeUpstreamTest final : public QObject
{
    Q_OBJECT

private slots:
    void shouldReadScenarioSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("valid");
        QTest::newRow("stream") << u"stream"_s << true;
        QTest::newRow("fixture") << u"fixture:openai_basic.sse;stall-after=2"_s << true;
        QTest::newRow("tokens") << u"tokens:100;interval=5;token=x"_s << true;
        QTest::newRow("error") << u"error:429;retry-after=1;message=slow down"_s << true;
        QTest::newRow("all options")
            << u"stream;write-size=3;write-delay=1;header-delay=1;drop-after=1;drop-after-bytes=9"_s
            << true;
        QTest::newRow("unknown kind") << u"teapot"_s << false;
        QTest::newRow("unknown option") << u"stream;colour=red"_s << false;
        QTest::newRow("bad number") << u"stream;interval=soon"_s << false;
        QTest::newRow("bad status") << u"error:42"_s << false;
        QTest::newRow("missing fixture") << u"fixture:nope.sse"_s << false;
    }

    void shouldReadScenarioSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(bool, valid);
        QString error;
        const auto response = FakeResponse::fromSpec(spec, &error);
        QCOMPARE(response.has_value(), valid);
        QCOMPARE(error.isEmpty(), valid);
    }

    void shouldApplySpecOptions()
    {
        const auto response = FakeResponse::fromSpec(u"error:503;retry-after=7;message=busy"_s);
        QVERIFY(response);
        QCOMPARE(response->status, 503);
        QVERIFY(response->headers.contains(std::pair(QByteArray("Retry-After"), QByteArray("7"))));
        QVERIFY(response->body.contains("busy"));
        const auto stalled = FakeResponse::fromSpec(u"fixture:openai_basic.sse;stall-after=2"_s);
        QCOMPARE(stalled->stallAtEvent, 2);
        QCOMPARE(stalled->events.size(), 6);
    }

    void shouldServeQueuedAnswersInOrderThenTheDefault()
    {
        FakeUpstream upstream;
        QVERIFY(upstream.listen());
        upstream.enqueue(FakeResponse::error(500, u"first"_s));
        upstream.enqueue(FakeResponse::completion(u"second"_s));
        QNetworkAccessManager nam;
        QCOMPARE(exchange(nam, "POST", chatUrl(upstream), "{}").status, 500);
        QVERIFY(exchange(nam, "POST", chatUrl(upstream), "{}").body.contains("second"));
        const Answer third = exchange(nam, "POST", chatUrl(upstream), R"({"stream":true})");
        QCOMPARE(third.status, 200);
        QVERIFY(third.body.contains("data: [DONE]"));
        QCOMPARE(upstream.requestCount(), 3);
        // HTTP/1.1 keep-alive: one connection served all three.
        QCOMPARE(upstream.openConnections(), 1);
    }

    void shouldRequireTheApiKeyWhenAsked()
    {
        FakeUpstream upstream;
        QVERIFY(upstream.listen());
        upstream.setRequiredApiKey(u"sk-right"_s);
        upstream.enqueue(FakeResponse::completion(u"kept for the right key"_s));
        QNetworkAccessManager nam;
        QCOMPARE(exchange(nam, "POST", chatUrl(upstream), "{}", "sk-wrong").status, 401);
        QCOMPARE(upstream.queued(), 1);
        const Answer right = exchange(nam, "POST", chatUrl(upstream), "{}", "sk-right");
        QCOMPARE(right.status, 200);
        QVERIFY(right.body.contains("kept for the right key"));
    }

    void shouldAnswerUnknownRoutesWith404()
    {
        FakeUpstream upstream;
        QVERIFY(upstream.listen());
        QNetworkAccessManager nam;
        QUrl url = upstream.baseUrl();
        url.setPath(u"/v1/embeddings"_s);
        QCOMPARE(exchange(nam, "POST", url, "{}").status, 404);
    }

    void shouldBeScriptableThroughItsControlRoutes()
    {
        FakeUpstream upstream;
        QVERIFY(upstream.listen());
        QNetworkAccessManager nam;
        const Answer queued
            = exchange(nam, "POST", controlUrl(upstream.port(), u"/__fake/enqueue"_s),
                       "error:418;message=teapot\ncompletion:hi\n");
        QCOMPARE(queued.status, 200);
        QCOMPARE(upstream.queued(), 2);
        QCOMPARE(exchange(nam, "POST", controlUrl(upstream.port(), u"/__fake/enqueue"_s), "bogus")
                     .status,
                 400);
        QCOMPARE(exchange(nam, "POST", chatUrl(upstream), R"({"model":"m"})").status, 418);

        const Answer recorded
            = exchange(nam, "GET", controlUrl(upstream.port(), u"/__fake/requests"_s));
        const QJsonArray requests = QJsonDocument::fromJson(recorded.body)["requests"_L1].toArray();
        QCOMPARE(requests.size(), 1); // control requests are not recorded
        QCOMPARE(requests.at(0)["json"_L1]["model"_L1].toString(), u"m"_s);
        QCOMPARE(requests.at(0)["target"_L1].toString(), u"/v1/chat/completions"_s);

        QCOMPARE(exchange(nam, "DELETE", controlUrl(upstream.port(), u"/__fake/requests"_s)).status,
                 204);
        QCOMPARE(upstream.requestCount(), 0);
        const Answer stats = exchange(nam, "GET", controlUrl(upstream.port(), u"/__fake/stats"_s));
        QCOMPARE(QJsonDocument::fromJson(stats.body)["queued"_L1].toInt(), 1);
    }

    void shouldCloseTheConnectionWhenDropping()
    {
        FakeUpstream upstream;
        QVERIFY(upstream.listen());
        upstream.enqueue(FakeResponse::chatStream({u"a"_s, u"b"_s}).dropAfterEvents(1));
        QNetworkAccessManager nam;
        const Answer answer = exchange(nam, "POST", chatUrl(upstream), "{}");
        QVERIFY(answer.body.startsWith("data: "));
        QVERIFY(!answer.body.contains("[DONE]"));
        QVERIFY(upstream.waitForOpenConnections(0));
    }

    void shouldRunAsAProcess()
    {
        QProcess process;
        process.start(QStringLiteral(FAKE_UPSTREAM_EXE),
                      {u"--scenario"_s, u"completion:from the process"_s, u"--models"_s, u"b,a"_s,
                       u"--exit-on-stdin-close"_s});
        QVERIFY(process.waitForStarted());
        QVERIFY(process.waitForReadyRead(20000));
        bool ok = false;
        const quint16 port = process.readLine().trimmed().toUShort(&ok);
        QVERIFY(ok && port > 0);

        QNetworkAccessManager nam;
        const Answer chat
            = exchange(nam, "POST", controlUrl(port, u"/v1/chat/completions"_s), "{}");
        QVERIFY(chat.body.contains("from the process"));
        const Answer models = exchange(nam, "GET", controlUrl(port, u"/v1/models"_s));
        QVERIFY(models.body.contains("\"b\""));

        process.closeWriteChannel(); // --exit-on-stdin-close
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 0);
    }

    void shouldRefuseABadScenarioOnTheCommandLine()
    {
        QProcess process;
        process.start(QStringLiteral(FAKE_UPSTREAM_EXE), {u"--scenario"_s, u"teapot"_s});
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(FakeUpstreamTest)
#include "tst_fakeupstream.moc"
