#include "createuserdialog.h"

#include "passworddialog.h"
#include "userlistmodel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>

using namespace Qt::StringLiterals;

namespace confab {

CreateUserDialog::CreateUserDialog(QWidget *parent)
    : QDialog(parent)
    , m_username(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_role(new QComboBox(this))
{
    setWindowTitle(tr("Create user"));
    m_username->setObjectName(u"m_username"_s);
    m_username->setMaxLength(32);
    m_username->setPlaceholderText(tr("3 to 32 characters"));
    m_password->setObjectName(u"m_password"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_role->setObjectName(u"m_role"_s);
    for (const QString &role : {u"user"_s, u"admin"_s})
        m_role->addItem(UserListModel::roleText(role), role);
    auto *rules = new QLabel(PasswordDialog::rulesText(), this);
    rules->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QFormLayout(this);
    layout->addRow(tr("Username:"), m_username);
    layout->addRow(tr("Password:"), m_password);
    layout->addRow(QString(), rules);
    layout->addRow(tr("Role:"), m_role);
    layout->addRow(buttons);
}

QJsonObject CreateUserDialog::request() const
{
    return {{u"username"_s, m_username->text().trimmed()},
            {u"password"_s, m_password->text()},
            {u"role"_s, m_role->currentData().toString()}};
}

} // namespace confab
