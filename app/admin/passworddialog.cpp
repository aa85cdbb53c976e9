#include "passworddialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

using namespace Qt::StringLiterals;

namespace confab {

PasswordDialog::PasswordDialog(const QString &username, QWidget *parent)
    : QDialog(parent)
    , m_password(new QLineEdit(this))
{
    setWindowTitle(tr("Reset password of %1").arg(username));
    m_password->setObjectName(u"m_password"_s);
    m_password->setEchoMode(QLineEdit::Password);
    auto *rules = new QLabel(rulesText() + u'\n' + tr("Every session of the account ends."), this);
    rules->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QFormLayout(this);
    layout->addRow(tr("New password:"), m_password);
    layout->addRow(QString(), rules);
    layout->addRow(buttons);
}

QString PasswordDialog::password() const
{
    return m_password->text();
}

QString PasswordDialog::rulesText()
{
    return tr("8 to 128 characters; not a common password and not the username.");
}

} // namespace confab
