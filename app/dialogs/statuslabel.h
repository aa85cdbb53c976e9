#pragma once

#include <QLabel>

namespace confab {

// An inline message under a form (a check's result, why something failed), coloured for
// success or error in a way that stays readable in the light and the dark theme.
class StatusLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusLabel)

public:
    enum class Kind { Plain, Success, Error };

    explicit StatusLabel(QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    // Shows text (hidden when empty).
    void showMessage(Kind kind, const QString &text);
    void clearMessage() { showMessage(Kind::Plain, QString()); }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColour();

    Kind m_kind = Kind::Plain;
    bool m_colouring = false;
};

} // namespace confab
