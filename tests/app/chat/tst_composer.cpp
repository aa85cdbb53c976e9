#include "chat/composer.h"

#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

// The composer's keys and buttons, as the user presses them.
class ComposerTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Composer> m_composer;

    QPlainTextEdit *edit() const { return m_composer->findChild<QPlainTextEdit *>(u"m_edit"_s); }
    QPushButton *button() const { return m_composer->findChild<QPushButton *>(u"m_sendButton"_s); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_composer = std::make_unique<Composer>();
        m_composer->resize(500, 100);
        m_composer->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_composer.get()));
        QVERIFY(edit());
        QVERIFY(button());
        edit()->setFocus();
    }

    void cleanup() { m_composer.reset(); }

    void shouldSendOnEnterAndBreakLinesOnShiftEnter()
    {
        QSignalSpy sent(m_composer.get(), &Composer::sendRequested);
        QTest::keyClicks(edit(), u"first line"_s);
        QTest::keyClick(edit(), Qt::Key_Return, Qt::ShiftModifier);
        edit()->insertPlainText(u"第二行"_s); // keyClicks types Latin-1 only
        QCOMPARE(sent.size(), 0);
        QCOMPARE(m_composer->text(), u"first line\n第二行"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.first().at(0).toString(), u"first line\n第二行"_s);
        // The owner clears it once the send succeeded; until then it stays.
        QCOMPARE(m_composer->text(), u"first line\n第二行"_s);
        QTest::keyClick(edit(), Qt::Key_Enter); // the keypad's Enter too
        QCOMPARE(sent.size(), 2);
    }

    void shouldSendOnCtrlEnterWhenChosen()
    {
        m_composer->setSendKey(Settings::SendKey::CtrlEnter);
        QSignalSpy sent(m_composer.get(), &Composer::sendRequested);
        QTest::keyClicks(edit(), u"one"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        QTest::keyClicks(edit(), u"two"_s);
        QCOMPARE(sent.size(), 0);
        QCOMPARE(m_composer->text(), u"one\ntwo"_s);
        QTest::keyClick(edit(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.first().at(0).toString(), u"one\ntwo"_s);
        QVERIFY(edit()->placeholderText().contains(u"Ctrl+Enter"_s));
    }

    void shouldNotSendNothing()
    {
        QSignalSpy sent(m_composer.get(), &Composer::sendRequested);
        QVERIFY(!button()->isEnabled());
        QTest::keyClicks(edit(), u"   "_s);
        QVERIFY(!button()->isEnabled());
        QTest::keyClick(edit(), Qt::Key_Return);
        QCOMPARE(sent.size(), 0);
        QTest::keyClicks(edit(), u"x"_s);
        QVERIFY(button()->isEnabled());
        QTest::mouseClick(button(), Qt::LeftButton);
        QCOMPARE(sent.size(), 1);
    }

    void shouldTurnSendIntoStopWhileStreaming()
    {
        QSignalSpy sent(m_composer.get(), &Composer::sendRequested);
        QSignalSpy stop(m_composer.get(), &Composer::stopRequested);
        const QString sendText = button()->text();
        m_composer->setStreaming(true);
        QVERIFY(button()->text() != sendText);
        QVERIFY(button()->isEnabled());
        // The next question can be written meanwhile, but not sent.
        QTest::keyClicks(edit(), u"next question"_s);
        QTest::keyClick(edit(), Qt::Key_Return);
        QCOMPARE(sent.size(), 0);
        QCOMPARE(m_composer->text(), u"next question"_s);
        QTest::mouseClick(button(), Qt::LeftButton);
        QCOMPARE(stop.size(), 1);
        m_composer->setStreaming(false);
        QCOMPARE(button()->text(), sendText);
        QTest::mouseClick(button(), Qt::LeftButton);
        QCOMPARE(sent.size(), 1);
    }

    void shouldNotSendTwiceWhileASendIsOnItsWay()
    {
        QSignalSpy sent(m_composer.get(), &Composer::sendRequested);
        QTest::keyClicks(edit(), u"hello"_s);
        m_composer->setSending(true);
        QVERIFY(!button()->isEnabled());
        QTest::keyClick(edit(), Qt::Key_Return);
        QCOMPARE(sent.size(), 0);
        m_composer->setSending(false);
        QTest::keyClick(edit(), Qt::Key_Return);
        QCOMPARE(sent.size(), 1);
    }

    void shouldGrowWithItsTextUpToALimit()
    {
        const int oneLine = edit()->height();
        for (int i = 0; i < 4; ++i)
            QTest::keyClick(edit(), Qt::Key_Return, Qt::ShiftModifier);
        QVERIFY(edit()->height() > oneLine);
        const int fiveLines = edit()->height();
        for (int i = 0; i < 40; ++i)
            QTest::keyClick(edit(), Qt::Key_Return, Qt::ShiftModifier);
        QVERIFY(edit()->height() > fiveLines);
        QVERIFY(edit()->height() < edit()->fontMetrics().lineSpacing() * 12 + 30);
        m_composer->clear();
        QCOMPARE(edit()->height(), oneLine);
    }
};

QTEST_MAIN(ComposerTest)
#include "tst_composer.moc"
