#include "userlistmodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QString limitText(const std::optional<qint64> &limit)
{
    return limit ? QLocale().toString(*limit) : UserListModel::tr("Unlimited");
}

} // namespace

void UserListModel::setUsers(QList<AdminUser> users)
{
    beginResetModel();
    m_users = std::move(users);
    endResetModel();
}

int UserListModel::rowOf(const QString &username) const
{
    for (int row = 0; row < m_users.size(); ++row) {
        if (m_users.at(row).username == username)
            return row;
    }
    return -1;
}

QString UserListModel::roleText(const QString &role)
{
    return role == "admin"_L1 ? tr("Administrator") : tr("User");
}

QString UserListModel::statusText(const QString &status)
{
    if (status == "pending"_L1)
        return tr("Pending");
    if (status == "disabled"_L1)
        return tr("Disabled");
    return tr("Active");
}

void UserListModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int UserListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

int UserListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const AdminUser &user = m_users.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() >= DailyRequests)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Username:
        return user.username;
    case Role:
        return roleText(user.role);
    case Status:
        return statusText(user.status);
    case Created:
        return QLocale().toString(user.createdAt.toLocalTime(), QLocale::ShortFormat);
    case DailyRequests:
        return limitText(user.quota.dailyRequests);
    case MonthlyRequests:
        return limitText(user.quota.monthlyRequests);
    case DailyTokens:
        return limitText(user.quota.dailyTokens);
    case MonthlyTokens:
        return limitText(user.quota.monthlyTokens);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant UserListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Username:
        return tr("Username");
    case Role:
        return tr("Role");
    case Status:
        return tr("Status");
    case Created:
        return tr("Created");
    case DailyRequests:
        return tr("Requests / day");
    case MonthlyRequests:
        return tr("Requests / month");
    case DailyTokens:
        return tr("Tokens / day");
    case MonthlyTokens:
        return tr("Tokens / month");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace confab
