#pragma once

#include "adminuser.h"

#include <QTimer>
#include <QWidget>

#include <optional>

class QAction;
class QComboBox;
class QJsonArray;
class QJsonValue;
class QLineEdit;
class QTableView;
class QToolBar;

namespace confab {

class ServerClient;
class StatusLabel;
class UserListModel;

// The accounts of the server: a searchable, filterable table, and the admin's actions on the
// selected account (toolbar and context menu). Each action's outcome shows under the table,
// and the list reloads after every change.
class UsersPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsersPage)

public:
    explicit UsersPage(ServerClient &client, QWidget *parent = nullptr);

    UserListModel *model() const { return m_model; }
    // Selects the listed user with this name; false when not listed.
    bool selectUser(const QString &username);

public slots:
    void refresh();
    void createUser();
    void approve();
    void disable();
    void enable();
    void deleteUser();
    void resetPassword();
    void makeAdmin();
    void makeUser();
    void setQuotas();
    void revokeSessions();

signals:
    // The table was reloaded from the server.
    void refreshed();

protected:
    void changeEvent(QEvent *event) override;

private:
    QAction *addAction(const QString &name, void (UsersPage::*slot)());
    void retranslateUi();
    void loadPage(const QString &cursor, QList<AdminUser> users, int generation);
    void showUsers(QList<AdminUser> users);
    std::optional<AdminUser> selected() const;
    void updateActions();
    void patchSelected(const QJsonObject &body, const QString &done);
    // Sends a change, then shows done (or the server's error) and reloads the list.
    void change(const QByteArray &verb, const QString &path, const QJsonValue &body,
                const QString &done);

    ServerClient &m_client;
    QToolBar *m_toolBar;
    QLineEdit *m_search;
    QComboBox *m_statusFilter;
    QTableView *m_table;
    UserListModel *m_model;
    StatusLabel *m_status;
    QTimer m_searchDelay;
    int m_generation = 0;
    QAction *m_refreshAction;
    QAction *m_createAction;
    QAction *m_approveAction;
    QAction *m_disableAction;
    QAction *m_enableAction;
    QAction *m_resetPasswordAction;
    QAction *m_makeAdminAction;
    QAction *m_makeUserAction;
    QAction *m_roleAction;
    QAction *m_quotaAction;
    QAction *m_revokeAction;
    QAction *m_deleteAction;
};

} // namespace confab
