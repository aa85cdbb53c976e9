#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace confab {

// A bar across the top of the window for something that concerns the whole window rather than
// one conversation ("signed in elsewhere"), with one button to act on it. Hidden when empty.
class NoticeBar final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoticeBar)

public:
    explicit NoticeBar(QWidget *parent = nullptr);

    void showNotice(const QString &text, const QString &actionText);
    void clearNotice();
    QString text() const;
    QPushButton *actionButton() const { return m_action; }

signals:
    void actionTriggered();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();

    QLabel *m_label;
    QPushButton *m_action;
    bool m_applyingPalette = false;
};

} // namespace confab
