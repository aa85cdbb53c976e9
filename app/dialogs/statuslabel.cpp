#include "statuslabel.h"

#include "settings/theme.h"
#include "windowfit.h"

#include <QEvent>

namespace confab {

StatusLabel::StatusLabel(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    // Error texts get copied into bug reports and searches.
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setVisible(false);
}

void StatusLabel::showMessage(Kind kind, const QString &text)
{
    m_kind = kind;
    setText(text);
    setVisible(!text.isEmpty());
    applyColour();
    growWindowToFit(window());
}

void StatusLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_colouring)
        applyColour();
}

void StatusLabel::applyColour()
{
    // Our own setPalette() sends a PaletteChange too.
    m_colouring = true;
    // Only the text colour is ours; everything else follows the parent.
    QPalette colours;
    const bool dark = Theme::isDark();
    switch (m_kind) {
    case Kind::Success:
        colours.setColor(QPalette::WindowText,
                         dark ? QColor(0x56, 0xd3, 0x64) : QColor(0x1a, 0x7f, 0x37));
        break;
    case Kind::Error:
        colours.setColor(QPalette::WindowText,
                         dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb3, 0x26, 0x1e));
        break;
    case Kind::Plain:
        break;
    }
    setPalette(colours);
    m_colouring = false;
}

} // namespace confab
