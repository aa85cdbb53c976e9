#include "composer.h"

#include <QAbstractButton>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBlock>
#include <QTextDocument>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Grows to this many lines, then scrolls: the conversation stays in view.
constexpr int MaxVisibleLines = 10;

} // namespace

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_sendButton(new QPushButton(this))
    , m_buttons(new QHBoxLayout)
{
    m_edit->setObjectName(u"m_edit"_s);
    m_sendButton->setObjectName(u"m_sendButton"_s);

    m_edit->setTabChangesFocus(true);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_edit->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_edit->installEventFilter(this);
    setFocusProxy(m_edit);

    m_sendButton->setDefault(false);
    m_sendButton->setAutoDefault(false);
    m_sendButton->setFocusPolicy(Qt::TabFocus);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    m_buttons->setSpacing(layout->spacing());
    m_buttons->addWidget(m_sendButton);
    layout->addLayout(m_buttons);
    layout->setAlignment(m_buttons, Qt::AlignBottom);

    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        updateButton();
        updateHeight();
        emit textChanged();
    });
    connect(m_edit->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged,
            this, &Composer::updateHeight);
    connect(m_sendButton, &QPushButton::clicked, this, &Composer::onButtonClicked);
    m_cooldownTick.setInterval(250);
    connect(&m_cooldownTick, &QTimer::timeout, this, [this] {
        if (!isCoolingDown())
            m_cooldownTick.stop();
        retranslate();
        updateButton();
    });

    retranslate();
    updateButton();
    updateHeight();
}

Composer::~Composer() = default;

QString Composer::text() const
{
    return m_edit->toPlainText();
}

void Composer::setText(const QString &text)
{
    m_edit->setPlainText(text);
    m_edit->moveCursor(QTextCursor::End);
}

void Composer::clear()
{
    m_edit->clear();
}

void Composer::setSendKey(Settings::SendKey key)
{
    m_sendKey = key;
    retranslate();
}

void Composer::setStreaming(bool streaming)
{
    m_streaming = streaming;
    retranslate();
    updateButton();
}

void Composer::setSending(bool sending)
{
    m_sending = sending;
    updateButton();
}

void Composer::addButton(QAbstractButton *button)
{
    m_buttons->insertWidget(0, button);
}

void Composer::startCooldown(std::chrono::milliseconds wait)
{
    m_cooldown.setRemainingTime(wait);
    m_cooldownTick.start();
    retranslate();
    updateButton();
}

bool Composer::isCoolingDown() const
{
    return !m_cooldown.hasExpired();
}

bool Composer::submit()
{
    if (m_streaming || m_sending || isCoolingDown())
        return false;
    const QString text = m_edit->toPlainText();
    if (text.trimmed().isEmpty())
        return false;
    emit sendRequested(text);
    return true;
}

void Composer::onButtonClicked()
{
    if (m_streaming)
        emit stopRequested();
    else
        submit();
}

void Composer::updateButton()
{
    if (m_streaming) {
        m_sendButton->setEnabled(true);
        return;
    }
    m_sendButton->setEnabled(!m_sending && !isCoolingDown()
                             && !m_edit->toPlainText().trimmed().isEmpty());
}

void Composer::updateHeight()
{
    const QFontMetrics metrics(m_edit->font());
    // Visual lines (wrapped), not paragraphs: a long pasted line grows the editor too.
    int lines = 0;
    for (QTextBlock block = m_edit->document()->begin(); block.isValid(); block = block.next())
        lines += std::max(1, block.layout() ? block.layout()->lineCount() : 1);
    lines = std::clamp(lines, 2, MaxVisibleLines);
    const int frame = m_edit->frameWidth() * 2;
    const int margins = int(std::ceil(m_edit->document()->documentMargin() * 2))
        + m_edit->contentsMargins().top() + m_edit->contentsMargins().bottom();
    const int height = lines * metrics.lineSpacing() + frame + margins;
    if (m_edit->height() != height || m_edit->minimumHeight() != height)
        m_edit->setFixedHeight(height);
}

void Composer::retranslate()
{
    if (m_streaming) {
        m_sendButton->setText(tr("Stop"));
        m_sendButton->setToolTip(tr("Stop the answer; what was written so far is kept"));
    } else if (isCoolingDown()) {
        const int seconds = int(std::ceil(double(m_cooldown.remainingTime()) / 1000.0));
        m_sendButton->setText(tr("Send in %n s", nullptr, std::max(1, seconds)));
        m_sendButton->setToolTip(tr("The server allows one message every few seconds"));
    } else {
        m_sendButton->setText(tr("Send"));
        m_sendButton->setToolTip(QString());
    }
    m_edit->setPlaceholderText(m_sendKey == Settings::SendKey::Enter
                                   ? tr("Message (Enter to send, Shift+Enter for a new line)")
                                   : tr("Message (Ctrl+Enter to send, Enter for a new line)"));
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            emit cancelRequested();
            return false;
        }
        if (key->key() != Qt::Key_Return && key->key() != Qt::Key_Enter)
            return false;
        const Qt::KeyboardModifiers modifiers = key->modifiers()
            & (Qt::ShiftModifier | Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier);
        const bool sends = m_sendKey == Settings::SendKey::Enter
            ? (modifiers == Qt::NoModifier || modifiers == Qt::ControlModifier)
            : modifiers == Qt::ControlModifier;
        if (sends) {
            // Enter while streaming or with nothing written does nothing rather than adding a
            // line the user did not ask for.
            submit();
            return true;
        }
        if (modifiers == Qt::ShiftModifier || modifiers == Qt::NoModifier) {
            // Shift+Enter would insert a line separator (U+2028); a paragraph is what is meant.
            m_edit->textCursor().insertBlock();
            m_edit->ensureCursorVisible();
            return true;
        }
        return false;
    }
    return QWidget::eventFilter(watched, event);
}

void Composer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    if (event->type() == QEvent::FontChange)
        updateHeight();
    QWidget::changeEvent(event);
}

} // namespace confab
