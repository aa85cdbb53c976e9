#pragma once

#include <QMessageBox>
#include <QStringList>

namespace confab {

// The app's only way to ask the user something in a modal box. Normally a QMessageBox; a test
// queues the answers instead and reads back what was asked, so no modal loop blocks it
// (KeePassXC's MessageBox seam).
class MessageBox
{
public:
    using Button = QMessageBox::StandardButton;
    using Buttons = QMessageBox::StandardButtons;

    static Button question(QWidget *parent, const QString &title, const QString &text,
                           Buttons buttons = Buttons(QMessageBox::Yes | QMessageBox::No),
                           Button defaultButton = QMessageBox::NoButton);
    static Button warning(QWidget *parent, const QString &title, const QString &text,
                          Buttons buttons = QMessageBox::Ok,
                          Button defaultButton = QMessageBox::NoButton);
    static Button information(QWidget *parent, const QString &title, const QString &text,
                              Buttons buttons = QMessageBox::Ok,
                              Button defaultButton = QMessageBox::NoButton);

    // From now on no box is shown: each call takes the next queued answer, or, with none
    // queued, the answer that dismisses the box (Cancel, No, Ok...), as Escape would.
    static void setNextAnswerForTesting(Button answer);
    // The texts asked since testing began (or since the last clear), oldest first.
    static QStringList askedForTesting();
    // Forgets queued answers and asked texts; boxes stay suppressed.
    static void clearForTesting();

private:
    static Button ask(QMessageBox::Icon icon, QWidget *parent, const QString &title,
                      const QString &text, Buttons buttons, Button defaultButton);
};

} // namespace confab
