#include "ops/serverlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using namespace confab;

Q_LOGGING_CATEGORY(lcTest, "confab.test", QtInfoMsg)

namespace {

// Collects lines from any thread.
class Lines
{
public:
    LogSink sink()
    {
        return [this](const QByteArray &line) {
            QMutexLocker locker(&m_mutex);
            m_lines.append(line);
        };
    }
    QList<QByteArray> take()
    {
        QMutexLocker locker(&m_mutex);
        return std::exchange(m_lines, {});
    }

private:
    QMutex m_mutex;
    QList<QByteArray> m_lines;
};

QJsonObject parseJson(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qWarning("not a JSON object: %s", line.constData());
    return document.object();
}

} // namespace

class ServerLogTest final : public QObject
{
    Q_OBJECT

private:
    Lines m_lines;

private slots:
    void cleanup()
    {
        removeLogSecret(u"sk-SECRET"_s);
        removeLogSecret(u"token-123"_s);
        removeLogSecret(u"token-123456"_s);
        m_lines.take();
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(nullptr);
        QLoggingCategory::setFilterRules({});
    }

    void shouldWriteTextLines()
    {
        installServerLog(LogFormat::Text, QtInfoMsg, m_lines.sink());
        qCInfo(lcTest) << "hello";
        qCWarning(lcTest, "two\nlines");
        const QList<QByteArray> lines = m_lines.take();
        QCOMPARE(lines.size(), 2);
        static const QRegularExpression format(
            uR"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info  confab\.test hello$)"_s);
        QVERIFY2(format.match(QString::fromUtf8(lines[0])).hasMatch(), lines[0].constData());
        QVERIFY2(lines[1].endsWith(" warn  confab.test two\\nlines"), lines[1].constData());
    }

    void shouldFilterByLevel()
    {
        installServerLog(LogFormat::Text, QtWarningMsg, m_lines.sink());
        qCDebug(lcTest) << "debug";
        qCInfo(lcTest) << "info";
        qCWarning(lcTest) << "warning";
        qCCritical(lcTest) << "critical";
        QList<QByteArray> lines = m_lines.take();
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].endsWith("warning"));
        QVERIFY(lines[1].contains(" error confab.test critical"));

        // At debug level, Confab's categories (info by default) show their debug lines too.
        installServerLog(LogFormat::Text, QtDebugMsg, m_lines.sink());
        qCDebug(lcTest) << "debug";
        lines = m_lines.take();
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines[0].contains(" debug confab.test debug"));
    }

    void shouldWriteJsonLines()
    {
        installServerLog(LogFormat::Json, QtInfoMsg, m_lines.sink());
        const QString message = u"quote \" backslash \\ newline \n tab \t é"_s;
        qCInfo(lcTest, "%ls", qUtf16Printable(message));
        qInfo("from the default category");
        const QList<QByteArray> lines = m_lines.take();
        QCOMPARE(lines.size(), 2);
        QVERIFY(!lines[0].contains('\n'));
        const QJsonObject first = parseJson(lines[0]);
        QCOMPARE(first.value(u"msg"_s).toString(), message);
        QCOMPARE(first.value(u"level"_s).toString(), u"info"_s);
        QCOMPARE(first.value(u"category"_s).toString(), u"confab.test"_s);
        const QDateTime ts
            = QDateTime::fromString(first.value(u"ts"_s).toString(), Qt::ISODateWithMs);
        QVERIFY(ts.isValid());
        QVERIFY(qAbs(ts.secsTo(QDateTime::currentDateTimeUtc())) < 60);
        QVERIFY(lines[0].startsWith("{\"ts\":"));
        QCOMPARE(parseJson(lines[1]).value(u"category"_s).toString(), u"default"_s);
    }

    void shouldRedactSecretsInText()
    {
        installServerLog(LogFormat::Text, QtInfoMsg, m_lines.sink());
        addLogSecret(u"sk-SECRET"_s);
        addLogSecret(u""_s); // ignored, or every line would be mangled
        qCInfo(lcTest) << "key sk-SECRET, embedded xsk-SECRETy";
        const QList<QByteArray> lines = m_lines.take();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(!lines[0].contains("sk-SECRET"), lines[0].constData());
        QVERIFY2(lines[0].endsWith("key [redacted], embedded x[redacted]y"), lines[0].constData());
    }

    void shouldRedactSecretsInJson()
    {
        installServerLog(LogFormat::Json, QtInfoMsg, m_lines.sink());
        addLogSecret(u"sk-SECRET"_s);
        qCWarning(lcTest) << "Authorization: Bearer sk-SECRET";
        logEvent(
            lcTest(), QtInfoMsg, u"event"_s,
            {{u"header"_s, u"Bearer sk-SECRET"_s}, {u"nested"_s, QJsonArray{u"ask-SECRETs"_s}}});
        const QList<QByteArray> lines = m_lines.take();
        QCOMPARE(lines.size(), 2);
        for (const QByteArray &line : lines)
            QVERIFY2(!line.contains("sk-SECRET"), line.constData());
        QCOMPARE(parseJson(lines[0]).value(u"msg"_s).toString(),
                 u"Authorization: Bearer [redacted]"_s);
        const QJsonObject event = parseJson(lines[1]);
        QCOMPARE(event.value(u"header"_s).toString(), u"Bearer [redacted]"_s);
        QCOMPARE(event.value(u"nested"_s).toArray().at(0).toString(), u"a[redacted]s"_s);
    }

    void shouldRedactTheLongerOfTwoOverlappingSecrets()
    {
        installServerLog(LogFormat::Text, QtInfoMsg, m_lines.sink());
        addLogSecret(u"token-123"_s);
        addLogSecret(u"token-123456"_s);
        qCInfo(lcTest) << "token-123456 token-123";
        const QList<QByteArray> lines = m_lines.take();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].endsWith(" [redacted] [redacted]"), lines[0].constData());
        removeLogSecret(u"token-123"_s);
        qCInfo(lcTest) << "token-123";
        QVERIFY(m_lines.take().value(0).endsWith(" token-123"));
    }

    void shouldRedactMessagesFromOtherThreads()
    {
        installServerLog(LogFormat::Json, QtInfoMsg, m_lines.sink());
        addLogSecret(u"sk-SECRET"_s);
        constexpr int threads = 8;
        constexpr int perThread = 200;
        QList<QThread *> workers;
        for (int t = 0; t < threads; ++t) {
            workers.append(QThread::create([t] {
                for (int i = 0; i < perThread; ++i)
                    qCInfo(lcTest, "thread %d line %d sk-SECRET", t, i);
            }));
            workers.last()->start();
        }
        for (QThread *worker : workers) {
            QVERIFY(worker->wait(30000));
            delete worker;
        }
        const QList<QByteArray> lines = m_lines.take();
        QCOMPARE(lines.size(), threads * perThread);
        for (const QByteArray &line : lines) {
            QVERIFY2(!line.contains("sk-SECRET"), line.constData());
            QVERIFY2(parseJson(line).value(u"msg"_s).toString().endsWith(u" [redacted]"_s),
                     line.constData());
        }
    }

    void shouldWriteStructuredFields()
    {
        installServerLog(LogFormat::Text, QtInfoMsg, m_lines.sink());
        logEvent(lcTest(), QtWarningMsg, u"upstream slow"_s,
                 {{u"seconds"_s, 12}, {u"model"_s, u"gpt x"_s}, {u"ratio"_s, 0.5}});
        logEvent(lcTest(), QtDebugMsg, u"dropped: the category is at info"_s);
        const QList<QByteArray> lines = m_lines.take();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].endsWith(
                     " warn  confab.test upstream slow model=\"gpt x\" ratio=0.5 seconds=12"),
                 lines[0].constData());
    }

    void shouldWriteAccessLines()
    {
        installServerLog(LogFormat::Json, QtInfoMsg, m_lines.sink());
        AccessLogEntry entry;
        entry.method = u"GET"_s;
        entry.route = u"/api/v1/conversations?access_token=abc"_s;
        entry.status = 200;
        entry.duration = std::chrono::milliseconds(12);
        entry.userId = 7;
        entry.bytes = 345;
        entry.remoteAddress = u"192.0.2.1"_s;
        logAccess(entry);
        installServerLog(LogFormat::Text, QtInfoMsg, m_lines.sink());
        entry.userId = 0;
        entry.remoteAddress.clear();
        logAccess(entry);

        const QList<QByteArray> lines = m_lines.take();
        QCOMPARE(lines.size(), 2);
        for (const QByteArray &line : lines)
            QVERIFY2(!line.contains("access_token") && !line.contains("abc"), line.constData());
        const QJsonObject json = parseJson(lines[0]);
        QCOMPARE(json.value(u"category"_s).toString(), u"confab.access"_s);
        QCOMPARE(json.value(u"msg"_s).toString(), u"GET /api/v1/conversations 200"_s);
        QCOMPARE(json.value(u"method"_s).toString(), u"GET"_s);
        QCOMPARE(json.value(u"route"_s).toString(), u"/api/v1/conversations"_s);
        QCOMPARE(json.value(u"status"_s).toInt(), 200);
        QCOMPARE(json.value(u"duration_ms"_s).toInt(), 12);
        QCOMPARE(json.value(u"user_id"_s).toInt(), 7);
        QCOMPARE(json.value(u"bytes"_s).toInt(), 345);
        QCOMPARE(json.value(u"remote"_s).toString(), u"192.0.2.1"_s);
        QVERIFY2(lines[1].endsWith(
                     " info  confab.access GET /api/v1/conversations 200 bytes=345 duration_ms=12"),
                 lines[1].constData());
    }

#ifdef Q_OS_UNIX
    void shouldWriteToStandardErrorWithoutASink()
    {
        QTemporaryFile capture;
        QVERIFY(capture.open());
        const int saved = dup(STDERR_FILENO);
        QVERIFY(saved >= 0);
        QVERIFY(dup2(capture.handle(), STDERR_FILENO) >= 0);
        installServerLog(LogFormat::Text, QtInfoMsg);
        addLogSecret(u"sk-SECRET"_s);
        qCInfo(lcTest) << "to stderr sk-SECRET";
        qCInfo(lcTest) << "second";
        dup2(saved, STDERR_FILENO);
        close(saved);

        capture.seek(0);
        const QList<QByteArray> lines = capture.readAll().split('\n');
        QCOMPARE(lines.size(), 3); // two lines, each ended by a newline
        QVERIFY2(lines[0].endsWith(" info  confab.test to stderr [redacted]"),
                 lines[0].constData());
        QVERIFY(lines[1].endsWith(" second"));
        QVERIFY(lines[2].isEmpty());
    }
#endif
};

QTEST_GUILESS_MAIN(ServerLogTest)
#include "tst_serverlog.moc"
