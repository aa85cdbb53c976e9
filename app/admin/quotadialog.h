#pragma once

#include "adminuser.h"

#include <QDialog>

class QLineEdit;

namespace confab {

// Edits a user's daily and monthly request and token limits; an empty field is unlimited.
class QuotaDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuotaDialog)

public:
    QuotaDialog(const AdminUser &user, QWidget *parent = nullptr);

    UserQuota quota() const;

private:
    QLineEdit *addField(const QString &name, const std::optional<qint64> &value);

    QLineEdit *m_dailyRequests;
    QLineEdit *m_monthlyRequests;
    QLineEdit *m_dailyTokens;
    QLineEdit *m_monthlyTokens;
};

} // namespace confab
