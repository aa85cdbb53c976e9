#include "chat/messagelistmodel.h"
#include "chattestenv.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;
using namespace confab::testing;

// MessageListModel against a real LocalChatService: pages from the database, live changes from
// the service's signals, always under QAbstractItemModelTester.
class MessageListModelTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ChatTestEnv> m_env;

    QList<Message> history(int count)
    {
        QList<Message> messages;
        for (int i = 0; i < count; ++i)
            messages.append(
                makeMessage(i % 2 ? Role::Assistant : Role::User, u"message %1"_s.arg(i)));
        return messages;
    }

    static bool waitLoaded(MessageListModel &model)
    {
        return QTest::qWaitFor([&] { return model.isLoaded() && !model.isLoading(); }, 5000);
    }

    static QStringList contents(const MessageListModel &model)
    {
        QStringList texts;
        for (int row = 0; row < model.rowCount(); ++row)
            texts.append(model.index(row).data(MessageListModel::ContentRole).toString());
        return texts;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_env = std::make_unique<ChatTestEnv>();
        QString error;
        QVERIFY2(m_env->setUp(&error), qPrintable(error));
    }

    void cleanup() { m_env.reset(); }

    void shouldLoadTheNewestPageFirst()
    {
        const qint64 id = m_env->conversationWith(history(120));
        MessageListModel model(m_env->service(), id, nullptr, 50);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitLoaded(model));
        QCOMPARE(model.rowCount(), 50);
        QCOMPARE(model.index(0).data(MessageListModel::ContentRole).toString(), u"message 70"_s);
        QCOMPARE(model.index(49).data(MessageListModel::ContentRole).toString(), u"message 119"_s);
        QVERIFY(model.index(49).data(MessageListModel::IsLastRole).toBool());
        QVERIFY(!model.index(48).data(MessageListModel::IsLastRole).toBool());
        QVERIFY(model.canFetchOlder());
        // The index carries the message id, for the delegate's caches.
        QCOMPARE(qint64(model.index(3).internalId()),
                 model.index(3).data(MessageListModel::IdRole).toLongLong());
    }

    void shouldLoadOlderPagesOnRequestUntilTheStart()
    {
        const qint64 id = m_env->conversationWith(history(120));
        MessageListModel model(m_env->service(), id);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitLoaded(model));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.fetchOlder();
        QVERIFY(waitLoaded(model));
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0); // at the top
        model.fetchOlder();
        QVERIFY(waitLoaded(model));
        QCOMPARE(model.rowCount(), 120);
        QVERIFY(!model.canFetchOlder());
        QCOMPARE(reset.size(), 0);
        const QStringList texts = contents(model);
        for (int i = 0; i < 120; ++i)
            QCOMPARE(texts.at(i), u"message %1"_s.arg(i));
    }

    void shouldStreamAnAnswerIntoOneRowWithoutResets()
    {
        const qint64 id = m_env->conversationWith(history(10));
        MessageListModel model(m_env->service(), id);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitLoaded(model));

        m_env->upstream().enqueue(FakeResponse::chatStream({u"Hel"_s, u"lo, "_s, u"世界"_s}));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        auto sent = await<Message>([&](QObject *context, auto handler) {
            m_env->service().sendMessage(id, u"Say hello"_s, context, handler);
        });
        QVERIFY(sent.ok());
        QVERIFY(m_env->waitIdle(id));
        QTRY_COMPARE(model.rowCount(), 12);
        QCOMPARE(inserted.size(), 2); // the question and the answer
        QCOMPARE(reset.size(), 0);
        const QModelIndex answer = model.index(11);
        QCOMPARE(answer.data(MessageListModel::ContentRole).toString(), u"Hello, 世界"_s);
        QCOMPARE(MessageState(answer.data(MessageListModel::StateRole).toInt()),
                 MessageState::Complete);
        QCOMPARE(Role(answer.data(MessageListModel::RoleRole).toInt()), Role::Assistant);
        // Every change touched one row: deltas and the final update on the answer, IsLast on
        // the rows that stopped being last.
        int onAnswer = 0;
        for (const QList<QVariant> &args : std::as_const(changed)) {
            const auto from = args.at(0).value<QModelIndex>();
            const auto to = args.at(1).value<QModelIndex>();
            QCOMPARE(from, to);
            if (from.row() == 11)
                ++onAnswer;
        }
        QVERIFY2(onAnswer >= 4, qPrintable(QString::number(onAnswer))); // 3 deltas + done
    }

    void shouldApplyADeltaToItsRowOnly()
    {
        const qint64 id = m_env->conversationWith(history(4));
        MessageListModel model(m_env->service(), id);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitLoaded(model));
        const qint64 target = model.index(1).data(MessageListModel::IdRole).toLongLong();
        const quint32 before = model.index(1).data(MessageListModel::RevisionRole).toUInt();
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        emit m_env->service().messageDelta(id, target, u" more"_s, u"hmm"_s);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 1);
        QCOMPARE(model.index(1).data(MessageListModel::ContentRole).toString(),
                 u"message 1 more"_s);
        QCOMPARE(model.index(1).data(MessageListModel::ReasoningRole).toString(), u"hmm"_s);
        QVERIFY(model.index(1).data(MessageListModel::RevisionRole).toUInt() != before);

        // Other conversations and unknown messages are none of its business.
        emit m_env->service().messageDelta(id + 1000, target, u"x"_s, {});
        emit m_env->service().messageDelta(id, 999999, u"x"_s, {});
        QCOMPARE(changed.size(), 1);
    }

    void shouldFollowRemovalsAndEdits()
    {
        const qint64 id = m_env->conversationWith(history(6));
        MessageListModel model(m_env->service(), id);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitLoaded(model));
        const qint64 second = model.index(1).data(MessageListModel::IdRole).toLongLong();
        const qint64 last = model.index(5).data(MessageListModel::IdRole).toLongLong();

        auto removed = await<void>([&](QObject *context, auto handler) {
            m_env->service().deleteMessage(last, context, handler);
        });
        QVERIFY(removed.ok());
        QCOMPARE(model.rowCount(), 5);
        QVERIFY(model.index(4).data(MessageListModel::IsLastRole).toBool());
        QCOMPARE(model.rowOf(last), -1);

        // Several rows at once, not contiguous.
        const qint64 fourth = model.index(3).data(MessageListModel::IdRole).toLongLong();
        emit m_env->service().messagesRemoved(id, {second, fourth});
        QCOMPARE(contents(model), QStringList({u"message 0"_s, u"message 2"_s, u"message 4"_s}));
        QCOMPARE(model.rowOf(model.index(2).data(MessageListModel::IdRole).toLongLong()), 2);

        Message edited = *model.messageAt(0);
        edited.content = u"edited"_s;
        emit m_env->service().messageUpdated(edited);
        QCOMPARE(model.index(0).data(MessageListModel::ContentRole).toString(), u"edited"_s);
    }

    void shouldKeepMessagesThatArriveBeforeTheFirstPage()
    {
        const qint64 id = m_env->conversationWith(history(3));
        MessageListModel model(m_env->service(), id);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The page is on its way (delivered on the next turn of the event loop).
        Message early = makeMessage(Role::User, u"early"_s);
        early.id = 1'000'000;
        early.conversationId = id;
        emit m_env->service().messageAdded(early);
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(waitLoaded(model));
        QCOMPARE(contents(model),
                 QStringList({u"message 0"_s, u"message 1"_s, u"message 2"_s, u"early"_s}));
    }

    void shouldReportAFailedLoad()
    {
        MessageListModel model(m_env->service(), 424242); // no such conversation
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy failed(&model, &MessageListModel::loadFailed);
        QVERIFY(failed.wait(5000));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!failed.first().at(0).toString().isEmpty());
    }
};

QTEST_MAIN(MessageListModelTest)
#include "tst_messagelistmodel.moc"
