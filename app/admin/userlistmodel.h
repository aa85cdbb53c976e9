#pragma once

#include "adminuser.h"

#include <QAbstractTableModel>

namespace confab {

// The accounts of the users page, one row each: name, role, status, creation and quotas.
class UserListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UserListModel)

public:
    enum Column {
        Username,
        Role,
        Status,
        Created,
        DailyRequests,
        MonthlyRequests,
        DailyTokens,
        MonthlyTokens,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setUsers(QList<AdminUser> users);
    const QList<AdminUser> &users() const { return m_users; }
    const AdminUser &userAt(int row) const { return m_users.at(row); }
    // The row of the user with this name, or -1.
    int rowOf(const QString &username) const;

    // The words the panel shows for a role and a status.
    static QString roleText(const QString &role);
    static QString statusText(const QString &status);

    // Shows the words again in the language now installed, keeping the selection.
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<AdminUser> m_users;
};

} // namespace confab
