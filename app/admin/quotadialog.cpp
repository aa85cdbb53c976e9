#include "quotadialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QRegularExpressionValidator>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

std::optional<qint64> limitOf(const QLineEdit *field)
{
    bool ok = false;
    const qint64 limit = field->text().toLongLong(&ok);
    return ok ? std::optional<qint64>(limit) : std::nullopt;
}

} // namespace

QuotaDialog::QuotaDialog(const AdminUser &user, QWidget *parent)
    : QDialog(parent)
    , m_dailyRequests(addField(u"m_dailyRequests"_s, user.quota.dailyRequests))
    , m_monthlyRequests(addField(u"m_monthlyRequests"_s, user.quota.monthlyRequests))
    , m_dailyTokens(addField(u"m_dailyTokens"_s, user.quota.dailyTokens))
    , m_monthlyTokens(addField(u"m_monthlyTokens"_s, user.quota.monthlyTokens))
{
    setWindowTitle(tr("Quotas of %1").arg(user.username));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QFormLayout(this);
    layout->addRow(tr("Requests per day:"), m_dailyRequests);
    layout->addRow(tr("Requests per month:"), m_monthlyRequests);
    layout->addRow(tr("Tokens per day:"), m_dailyTokens);
    layout->addRow(tr("Tokens per month:"), m_monthlyTokens);
    layout->addRow(buttons);
}

UserQuota QuotaDialog::quota() const
{
    return {limitOf(m_dailyRequests), limitOf(m_monthlyRequests), limitOf(m_dailyTokens),
            limitOf(m_monthlyTokens)};
}

QLineEdit *QuotaDialog::addField(const QString &name, const std::optional<qint64> &value)
{
    auto *field = new QLineEdit(value ? QString::number(*value) : QString(), this);
    field->setObjectName(name);
    field->setPlaceholderText(tr("Unlimited"));
    // The server takes whole numbers up to 10^15.
    field->setValidator(new QRegularExpressionValidator(QRegularExpression(u"\\d{0,15}"_s), field));
    return field;
}

} // namespace confab
