#include "noticebar.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace confab {

NoticeBar::NoticeBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_action(new QPushButton(this))
{
    m_label->setObjectName(u"m_label"_s);
    m_action->setObjectName(u"m_action"_s);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);

    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_action);
    connect(m_action, &QPushButton::clicked, this, &NoticeBar::actionTriggered);
    applyPalette();
    hide();
}

void NoticeBar::showNotice(const QString &text, const QString &actionText)
{
    m_label->setText(text);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    show();
}

void NoticeBar::clearNotice()
{
    m_label->clear();
    hide();
}

QString NoticeBar::text() const
{
    return isVisible() || !isHidden() ? m_label->text() : QString();
}

void NoticeBar::applyPalette()
{
    // The highlight colour, softened: noticeable in the light and the dark theme alike.
    QPalette palette = QApplication::palette(this);
    QColor background = palette.color(QPalette::Highlight);
    background.setAlpha(60);
    palette.setColor(QPalette::Window, background);
    setPalette(palette);
}

void NoticeBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && !m_applyingPalette) {
        m_applyingPalette = true; // setPalette() sends this event again
        applyPalette();
        m_applyingPalette = false;
    }
    QFrame::changeEvent(event);
}

} // namespace confab
