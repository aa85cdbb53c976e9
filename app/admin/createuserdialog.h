#pragma once

#include <QDialog>

class QComboBox;
class QLineEdit;

namespace confab {

// Asks for a new account's username, password and role.
class CreateUserDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CreateUserDialog)

public:
    explicit CreateUserDialog(QWidget *parent = nullptr);

    // The body of POST /api/v1/admin/users.
    QJsonObject request() const;

private:
    QLineEdit *m_username;
    QLineEdit *m_password;
    QComboBox *m_role;
};

} // namespace confab
