#pragma once

#include <QDialog>

class QDialogButtonBox;

namespace confab {

class ConnectionEditor;

// A connection being added or edited from the settings: the ConnectionEditor with OK and
// Cancel. It only collects; the settings dialog stores the result.
class ConnectionDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionDialog)

public:
    explicit ConnectionDialog(QWidget *parent = nullptr);

    ConnectionEditor *editor() const { return m_editor; }

private:
    void updateButtons();

    ConnectionEditor *m_editor = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace confab
