#include "windowfit.h"

#include <QLayout>
#include <QPointer>
#include <QTimer>
#include <QWidget>

namespace confab {

void growWindowToFit(QWidget *window)
{
    QTimer::singleShot(0, window, [window = QPointer<QWidget>(window)] {
        QLayout *layout = window ? window->layout() : nullptr;
        if (!layout || !window->isVisible())
            return;
        layout->activate();
        const int needed = layout->hasHeightForWidth()
            ? layout->totalHeightForWidth(window->width())
            : layout->totalSizeHint().height();
        if (needed > window->height())
            window->resize(window->width(), needed);
    });
}

} // namespace confab
