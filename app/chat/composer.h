#pragma once

#include "settings/settings.h"

#include <QDeadlineTimer>
#include <QTimer>
#include <QWidget>

#include <chrono>

class QAbstractButton;
class QHBoxLayout;
class QPlainTextEdit;
class QPushButton;

namespace confab {

// Where the user writes: a multi-line editor that grows with its text up to a limit, Enter
// sends and Shift+Enter starts a new line (or Ctrl+Enter sends, as the user chooses), and a
// Send button that turns into Stop while the conversation streams. The text stays until the
// owner clears it after a successful send, so nothing typed is lost to a failure.
class Composer final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Composer)

public:
    explicit Composer(QWidget *parent = nullptr);
    ~Composer() override;

    QString text() const;
    void setText(const QString &text);
    void clear();

    Settings::SendKey sendKey() const { return m_sendKey; }
    void setSendKey(Settings::SendKey key);
    bool isStreaming() const { return m_streaming; }
    void setStreaming(bool streaming);
    // While a send is on its way: Send is off, the text can still be edited.
    bool isSending() const { return m_sending; }
    void setSending(bool sending);

    // A server's throttle: Send waits this long, counting the seconds down on the button; the
    // text stays and can still be edited.
    void startCooldown(std::chrono::milliseconds wait);
    bool isCoolingDown() const;

    // Sends what is written, as Enter or the Send button do; false when there is nothing to
    // send, the conversation is busy or the cooldown runs.
    bool submit();
    // Adds a button beside Send (the tab's parameters toggle).
    void addButton(QAbstractButton *button);
    QPlainTextEdit *editor() const { return m_edit; }
    QPushButton *sendButton() const { return m_sendButton; }

signals:
    void sendRequested(const QString &text);
    void stopRequested();
    void textChanged();
    // Escape in the editor (the tab leaves editing a message).
    void cancelRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateButton();
    void updateHeight();
    void onButtonClicked();

    QPlainTextEdit *m_edit;
    QPushButton *m_sendButton;
    QHBoxLayout *m_buttons;
    Settings::SendKey m_sendKey = Settings::SendKey::Enter;
    bool m_streaming = false;
    bool m_sending = false;
    QDeadlineTimer m_cooldown;
    QTimer m_cooldownTick;
};

} // namespace confab
