#include "api/chatstreamdecoder.h"
#include "api/sseparser.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

QString fixturesDir()
{
    return QStringLiteral(CONFAB_FIXTURES_DIR) + u"/sse"_s;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

// What expected.json says about one stream, in its own shape, so a mismatch prints as JSON.
QJsonObject summary(const ChatStreamDecoder &decoder)
{
    return {
        {u"text"_s, decoder.text()},
        {u"reasoning"_s, decoder.reasoning()},
        {u"finish"_s, decoder.complete() ? QJsonValue(decoder.finishReason()) : QJsonValue()},
        {u"complete"_s, decoder.complete()},
        {u"error"_s, decoder.streamError() ? QJsonValue(*decoder.streamError()) : QJsonValue()},
        {u"usage"_s, decoder.usage() ? QJsonValue(decoder.usage()->toJson()) : QJsonValue()},
    };
}

QByteArray compact(const QJsonObject &json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

// Feeds parts in order and checks the deltas handed out add up to the accumulated text.
QJsonObject decode(const QList<QByteArrayView> &parts)
{
    ChatStreamDecoder decoder;
    QString streamedText;
    QString streamedReasoning;
    for (const QByteArrayView part : parts) {
        for (const ChatDelta &delta : decoder.feed(part)) {
            if (delta.content.isEmpty() && delta.reasoning.isEmpty())
                qFatal("the decoder handed out an empty delta");
            streamedText += delta.content;
            streamedReasoning += delta.reasoning;
        }
    }
    decoder.finish();
    if (streamedText != decoder.text() || streamedReasoning != decoder.reasoning())
        qFatal("the deltas do not add up to the accumulated answer");
    return summary(decoder);
}

QList<SseEvent> parseAll(const QList<QByteArray> &chunks, SseParser &parser)
{
    QList<SseEvent> events;
    for (const QByteArray &chunk : chunks)
        events += parser.feed(chunk);
    events += parser.finish();
    return events;
}

QList<SseEvent> parseAll(const QList<QByteArray> &chunks)
{
    SseParser parser;
    return parseAll(chunks, parser);
}

SseEvent ev(const QByteArray &data, const QByteArray &type = {}, const QByteArray &id = {})
{
    return SseEvent{type, data, id};
}

} // namespace

namespace QTest {
template<>
char *toString(const SseEvent &event)
{
    const QByteArray text = "{event=" + event.event.toPercentEncoding()
        + " data=" + event.data.toPercentEncoding() + " id=" + event.id.toPercentEncoding() + "}";
    return qstrdup(text.constData());
}
} // namespace QTest

class SseParserTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QJsonDocument expected
            = QJsonDocument::fromJson(readFile(fixturesDir() + u"/expected.json"_s));
        QVERIFY(expected.isObject());
        m_expected = expected.object();
        m_expected.remove(u"_about"_s);
        // Every fixture on disk has an expectation, and every expectation a fixture.
        const QStringList files = QDir(fixturesDir()).entryList({u"*.sse"_s}, QDir::Files);
        QVERIFY(!files.isEmpty());
        QCOMPARE(QStringList(m_expected.keys()), files);
    }

    void shouldDecodeEveryFixtureFedWhole_data() { fixtureRows(); }
    void shouldDecodeEveryFixtureFedWhole()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QJsonObject, expected);
        QCOMPARE(compact(decode({bytes})), compact(expected));
    }

    void shouldDecodeEveryFixtureFedOneByteAtATime_data() { fixtureRows(); }
    void shouldDecodeEveryFixtureFedOneByteAtATime()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QJsonObject, expected);
        QList<QByteArrayView> parts;
        for (qsizetype i = 0; i < bytes.size(); ++i)
            parts.append(QByteArrayView(bytes).sliced(i, 1));
        QCOMPARE(compact(decode(parts)), compact(expected));
    }

    void shouldDecodeEveryFixtureSplitAtEveryByte_data() { fixtureRows(); }
    void shouldDecodeEveryFixtureSplitAtEveryByte()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QJsonObject, expected);
        const QByteArray want = compact(expected);
        for (qsizetype at = 0; at <= bytes.size(); ++at) {
            const QByteArrayView whole(bytes);
            const QByteArray got = compact(decode({whole.first(at), whole.sliced(at)}));
            if (got != want)
                QFAIL(qPrintable(u"split at %1: %2"_s.arg(at).arg(QString::fromUtf8(got))));
        }
    }

    void shouldFollowTheEventStreamRules_data()
    {
        QTest::addColumn<QList<QByteArray>>("chunks");
        QTest::addColumn<QList<SseEvent>>("events");

        QTest::newRow("LF") << QList<QByteArray>{"data: a\n\ndata: b\n\n"}
                            << QList{ev("a"), ev("b")};
        QTest::newRow("CRLF") << QList<QByteArray>{"data: a\r\n\r\ndata: b\r\n\r\n"}
                              << QList{ev("a"), ev("b")};
        QTest::newRow("CR") << QList<QByteArray>{"data: a\r\rdata: b\r\r"}
                            << QList{ev("a"), ev("b")};
        QTest::newRow("mixed line ends")
            << QList<QByteArray>{"data: a\r\ndata: b\rdata: c\n\r\n"} << QList{ev("a\nb\nc")};
        QTest::newRow("CR at chunk end, LF in the next")
            << QList<QByteArray>{"data: a\r", "\ndata: b\r", "\n\r", "\n"} << QList{ev("a\nb")};
        QTest::newRow("CR at chunk end, no LF after")
            << QList<QByteArray>{"data: a\r", "data: b\r", "\r"} << QList{ev("a\nb")};
        QTest::newRow("comments are skipped")
            << QList<QByteArray>{": keep-alive\n\n:\ndata: a\n: between\ndata: b\n\n"}
            << QList{ev("a\nb")};
        QTest::newRow("multi-line data")
            << QList<QByteArray>{"data: {\"a\":\ndata: 1}\n\n"} << QList{ev("{\"a\":\n1}")};
        QTest::newRow("field without colon") << QList<QByteArray>{"data\n\n"} << QList{ev("")};
        QTest::newRow("empty data lines")
            << QList<QByteArray>{"data:\ndata:\n\n"} << QList{ev("\n")};
        QTest::newRow("no space after colon") << QList<QByteArray>{"data:a\n\n"} << QList{ev("a")};
        QTest::newRow("only one space is removed")
            << QList<QByteArray>{"data:  a \n\n"} << QList{ev(" a ")};
        QTest::newRow("colon in the value")
            << QList<QByteArray>{"data: a: b\n\n"} << QList{ev("a: b")};
        QTest::newRow("event type, reset after dispatch")
            << QList<QByteArray>{"event: delta\ndata: a\n\ndata: b\n\n"}
            << QList{ev("a", "delta"), ev("b")};
        QTest::newRow("id persists")
            << QList<QByteArray>{"id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"}
            << QList{ev("a", {}, "7"), ev("b", {}, "7"), ev("c")};
        QTest::newRow("id with NUL is ignored")
            << QList<QByteArray>{QByteArray("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n", 33)}
            << QList{ev("a", {}, "1"), ev("b", {}, "1")};
        QTest::newRow("blank lines without data dispatch nothing")
            << QList<QByteArray>{"\n\n\r\nevent: x\n\ndata: a\n\n"} << QList{ev("a")};
        QTest::newRow("unknown fields are ignored")
            << QList<QByteArray>{"foo: bar\nDATA: no\ndata: a\nretry: 10\n\n"} << QList{ev("a")};
        QTest::newRow("BOM at the start") << QList<QByteArray>{"\xEF\xBB\xBF"
                                                               "data: a\n\n"}
                                          << QList{ev("a")};
        QTest::newRow("BOM split over chunks") << QList<QByteArray>{"\xEF", "\xBB",
                                                                    "\xBF"
                                                                    "data: a\n\n"}
                                               << QList{ev("a")};
        QTest::newRow("BOM later is not one") << QList<QByteArray>{"data: a\n\n\xEF\xBB\xBF"
                                                                   "data: b\n\ndata: c\n\n"}
                                              << QList{ev("a"), ev("c")};
        QTest::newRow("almost a BOM")
            << QList<QByteArray>{"\xEF\xBB", "data: a\n\n"} << QList<SseEvent>{};
        QTest::newRow("UTF-8 split inside a character")
            << QList<QByteArray>{"data: \xE4\xB8", "\x96\xE7", "\x95\x8C\n\n"}
            << QList{ev("\xE4\xB8\x96\xE7\x95\x8C")};
        QTest::newRow("unfinished event at the end is dropped")
            << QList<QByteArray>{"data: a\n\ndata: b\n"} << QList{ev("a")};
        QTest::newRow("unfinished line at the end is dropped")
            << QList<QByteArray>{"data: a\n\ndata: b"} << QList{ev("a")};
        QTest::newRow("empty chunks")
            << QList<QByteArray>{"", "data: a", "", "\n", "", "\n"} << QList{ev("a")};
    }

    void shouldFollowTheEventStreamRules()
    {
        QFETCH(QList<QByteArray>, chunks);
        QFETCH(QList<SseEvent>, events);
        QCOMPARE(parseAll(chunks), events);

        // However the same bytes are cut, the events are the same.
        const QByteArray whole = chunks.join();
        QCOMPARE(parseAll({whole}), events);
        QList<QByteArray> single;
        for (const char c : whole)
            single.append(QByteArray(1, c));
        QCOMPARE(parseAll(single), events);
    }

    void shouldParseRetry()
    {
        SseParser parser;
        parser.feed("retry: 1500\nretry: x\nretry: -3\n\n");
        QCOMPARE(parser.retryMs(), std::optional<qint64>(1500));
    }

    void shouldCountComments()
    {
        SseParser parser;
        parser.feed(": a\n\n: b\r\n");
        QCOMPARE(parser.commentCount(), 2);
    }

    void shouldFailOnAnOverlongLine_data()
    {
        QTest::addColumn<int>("chunkSize");
        QTest::newRow("in one piece") << 100000;
        QTest::newRow("in small pieces") << 7;
    }

    void shouldFailOnAnOverlongLine()
    {
        QFETCH(int, chunkSize);
        SseParser parser(1024);
        QVERIFY(!parser.feed("data: fine\n\n").isEmpty());
        const QByteArray line = "data: " + QByteArray(2000, 'x') + "\n\ndata: after\n\n";
        QList<SseEvent> events;
        for (qsizetype at = 0; at < line.size(); at += chunkSize)
            events += parser.feed(QByteArrayView(line).sliced(at).first(
                std::min<qsizetype>(chunkSize, line.size() - at)));
        QVERIFY(parser.failed());
        QVERIFY(!parser.errorString().isEmpty());
        QVERIFY(events.isEmpty());
        QVERIFY(parser.feed("data: more\n\n").isEmpty());
    }

    void shouldFailOnAnOverlongEvent()
    {
        SseParser parser(1024);
        QByteArray many;
        for (int i = 0; i < 100; ++i)
            many += "data: " + QByteArray(50, 'y') + '\n';
        QVERIFY(parser.feed(many).isEmpty());
        QVERIFY(parser.failed());
    }

    void shouldAcceptALineJustUnderTheLimit()
    {
        SseParser parser(1024);
        const QByteArray data(1000, 'z');
        const QList<SseEvent> events = parser.feed(QByteArray("data: " + data + "\n\n"));
        QVERIFY(!parser.failed());
        QCOMPARE(events, QList{ev(data)});
    }

    void shouldGiveTheSameEventsHoweverRandomInputIsSplit()
    {
        // Random streams over the bytes that matter, compared fed whole and cut at random.
        const QList<QByteArray> atoms
            = {"data", "event",        "id",           ":",
               " ",    "\r",           "\n",           "\r\n",
               "x",    "\xE4\xB8\x96", "\xEF\xBB\xBF", QByteArray(1, '\0')};
        QRandomGenerator random(20241107);
        for (int round = 0; round < 3000; ++round) {
            QByteArray input;
            const int atomsInInput = random.bounded(1, 60);
            for (int i = 0; i < atomsInInput; ++i)
                input += atoms.at(random.bounded(int(atoms.size())));
            QList<QByteArray> pieces;
            for (qsizetype at = 0; at < input.size();) {
                const qsizetype size = random.bounded(1, 8);
                pieces.append(input.mid(at, size));
                at += size;
            }
            const QList<SseEvent> whole = parseAll({input});
            const QList<SseEvent> split = parseAll(pieces);
            if (whole != split)
                QFAIL(qPrintable(u"round %1 differs for %2"_s.arg(round).arg(
                    QString::fromLatin1(input.toPercentEncoding()))));
        }
    }

    void shouldSurviveRandomBytes()
    {
        QRandomGenerator random(7);
        for (int round = 0; round < 200; ++round) {
            QByteArray input(random.bounded(1, 4096), Qt::Uninitialized);
            for (char &c : input)
                c = char(random.bounded(256));
            ChatStreamDecoder decoder;
            for (qsizetype at = 0; at < input.size(); at += 61)
                decoder.feed(QByteArrayView(input).sliced(at).first(
                    std::min<qsizetype>(61, input.size() - at)));
            decoder.finish();
            QVERIFY(!decoder.complete() || !decoder.finishReason().isEmpty());
        }
    }

    void shouldSkipDataThatIsNotJson()
    {
        ChatStreamDecoder decoder;
        const QList<ChatDelta> deltas
            = decoder.feed("data: hello proxy banner\n\n"
                           "data: [1,2]\n\n"
                           "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},"
                           "\"finish_reason\":\"stop\"}]}\n\n"
                           "data: {\"choices\":[{\"index\":0,\"delta\n\n"
                           "data: [DONE]\n\n");
        QCOMPARE(deltas.size(), 1);
        QCOMPARE(deltas.first().content, u"ok"_s);
        QCOMPARE(decoder.malformedEvents(), 3);
        QCOMPARE(decoder.dataEvents(), 5);
        QVERIFY(decoder.complete());
        QVERIFY(decoder.sawDone());
        QVERIFY(!decoder.streamError());
    }

    void shouldReadOpenRoutersReasoningField()
    {
        ChatStreamDecoder decoder;
        decoder.feed("data: {\"model\":\"m\",\"choices\":[{\"delta\":{\"reasoning\":\"hmm\"}}]}\n\n"
                     "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"A\",\"reasoning\":"
                     "\"A\",\"content\":null}}]}\n\n"
                     "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":null}\n\n");
        QCOMPARE(decoder.reasoning(), u"hmmA"_s);
        QCOMPARE(decoder.text(), u"x"_s);
        QCOMPARE(decoder.model(), u"m"_s);
        QVERIFY(!decoder.usage());
        QVERIFY(!decoder.complete());
    }

    void shouldOnlyFollowTheFirstChoice()
    {
        ChatStreamDecoder decoder;
        decoder.feed("data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B\"}},"
                     "{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n");
        QCOMPARE(decoder.text(), u"A"_s);
    }

    void shouldTakeAnErrorEventWithPlainText()
    {
        ChatStreamDecoder decoder;
        decoder.feed("event: error\ndata: overloaded, try later\n\n");
        QCOMPARE(decoder.streamError(), std::optional<QString>(u"overloaded, try later"_s));
    }

    void shouldStopDecodingAfterAnOversizedLine()
    {
        ChatStreamDecoder decoder;
        const QByteArray chunk(1024 * 1024, 'a');
        for (int i = 0; i < 17 && !decoder.parserFailed(); ++i)
            decoder.feed(chunk);
        QVERIFY(decoder.parserFailed());
    }

private:
    void fixtureRows()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QJsonObject>("expected");
        for (auto it = m_expected.constBegin(); it != m_expected.constEnd(); ++it) {
            QTest::newRow(qPrintable(it.key()))
                << readFile(fixturesDir() + u'/' + it.key()) << it.value().toObject();
        }
    }

    QJsonObject m_expected;
};

QTEST_GUILESS_MAIN(SseParserTest)
#include "tst_sseparser.moc"
