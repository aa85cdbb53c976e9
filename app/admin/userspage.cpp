#include "userspage.h"

#include "adminerror.h"
#include "createuserdialog.h"
#include "dialogs/messagebox.h"
#include "dialogs/statuslabel.h"
#include "passworddialog.h"
#include "quotadialog.h"
#include "remote/serverclient.h"
#include "userlistmodel.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Opens a dialog without blocking (tests fill it in) and runs then with it when accepted.
template<typename Dialog, typename Then>
void openDialog(Dialog *dialog, Then then)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QDialog::accepted, dialog, [dialog, then] { then(*dialog); });
    dialog->open();
}

} // namespace

UsersPage::UsersPage(ServerClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_toolBar(new QToolBar(this))
    , m_search(new QLineEdit(this))
    , m_statusFilter(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_model(new UserListModel(this))
    , m_status(new StatusLabel(this))
    , m_refreshAction(addAction(u"m_refreshAction"_s, &UsersPage::refresh))
    , m_createAction(addAction(u"m_createAction"_s, &UsersPage::createUser))
    , m_approveAction(addAction(u"m_approveAction"_s, &UsersPage::approve))
    , m_disableAction(addAction(u"m_disableAction"_s, &UsersPage::disable))
    , m_enableAction(addAction(u"m_enableAction"_s, &UsersPage::enable))
    , m_resetPasswordAction(addAction(u"m_resetPasswordAction"_s, &UsersPage::resetPassword))
    , m_makeAdminAction(addAction(u"m_makeAdminAction"_s, &UsersPage::makeAdmin))
    , m_makeUserAction(addAction(u"m_makeUserAction"_s, &UsersPage::makeUser))
    , m_roleAction(new QAction(this))
    , m_quotaAction(addAction(u"m_quotaAction"_s, &UsersPage::setQuotas))
    , m_revokeAction(addAction(u"m_revokeAction"_s, &UsersPage::revokeSessions))
    , m_deleteAction(addAction(u"m_deleteAction"_s, &UsersPage::deleteUser))
{
    m_toolBar->setObjectName(u"m_toolBar"_s);
    m_search->setObjectName(u"m_search"_s);
    m_search->setClearButtonEnabled(true);
    m_statusFilter->setObjectName(u"m_statusFilter"_s);
    for (const QString &status : {QString(), u"pending"_s, u"active"_s, u"disabled"_s})
        m_statusFilter->addItem(QString(), status);
    m_table->setObjectName(u"m_table"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_status->setObjectName(u"m_status"_s);

    // The two roles share one menu, so the toolbar fits a narrow panel.
    auto *roleMenu = new QMenu(this);
    roleMenu->addActions({m_makeAdminAction, m_makeUserAction});
    m_roleAction->setMenu(roleMenu);
    const QList<QAction *> userActions{m_approveAction,       m_disableAction, m_enableAction,
                                       m_resetPasswordAction, m_roleAction,    m_quotaAction,
                                       m_revokeAction,        m_deleteAction};
    m_toolBar->addAction(m_createAction);
    m_toolBar->addActions(userActions);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    if (auto *button = qobject_cast<QToolButton *>(m_toolBar->widgetForAction(m_roleAction)))
        button->setPopupMode(QToolButton::InstantPopup);
    m_table->addActions(userActions);

    // Finding someone above, acting on them below, so neither row overflows.
    auto *find = new QHBoxLayout;
    find->addWidget(m_search, 1);
    find->addWidget(m_statusFilter);
    auto *refreshButton = new QToolButton(this);
    refreshButton->setDefaultAction(m_refreshAction);
    find->addWidget(refreshButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(find);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    // A search runs once typing pauses, not on every key.
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(300);
    connect(&m_searchDelay, &QTimer::timeout, this, &UsersPage::refresh);
    connect(m_search, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, &UsersPage::refresh);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &UsersPage::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &UsersPage::updateActions);
    retranslateUi();
    updateActions();
    refresh();
}

bool UsersPage::selectUser(const QString &username)
{
    const int row = m_model->rowOf(username);
    if (row < 0)
        return false;
    m_table->selectRow(row);
    return true;
}

void UsersPage::refresh()
{
    loadPage(QString(), {}, ++m_generation);
}

void UsersPage::loadPage(const QString &cursor, QList<AdminUser> users, int generation)
{
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, u"100"_s);
    if (const QString search = m_search->text().trimmed(); !search.isEmpty())
        query.addQueryItem(u"q"_s, search);
    if (const QString status = m_statusFilter->currentData().toString(); !status.isEmpty())
        query.addQueryItem(u"status"_s, status);
    if (!cursor.isEmpty())
        query.addQueryItem(u"cursor"_s, cursor);
    m_client.get(u"/admin/users"_s, query, this,
                 [this, users = std::move(users), generation](Result<QJsonValue> reply) mutable {
                     // A newer search or filter has taken over.
                     if (generation != m_generation)
                         return;
                     if (!reply)
                         return m_status->showMessage(StatusLabel::Kind::Error,
                                                      AdminError::describe(reply.error()));
                     const QJsonObject page = reply->toObject();
                     for (const QJsonValue &item : page.value("items"_L1).toArray())
                         users.append(AdminUser::fromJson(item.toObject()));
                     const QString next = page.value("next_cursor"_L1).toString();
                     if (!next.isEmpty())
                         return loadPage(next, std::move(users), generation);
                     showUsers(std::move(users));
                 });
}

void UsersPage::showUsers(QList<AdminUser> users)
{
    const auto before = selected();
    m_model->setUsers(std::move(users));
    if (before)
        selectUser(before->username);
    m_table->resizeColumnsToContents();
    emit refreshed();
}

std::optional<AdminUser> UsersPage::selected() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    return m_model->userAt(rows.first().row());
}

void UsersPage::updateActions()
{
    const auto user = selected();
    const QString status = user ? user->status : QString();
    m_approveAction->setEnabled(status == "pending"_L1);
    m_disableAction->setEnabled(user && status != "disabled"_L1);
    m_enableAction->setEnabled(status == "disabled"_L1);
    m_roleAction->setEnabled(user.has_value());
    m_makeAdminAction->setEnabled(user && user->role != "admin"_L1);
    m_makeUserAction->setEnabled(user && user->role == "admin"_L1);
    for (QAction *action : {m_resetPasswordAction, m_quotaAction, m_revokeAction, m_deleteAction})
        action->setEnabled(user.has_value());
}

void UsersPage::createUser()
{
    openDialog(new CreateUserDialog(this), [this](const CreateUserDialog &dialog) {
        const QJsonObject request = dialog.request();
        change("POST", u"/admin/users"_s, request,
               tr("Created the user %1.").arg(request.value("username"_L1).toString()));
    });
}

void UsersPage::approve()
{
    patchSelected({{u"status"_s, u"active"_s}}, tr("Approved %1."));
}

void UsersPage::disable()
{
    patchSelected({{u"status"_s, u"disabled"_s}}, tr("Disabled %1; their sessions ended."));
}

void UsersPage::enable()
{
    patchSelected({{u"status"_s, u"active"_s}}, tr("Enabled %1."));
}

void UsersPage::makeAdmin()
{
    patchSelected({{u"role"_s, u"admin"_s}}, tr("%1 is now an administrator."));
}

void UsersPage::makeUser()
{
    patchSelected({{u"role"_s, u"user"_s}}, tr("%1 is now a regular user."));
}

void UsersPage::deleteUser()
{
    const auto user = selected();
    if (!user)
        return;
    const auto answer = MessageBox::question(
        this, tr("Delete user"),
        tr("Delete %1 with all their conversations? This cannot be undone.").arg(user->username),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        change("DELETE", u"/admin/users/"_s + user->id, QJsonValue(),
               tr("Deleted %1.").arg(user->username));
}

void UsersPage::resetPassword()
{
    const auto user = selected();
    if (!user)
        return;
    openDialog(new PasswordDialog(user->username, this),
               [this, user = *user](const PasswordDialog &dialog) {
                   change("PATCH", u"/admin/users/"_s + user.id,
                          QJsonObject{{u"password"_s, dialog.password()}},
                          tr("Set a new password for %1.").arg(user.username));
               });
}

void UsersPage::setQuotas()
{
    const auto user = selected();
    if (!user)
        return;
    openDialog(new QuotaDialog(*user, this), [this, user = *user](const QuotaDialog &dialog) {
        change("PATCH", u"/admin/users/"_s + user.id,
               QJsonObject{{u"quota"_s, dialog.quota().toJson()}},
               tr("Saved the quotas of %1.").arg(user.username));
    });
}

void UsersPage::revokeSessions()
{
    if (const auto user = selected())
        change("POST", u"/admin/users/%1/revoke"_s.arg(user->id), QJsonObject(),
               tr("Signed %1 out everywhere.").arg(user->username));
}

void UsersPage::patchSelected(const QJsonObject &body, const QString &done)
{
    if (const auto user = selected())
        change("PATCH", u"/admin/users/"_s + user->id, body, done.arg(user->username));
}

void UsersPage::change(const QByteArray &verb, const QString &path, const QJsonValue &body,
                       const QString &done)
{
    m_status->clearMessage();
    m_client.call(verb, path, body, this, [this, done](Result<QJsonValue> reply) {
        if (reply)
            m_status->showMessage(StatusLabel::Kind::Success, done);
        else
            m_status->showMessage(StatusLabel::Kind::Error, AdminError::describe(reply.error()));
        refresh();
    });
}

QAction *UsersPage::addAction(const QString &name, void (UsersPage::*slot)())
{
    auto *action = new QAction(this);
    action->setObjectName(name);
    connect(action, &QAction::triggered, this, slot);
    return action;
}

void UsersPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
}

void UsersPage::retranslateUi()
{
    m_search->setPlaceholderText(tr("Search users"));
    const QStringList filters{tr("All"), tr("Pending"), tr("Active"), tr("Disabled")};
    for (int i = 0; i < filters.size(); ++i)
        m_statusFilter->setItemText(i, filters.at(i));
    m_refreshAction->setText(tr("Refresh"));
    m_createAction->setText(tr("Create user…"));
    m_approveAction->setText(tr("Approve"));
    m_disableAction->setText(tr("Disable"));
    m_enableAction->setText(tr("Enable"));
    m_resetPasswordAction->setText(tr("Reset password…"));
    m_makeAdminAction->setText(tr("Make administrator"));
    m_makeUserAction->setText(tr("Make regular user"));
    m_roleAction->setText(tr("Role"));
    m_quotaAction->setText(tr("Quotas…"));
    m_revokeAction->setText(tr("Sign out everywhere"));
    m_deleteAction->setText(tr("Delete…"));
    m_model->retranslate();
}

} // namespace confab
