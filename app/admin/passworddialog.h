#pragma once

#include <QDialog>

class QLineEdit;

namespace confab {

// Asks for a new password for a user (an admin's reset), with the server's rules shown.
class PasswordDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PasswordDialog)

public:
    PasswordDialog(const QString &username, QWidget *parent = nullptr);

    QString password() const;
    // The server's password rules (DESIGN.md 4), for every form that sets a password.
    static QString rulesText();

private:
    QLineEdit *m_password;
};

} // namespace confab
