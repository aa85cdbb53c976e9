#include "chat/contextwindow.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

// Tables describe a message as "role:content": u = user, a = assistant, a! = assistant cut
// short (incomplete), a~ = assistant still streaming, s = system.
Message messageFrom(const QString &spec, qint64 id)
{
    const QString code = spec.section(u':', 0, 0);
    Message message;
    message.id = id;
    message.conversationId = 1;
    message.content = spec.section(u':', 1);
    message.createdAt = QDateTime::fromSecsSinceEpoch(1'700'000'000 + id, Qt::UTC);
    if (code == "u"_L1) {
        message.role = Role::User;
    } else if (code.startsWith(u'a')) {
        message.role = Role::Assistant;
        if (code == "a!"_L1)
            message.state = MessageState::Incomplete;
        else if (code == "a~"_L1)
            message.state = MessageState::Streaming;
    } else {
        message.role = Role::System;
    }
    return message;
}

QList<Message> history(const QStringList &specs)
{
    QList<Message> messages;
    for (const QString &spec : specs)
        messages.append(messageFrom(spec, messages.size() + 1));
    return messages;
}

QStringList describe(const QList<PromptMessage> &prompt)
{
    QStringList out;
    for (const PromptMessage &message : prompt) {
        const QChar code = message.role == Role::User ? u'u'
            : message.role == Role::Assistant         ? u'a'
                                                      : u's';
        out.append(QString(code) + u':' + message.content);
    }
    return out;
}

} // namespace

class ContextWindowTest final : public QObject
{
    Q_OBJECT

private slots:
    void shouldChooseRecentEligibleMessages_data()
    {
        QTest::addColumn<QString>("systemPrompt");
        QTest::addColumn<QStringList>("history");
        QTest::addColumn<int>("maxMessages");
        QTest::addColumn<QStringList>("expected");

        const QStringList talk{u"u:one"_s, u"a:two"_s, u"u:three"_s, u"a:four"_s, u"u:five"_s};

        QTest::newRow("N=1 keeps the newest and the prompt")
            << u"Be brief."_s << talk << 1 << QStringList{u"s:Be brief."_s, u"u:five"_s};
        QTest::newRow("N=2") << u"sys"_s << talk << 2
                             << QStringList{u"s:sys"_s, u"a:four"_s, u"u:five"_s};
        QTest::newRow("N larger than history keeps all in order")
            << u"sys"_s << talk << 50 << QStringList{u"s:sys"_s,   u"u:one"_s,  u"a:two"_s,
                                                     u"u:three"_s, u"a:four"_s, u"u:five"_s};
        QTest::newRow("N equal to history") << QString() << talk << 5 << talk;
        QTest::newRow("empty prompt is left out")
            << QString() << talk << 2 << QStringList{u"a:four"_s, u"u:five"_s};
        QTest::newRow("blank prompt is left out")
            << u"  \n "_s << talk << 1 << QStringList{u"u:five"_s};
        QTest::newRow("empty history")
            << u"sys"_s << QStringList() << 15 << QStringList{u"s:sys"_s};
        QTest::newRow("empty history and prompt")
            << QString() << QStringList() << 15 << QStringList();
        QTest::newRow("system messages of history are skipped and not counted")
            << u"preset prompt"_s
            << QStringList{u"s:old prompt"_s, u"u:hi"_s, u"s:note"_s, u"a:hello"_s} << 2
            << QStringList{u"s:preset prompt"_s, u"u:hi"_s, u"a:hello"_s};
        QTest::newRow("failed attempts are skipped and not counted")
            << QString() << QStringList{u"u:q1"_s, u"a:a1"_s,  u"u:q2"_s,      u"a!:"_s,
                                        u"a:"_s,   u"a: \n"_s, u"u:q2 again"_s}
            << 3 << QStringList{u"a:a1"_s, u"u:q2"_s, u"u:q2 again"_s};
        QTest::newRow("incomplete answers with text are kept")
            << QString() << QStringList{u"u:write a poem"_s, u"a!:Roses are"_s, u"u:go on"_s} << 15
            << QStringList{u"u:write a poem"_s, u"a:Roses are"_s, u"u:go on"_s};
        QTest::newRow("streaming answer with text is kept")
            << QString() << QStringList{u"u:q"_s, u"a~:partial"_s} << 15
            << QStringList{u"u:q"_s, u"a:partial"_s};
        QTest::newRow("Chinese") << u"你是一个乐于助人的助手。"_s
                                 << QStringList{u"u:你好"_s, u"a:你好！有什么可以帮你？"_s,
                                                u"u:介绍一下Vue3"_s}
                                 << 2
                                 << QStringList{u"s:你是一个乐于助人的助手。"_s,
                                                u"a:你好！有什么可以帮你？"_s, u"u:介绍一下Vue3"_s};
        QTest::newRow("consecutive user messages stay as they are")
            << QString() << QStringList{u"u:a"_s, u"u:b"_s, u"u:c"_s} << 2
            << QStringList{u"u:b"_s, u"u:c"_s};
    }

    void shouldChooseRecentEligibleMessages()
    {
        QFETCH(QString, systemPrompt);
        QFETCH(QStringList, history);
        QFETCH(int, maxMessages);
        QFETCH(QStringList, expected);
        QCOMPARE(describe(ContextWindow::build(systemPrompt, ::history(history), maxMessages)),
                 expected);
    }

    void shouldUseTheDefaultForNonPositiveLimits_data()
    {
        QTest::addColumn<int>("maxMessages");
        QTest::newRow("zero") << 0;
        QTest::newRow("negative") << -3;
    }

    void shouldUseTheDefaultForNonPositiveLimits()
    {
        QFETCH(int, maxMessages);
        QStringList specs;
        for (int i = 0; i < 40; ++i)
            specs.append((i % 2 ? u"a:"_s : u"u:"_s) + QString::number(i));
        const auto prompt = ContextWindow::build(u"sys"_s, history(specs), maxMessages);
        QCOMPARE(prompt.size(), ContextWindow::defaultMaxMessages + 1);
        QCOMPARE(prompt.first(), (PromptMessage{Role::System, u"sys"_s}));
        QCOMPARE(prompt.at(1).content, u"25"_s);
        QCOMPARE(prompt.last().content, u"39"_s);
    }

    void shouldKeepTextExactly()
    {
        const QString content = u"  leading space, **markdown**,\n\nand a trailing newline\n"_s;
        const auto prompt = ContextWindow::build(QString(), history({u"u:"_s + content}), 15);
        QCOMPARE(prompt.size(), 1);
        QCOMPARE(prompt.first().content, content);
    }
};

QTEST_GUILESS_MAIN(ContextWindowTest)
#include "tst_contextwindow.moc"
