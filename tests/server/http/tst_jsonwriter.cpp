#include "app/routehelpers.h"
#include "http/jsonwriter.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

// JsonWriter and the message page written with it give QJsonDocument's bytes exactly.
class TestJsonWriter : public QObject
{
    Q_OBJECT

private slots:
    void stringsAsQJsonDocument_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("ascii") << u"hello, world / 42"_s;
        QTest::newRow("escapes") << u"quote \" backslash \\ \b\f\n\r\t end"_s;
        QTest::newRow("controls") << QString::fromUtf16(u"\u0001\u001f\u007f x");
        QTest::newRow("two and three bytes") << u"caf\u00e9 \u4e2d\u6587 \u20ac"_s;
        QTest::newRow("surrogate pair") << QString::fromUtf16(u"emoji \U0001F600 end");
        QTest::newRow("lone surrogates")
            << QString(QChar(0xd800)) + u"a"_s + QChar(0xdc00) + QChar(0xd83d);
    }

    void stringsAsQJsonDocument()
    {
        QFETCH(QString, text);
        JsonWriter json;
        json.beginObject();
        json.key("a");
        json.beginArray();
        json.string(text);
        json.number(-9007199254740993);
        json.boolean(true);
        json.null();
        json.beginObject();
        json.endObject();
        json.endArray();
        json.key("b");
        json.string(text);
        json.endObject();
        const QJsonObject expected{
            {u"a"_s,
             QJsonArray{text, qint64(-9007199254740993), true, QJsonValue(), QJsonObject()}},
            {u"b"_s, text}};
        QCOMPARE(json.take(), QJsonDocument(expected).toJson(QJsonDocument::Compact));
    }

    void messagePageAsPageJson()
    {
        Message streaming;
        streaming.id = 7;
        streaming.conversationId = 3;
        streaming.role = Role::Assistant;
        streaming.content = u"partial \"answer\"\n\u4e2d"_s;
        streaming.state = MessageState::Streaming;
        streaming.createdAt = QDateTime::fromMSecsSinceEpoch(1767225599999, Qt::UTC);
        Message finished = streaming;
        finished.id = 8;
        finished.reasoning = u"because"_s;
        finished.state = MessageState::Complete;
        finished.finishReason = u"stop"_s;
        finished.usage = Usage{12, 34, 46};
        finished.createdAt = QDateTime::fromMSecsSinceEpoch(5, Qt::UTC);
        Message failed = streaming;
        failed.id = 9;
        failed.role = Role::User;
        failed.state = MessageState::Incomplete;
        failed.finishReason = u"error"_s;
        failed.errorMessage = u"upstream went away"_s;
        failed.createdAt = QDateTime::fromMSecsSinceEpoch(-1, Qt::UTC);
        Message undated = failed;
        undated.createdAt = {};

        const QList<Message> messages{streaming, finished, failed, undated};
        for (const QString &cursor : {QString(), u"7"_s}) {
            QCOMPARE(messagePageJson(messages, cursor),
                     QJsonDocument(pageJson(messages, cursor)).toJson(QJsonDocument::Compact));
        }
        QCOMPARE(messagePageJson({}, {}), QByteArray(R"({"items":[],"next_cursor":null})"));
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)

#include "tst_jsonwriter.moc"
