#include "messagebox.h"

#include <QQueue>

namespace confab {

namespace {

struct TestingState
{
    bool active = false;
    QQueue<MessageBox::Button> answers;
    QStringList asked;
};

TestingState &testing()
{
    static TestingState state;
    return state;
}

// What Escape would answer: the most cautious button offered.
MessageBox::Button dismissingButton(MessageBox::Buttons buttons)
{
    for (auto button : {QMessageBox::Cancel, QMessageBox::No, QMessageBox::Abort,
                        QMessageBox::Close, QMessageBox::Ignore, QMessageBox::Ok}) {
        if (buttons.testFlag(button))
            return button;
    }
    return QMessageBox::NoButton;
}

} // namespace

MessageBox::Button MessageBox::question(QWidget *parent, const QString &title, const QString &text,
                                        Buttons buttons, Button defaultButton)
{
    return ask(QMessageBox::Question, parent, title, text, buttons, defaultButton);
}

MessageBox::Button MessageBox::warning(QWidget *parent, const QString &title, const QString &text,
                                       Buttons buttons, Button defaultButton)
{
    return ask(QMessageBox::Warning, parent, title, text, buttons, defaultButton);
}

MessageBox::Button MessageBox::information(QWidget *parent, const QString &title,
                                           const QString &text, Buttons buttons,
                                           Button defaultButton)
{
    return ask(QMessageBox::Information, parent, title, text, buttons, defaultButton);
}

void MessageBox::setNextAnswerForTesting(Button answer)
{
    testing().active = true;
    testing().answers.enqueue(answer);
}

QStringList MessageBox::askedForTesting()
{
    return testing().asked;
}

void MessageBox::clearForTesting()
{
    testing().active = true;
    testing().answers.clear();
    testing().asked.clear();
}

MessageBox::Button MessageBox::ask(QMessageBox::Icon icon, QWidget *parent, const QString &title,
                                   const QString &text, Buttons buttons, Button defaultButton)
{
    TestingState &state = testing();
    if (state.active) {
        state.asked.append(text);
        return state.answers.isEmpty() ? dismissingButton(buttons) : state.answers.dequeue();
    }
    QMessageBox box(icon, title, text, buttons, parent);
    if (defaultButton != QMessageBox::NoButton)
        box.setDefaultButton(defaultButton);
    const int answer = box.exec();
    return box.clickedButton() ? Button(answer) : dismissingButton(buttons);
}

} // namespace confab
