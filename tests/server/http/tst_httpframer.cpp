#include "http/httpframer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

using Kind = HttpFrameVerdict::Kind;

namespace {

// One line per event, so a mismatch prints readably: how a stream of bytes was framed.
QStringList frameInPieces(QByteArrayView input, qsizetype piece, HttpLimits limits = {})
{
    HttpFramer framer(limits);
    QStringList events;
    qsizetype offset = 0;
    qsizetype at = 0;
    while (at < input.size()) {
        QByteArrayView slice = input.sliced(at, std::min(piece, input.size() - at));
        at += slice.size();
        while (!slice.isEmpty()) {
            const HttpFrameVerdict verdict = framer.feed(slice);
            if (verdict.head)
                events << u"head %1 %2 cl=%3 chunked=%4"_s
                              .arg(QString::fromLatin1(verdict.head->method),
                                   QString::fromLatin1(verdict.head->target))
                              .arg(verdict.head->contentLength)
                              .arg(verdict.head->chunked);
            if (verdict.kind == Kind::Reject) {
                events << u"reject %1 %2"_s.arg(verdict.status).arg(verdict.reason);
                return events;
            }
            offset += verdict.consumed;
            slice = slice.sliced(verdict.consumed);
            if (verdict.kind == Kind::RequestComplete) {
                events << u"complete at %1"_s.arg(offset);
                framer.reset();
            }
        }
    }
    return events;
}

HttpFrameVerdict feedWhole(QByteArrayView input, HttpLimits limits = {})
{
    HttpFramer framer(limits);
    return framer.feed(input);
}

QByteArray headWithFields(int fields)
{
    QByteArray head = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (int i = 1; i < fields; ++i)
        head += "X-Field-" + QByteArray::number(i) + ": v\r\n";
    return head + "\r\n";
}

} // namespace

class TestHttpFramer : public QObject
{
    Q_OBJECT

private slots:
    void shouldFrameARequestWithoutBody()
    {
        const QByteArray request = "GET /api/v1/models?x=1 HTTP/1.1\r\nHost: example\r\n"
                                   "Accept:  application/json \r\n\r\n";
        const HttpFrameVerdict verdict = feedWhole(request);
        QCOMPARE(verdict.kind, Kind::RequestComplete);
        QCOMPARE(verdict.consumed, request.size());
        QVERIFY(verdict.head);
        QCOMPARE(verdict.head->method, "GET");
        QCOMPARE(verdict.head->target, "/api/v1/models?x=1");
        QCOMPARE(verdict.head->version, "HTTP/1.1");
        QCOMPARE(verdict.head->headers.size(), 2);
        // Values lose their surrounding whitespace; lookups ignore case.
        QCOMPARE(verdict.head->header("accept"), "application/json");
        QCOMPARE(verdict.head->headers.at(0).first, "Host");
        QVERIFY(verdict.head->keepAlive);
        QVERIFY(!verdict.head->isWebSocketUpgrade);
    }

    void shouldReportTheHeadBeforeTheBody()
    {
        HttpFramer framer;
        HttpFrameVerdict verdict
            = framer.feed("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123");
        QCOMPARE(verdict.kind, Kind::RequestHeadComplete);
        QCOMPARE(verdict.head->contentLength, 10);
        QCOMPARE(framer.phase(), HttpFramer::Phase::Body);

        verdict = framer.feed("45");
        QCOMPARE(verdict.kind, Kind::Continue);
        QVERIFY(!verdict.head);
        QCOMPARE(verdict.consumed, 2);

        // The request ends inside this feed: the rest is the next request's.
        verdict = framer.feed("6789GET /");
        QCOMPARE(verdict.kind, Kind::RequestComplete);
        QCOMPARE(verdict.consumed, 4);

        // Until reset() nothing more is consumed.
        verdict = framer.feed("GET /");
        QCOMPARE(verdict.kind, Kind::RequestComplete);
        QCOMPARE(verdict.consumed, 0);

        framer.reset();
        verdict = framer.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        QCOMPARE(verdict.kind, Kind::RequestComplete);
        QCOMPARE(verdict.head->target, "/");
    }

    void shouldFrameChunkedBodies()
    {
        const QByteArray request
            = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
              "5\r\nhello\r\n"
              "A;name=value\r\n0123456789\r\n"
              "0\r\nX-Trailer: yes\r\n\r\n";
        const HttpFrameVerdict verdict = feedWhole(QByteArray(request + "next"));
        QCOMPARE(verdict.kind, Kind::RequestComplete);
        QCOMPARE(verdict.consumed, request.size());
        QVERIFY(verdict.head->chunked);
        QCOMPARE(verdict.head->contentLength, 0);
    }

    void shouldTolerateEmptyLinesBeforeTheRequestLine()
    {
        const HttpFrameVerdict verdict = feedWhole("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
        QCOMPARE(verdict.kind, Kind::RequestComplete);
        QCOMPARE(verdict.head->method, "GET");
    }

    void shouldKnowWhetherTheConnectionStaysOpen_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1") << "GET / HTTP/1.1\r\nHost: h\r\n\r\n"_ba << true;
        QTest::newRow("1.1 close")
            << "GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n"_ba << false;
        QTest::newRow("1.0") << "GET / HTTP/1.0\r\n\r\n"_ba << false;
        QTest::newRow("1.0 keep-alive")
            << "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"_ba << true;
    }

    void shouldKnowWhetherTheConnectionStaysOpen()
    {
        QFETCH(QByteArray, request);
        QFETCH(bool, keepAlive);
        const HttpFrameVerdict verdict = feedWhole(request);
        QCOMPARE(verdict.kind, Kind::RequestComplete);
        QCOMPARE(verdict.head->keepAlive, keepAlive);
    }

    void shouldRecognizeWebSocketUpgrades()
    {
        const HttpFrameVerdict verdict
            = feedWhole("GET /api/v1/ws HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\n"
                        "Upgrade: WebSocket\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QCOMPARE(verdict.kind, Kind::RequestComplete);
        QVERIFY(verdict.head->isWebSocketUpgrade);

        // Without "Connection: upgrade" QtHttpServer does not upgrade either.
        QVERIFY(!feedWhole("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n")
                     .head->isWebSocketUpgrade);
    }

    void shouldNoteExpectContinue()
    {
        const HttpFrameVerdict verdict = feedWhole(
            "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        QCOMPARE(verdict.kind, Kind::RequestHeadComplete);
        QVERIFY(verdict.head->expectContinue);
    }

    void shouldAcceptTheLimitsExactly()
    {
        const HttpLimits limits;
        QCOMPARE(feedWhole(headWithFields(limits.maxHeaderFields)).kind, Kind::RequestComplete);

        const QByteArray prefix = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ";
        const QByteArray exact
            = prefix + QByteArray(limits.maxHeaderBytes - prefix.size() - 4, 'a') + "\r\n\r\n";
        QCOMPARE(exact.size(), limits.maxHeaderBytes);
        QCOMPARE(feedWhole(exact).kind, Kind::RequestComplete);

        const HttpFrameVerdict body
            = feedWhole(QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: "
                                   + QByteArray::number(limits.maxBodyBytes) + "\r\n\r\n"));
        QCOMPARE(body.kind, Kind::RequestHeadComplete);
        QCOMPARE(body.head->contentLength, limits.maxBodyBytes);
    }

    void shouldReject_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");

        const auto row = [](const char *name, const QByteArray &request, int status) {
            QTest::newRow(name) << request << status;
        };
        const HttpLimits limits;
        const QByteArray post = "POST / HTTP/1.1\r\nHost: h\r\n";
        const QByteArray chunked = post + "Transfer-Encoding: chunked\r\n\r\n";

        row("head over the limit",
            "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: " + QByteArray(40 * 1024, 'a') + "\r\n\r\n", 431);
        row("unfinished head over the limit",
            "GET / HTTP/1.1\r\nX-Pad: " + QByteArray(limits.maxHeaderBytes, 'a'), 431);
        row("101 fields", headWithFields(limits.maxHeaderFields + 1), 431);
        row("Content-Length over the limit",
            post + "Content-Length: " + QByteArray::number(2 * 1024 * 1024) + "\r\n\r\n", 413);
        row("Content-Length 2^64-1", post + "Content-Length: 18446744073709551615\r\n\r\n", 413);
        row("Content-Length beyond 64 bits",
            post + "Content-Length: 99999999999999999999999999\r\n\r\n", 413);
        row("Content-Length and Transfer-Encoding",
            post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
        row("duplicate Content-Length", post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
            400);
        row("duplicate equal Content-Length",
            post + "Content-Length: 5\r\ncontent-length: 5\r\n\r\n", 400);
        row("listed differing Content-Length", post + "Content-Length: 5, 6\r\n\r\n", 400);
        row("listed equal Content-Length", post + "Content-Length: 5, 5\r\n\r\n", 400);
        row("signed Content-Length", post + "Content-Length: +5\r\n\r\n", 400);
        row("empty Content-Length", post + "Content-Length:\r\n\r\n", 400);
        row("gzip", post + "Transfer-Encoding: gzip\r\n\r\n", 400);
        row("gzip, chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n", 400);
        row("chunked twice",
            post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
        row("chunked in HTTP/1.0",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"_ba, 400);
        row("chunks over the limit",
            chunked + "80000\r\n" + QByteArray(0x80000, 'a') + "\r\n80001\r\n", 413);
        row("chunk size beyond 64 bits", chunked + "FFFFFFFFFFFFFFFFFFFFFF\r\n", 413);
        row("chunk size not hex", chunked + "zz\r\n", 400);
        row("chunk size missing", chunked + "\r\n", 400);
        row("chunk size with a space", chunked + "5 \r\nhello\r\n0\r\n\r\n", 400);
        row("chunk without CRLF", chunked + "5\r\nhelloX\r\n", 400);
        row("chunk size with a bare LF", chunked + "5\nhello\r\n", 400);
        row("bad trailer", chunked + "0\r\nBad Trailer: x\r\n\r\n", 400);
        row("obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n"_ba, 400);
        row("bare LF", "GET / HTTP/1.1\nHost: h\r\n\r\n"_ba, 400);
        row("bare LF ending the head", "GET / HTTP/1.1\r\nHost: h\r\n\n"_ba, 400);
        row("bare CR", "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n"_ba, 400);
        row("space before the colon", "GET / HTTP/1.1\r\nHost: h\r\nContent-Length : 5\r\n\r\n"_ba,
            400);
        row("non-token name", "GET / HTTP/1.1\r\nHost: h\r\nX(y): z\r\n\r\n"_ba, 400);
        row("empty name", "GET / HTTP/1.1\r\nHost: h\r\n: z\r\n\r\n"_ba, 400);
        row("no colon", "GET / HTTP/1.1\r\nHost: h\r\nJunk\r\n\r\n"_ba, 400);
        row("NUL in a value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n"_ba, 400);
        row("garbage request line", "GARBAGE\r\n\r\n"_ba, 400);
        row("double space", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n"_ba, 400);
        row("trailing space", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n"_ba, 400);
        row("HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n"_ba, 400);
        row("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n"_ba, 400);
        row("lower-case version", "GET / http/1.1\r\nHost: h\r\n\r\n"_ba, 400);
        row("unknown method", "BREW / HTTP/1.1\r\nHost: h\r\n\r\n"_ba, 400);
        row("CONNECT", "CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n"_ba, 400);
        row("absolute-form", "GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n"_ba, 400);
        row("control in target", "GET /\x01 HTTP/1.1\r\nHost: h\r\n\r\n"_ba, 400);
        row("no Host", "GET / HTTP/1.1\r\n\r\n"_ba, 400);
        row("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"_ba, 400);
        row("two Upgrades",
            "GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nUpgrade: h2c\r\n"
            "Upgrade: websocket\r\n\r\n"_ba,
            400);
        row("upgrade with a body",
            "POST / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nUpgrade: websocket\r\n"
            "Content-Length: 1\r\n\r\nx"_ba,
            400);
    }

    void shouldReject()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);

        HttpFramer framer;
        const HttpFrameVerdict verdict = framer.feed(request);
        QCOMPARE(verdict.kind, Kind::Reject);
        QCOMPARE(verdict.status, status);
        QVERIFY(!verdict.reason.isEmpty());
        QCOMPARE(framer.phase(), HttpFramer::Phase::Rejected);
        // A rejection is final: the connection is going to close.
        QCOMPARE(framer.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n").kind, Kind::Reject);

        // Cut into single bytes, the bytes are refused the same way.
        const QStringList whole = frameInPieces(request, request.size());
        QCOMPARE(frameInPieces(request, 1), whole);
        QVERIFY(whole.last().startsWith(u"reject %1"_s.arg(status)));
    }

    void shouldRejectOversizeHeadsBeforeTheyEnd()
    {
        // The limit applies to bytes as they come, not to a head that may never end.
        HttpFramer framer({.maxHeaderBytes = 64, .maxHeaderFields = 3, .maxBodyBytes = 10});
        const HttpFrameVerdict verdict
            = framer.feed(QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(60, 'a')));
        QCOMPARE(verdict.kind, Kind::Reject);
        QCOMPARE(verdict.status, 431);

        HttpFramer fields({.maxHeaderBytes = 1024, .maxHeaderFields = 3, .maxBodyBytes = 10});
        QCOMPARE(fields.feed("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n").status, 431);
    }

    void shouldFrameTheSameHoweverTheBytesAreCut_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::newRow("keep-alive requests")
            << "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
               "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
               "\r\nPUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
               "3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n"
               "DELETE /d HTTP/1.0\r\n\r\n"_ba;
        QTest::newRow("rejected after a good one")
            << "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\nX : y\r\n\r\n"_ba;
        QTest::newRow("chunk data split") << "POST / HTTP/1.1\r\nHost: h\r\n"
                                             "Transfer-Encoding: chunked\r\n\r\n"
                                             "10\r\n0123456789abcdef\r\n0\r\n\r\n"_ba;
    }

    void shouldFrameTheSameHoweverTheBytesAreCut()
    {
        QFETCH(QByteArray, stream);
        const QStringList whole = frameInPieces(stream, stream.size());
        QVERIFY(!whole.isEmpty());
        for (qsizetype piece = 1; piece < 40; ++piece)
            QCOMPARE(frameInPieces(stream, piece), whole);
    }
};

QTEST_GUILESS_MAIN(TestHttpFramer)

#include "tst_httpframer.moc"
