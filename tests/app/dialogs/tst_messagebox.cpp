#include "dialogs/filedialog.h"
#include "dialogs/messagebox.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

// The seams through which the app asks the user things: tests answer for the user.
class MessageBoxTest final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        MessageBox::clearForTesting();
        FileDialog::clearForTesting();
    }

    void shouldAnswerWithTheQueuedAnswersInOrder()
    {
        MessageBox::setNextAnswerForTesting(QMessageBox::Yes);
        MessageBox::setNextAnswerForTesting(QMessageBox::Discard);
        QCOMPARE(MessageBox::question(nullptr, u"T"_s, u"first?"_s), QMessageBox::Yes);
        QCOMPARE(MessageBox::warning(nullptr, u"T"_s, u"second"_s,
                                     QMessageBox::Discard | QMessageBox::Cancel),
                 QMessageBox::Discard);
        QCOMPARE(MessageBox::askedForTesting(), (QStringList{u"first?"_s, u"second"_s}));
    }

    void shouldDismissWhenNoAnswerIsQueued_data()
    {
        QTest::addColumn<QMessageBox::StandardButtons>("buttons");
        QTest::addColumn<QMessageBox::StandardButton>("expected");
        QTest::newRow("yes/no") << QMessageBox::StandardButtons(QMessageBox::Yes | QMessageBox::No)
                                << QMessageBox::No;
        QTest::newRow("yes/cancel")
            << QMessageBox::StandardButtons(QMessageBox::Yes | QMessageBox::Cancel)
            << QMessageBox::Cancel;
        QTest::newRow("ok") << QMessageBox::StandardButtons(QMessageBox::Ok) << QMessageBox::Ok;
    }

    void shouldDismissWhenNoAnswerIsQueued()
    {
        QFETCH(QMessageBox::StandardButtons, buttons);
        QFETCH(QMessageBox::StandardButton, expected);
        QCOMPARE(MessageBox::question(nullptr, u"T"_s, u"sure?"_s, buttons), expected);
        QCOMPARE(MessageBox::askedForTesting(), QStringList{u"sure?"_s});
    }

    void shouldForgetQueuedAnswersWhenCleared()
    {
        MessageBox::setNextAnswerForTesting(QMessageBox::Yes);
        MessageBox::clearForTesting();
        QCOMPARE(MessageBox::question(nullptr, u"T"_s, u"again?"_s), QMessageBox::No);
    }

    void shouldHandOutQueuedPathsThenCancel()
    {
        FileDialog::setNextPathForTesting(u"/tmp/in.json"_s);
        FileDialog::setNextPathForTesting(u"/tmp/out.json"_s);
        QCOMPARE(FileDialog::openFileName(nullptr, u"Open"_s), u"/tmp/in.json"_s);
        QCOMPARE(FileDialog::saveFileName(nullptr, u"Save"_s, u"x.json"_s), u"/tmp/out.json"_s);
        QCOMPARE(FileDialog::openFileName(nullptr, u"Again"_s), QString());
        QCOMPARE(FileDialog::askedForTesting(), (QStringList{u"Open"_s, u"Save"_s, u"Again"_s}));
    }
};

QTEST_MAIN(MessageBoxTest)
#include "tst_messagebox.moc"
