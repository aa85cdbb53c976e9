#include "adminpanel.h"

#include "presetspage.h"
#include "remote/serverclient.h"
#include "settingspage.h"
#include "usagepage.h"
#include "userspage.h"

#include <QEvent>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace confab {

AdminPanel::AdminPanel(ServerClient &client, QWidget *parent)
    : QWidget(parent)
    , m_serverName(client.serverUrl().authority())
    , m_tabs(new QTabWidget(this))
    , m_usersPage(new UsersPage(client, this))
    , m_usagePage(new UsagePage(client, this))
    , m_presetsPage(new PresetsPage(client, this))
    , m_settingsPage(new SettingsPage(client, this))
{
    m_tabs->setObjectName(u"m_tabs"_s);
    m_usersPage->setObjectName(u"m_usersPage"_s);
    m_usagePage->setObjectName(u"m_usagePage"_s);
    m_presetsPage->setObjectName(u"m_presetsPage"_s);
    m_settingsPage->setObjectName(u"m_settingsPage"_s);
    for (QWidget *page :
         std::initializer_list<QWidget *>{m_usersPage, m_usagePage, m_presetsPage, m_settingsPage})
        m_tabs->addTab(page, QString());
    // Usage moves with every request: show it as it is when the tab is opened.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_tabs->widget(index) == m_usagePage)
            m_usagePage->refresh();
    });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    resize(900, 560);
    retranslateUi();
}

void AdminPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
}

void AdminPanel::retranslateUi()
{
    setWindowTitle(tr("Administer %1").arg(m_serverName));
    m_tabs->setTabText(0, tr("Users"));
    m_tabs->setTabText(1, tr("Usage"));
    m_tabs->setTabText(2, tr("Presets"));
    m_tabs->setTabText(3, tr("Server settings"));
}

} // namespace confab
