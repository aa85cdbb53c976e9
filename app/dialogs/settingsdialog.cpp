#include "settingsdialog.h"

#include "api/providerpresets.h"
#include "connectiondialog.h"
#include "connectioneditor.h"
#include "messagebox.h"
#include "secrets/secretstore.h"
#include "statuslabel.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QUuid>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QString providerName(const Connection &connection)
{
    if (connection.kind == Connection::Kind::Server)
        return SettingsDialog::tr("Team server");
    if (connection.providerId == "custom"_L1)
        return connection.baseUrl.host();
    const auto preset = ProviderPresets::find(connection.providerId);
    return preset ? preset->name : connection.providerId;
}

QWidget *page(QWidget *parent, const QString &name)
{
    auto *widget = new QWidget(parent);
    widget->setObjectName(name);
    return widget;
}

} // namespace

SettingsDialog::SettingsDialog(Settings &settings, SecretStore &secrets, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_secrets(secrets)
{
    setMinimumSize(680, 440);

    m_pages = new QListWidget(this);
    m_pages->setObjectName(u"m_pages"_s);
    m_pages->setSelectionMode(QAbstractItemView::SingleSelection);
    m_pages->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_pages->setSpacing(3);
    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(u"m_stack"_s);
    m_stack->addWidget(createConnectionsPage());
    m_stack->addWidget(createAppearancePage());
    m_stack->addWidget(createChatPage());
    m_stack->addWidget(createNetworkPage());
    for (int i = 0; i < m_stack->count(); ++i)
        m_pages->addItem(QString());

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_buttons->setObjectName(u"m_buttons"_s);

    auto *body = new QHBoxLayout;
    body->setSpacing(16);
    body->addWidget(m_pages);
    body->addWidget(m_stack, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(body, 1);
    layout->addWidget(m_buttons);

    connect(m_pages, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(&m_settings, &Settings::connectionsChanged, this, &SettingsDialog::reloadConnections);

    retranslateUi();
    loadFromSettings();
    m_pages->setCurrentRow(0);
}

SettingsDialog::~SettingsDialog()
{
    // Otherwise the open connection dialog dies among our children, and its destroyed()
    // reaches a SettingsDialog that is half gone.
    if (m_connectionDialog) {
        disconnect(m_connectionDialog, nullptr, this, nullptr);
        delete m_connectionDialog.data();
    }
}

void SettingsDialog::showPage(Page page)
{
    m_pages->setCurrentRow(int(page));
}

SettingsDialog::Page SettingsDialog::currentPage() const
{
    return Page(m_stack->currentIndex());
}

QWidget *SettingsDialog::createConnectionsPage()
{
    QWidget *connections = page(this, u"connectionsPage"_s);
    m_connectionsIntro = new QLabel(connections);
    m_connectionsIntro->setObjectName(u"m_connectionsIntro"_s);
    m_connectionsIntro->setWordWrap(true);
    m_connectionList = new QListWidget(connections);
    m_connectionList->setObjectName(u"m_connectionList"_s);
    m_addConnection = new QPushButton(connections);
    m_addConnection->setObjectName(u"m_addConnection"_s);
    m_editConnection = new QPushButton(connections);
    m_editConnection->setObjectName(u"m_editConnection"_s);
    m_removeConnection = new QPushButton(connections);
    m_removeConnection->setObjectName(u"m_removeConnection"_s);
    m_makeActive = new QPushButton(connections);
    m_makeActive->setObjectName(u"m_makeActive"_s);
    m_connectionsStatus = new StatusLabel(connections);
    m_connectionsStatus->setObjectName(u"m_connectionsStatus"_s);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_addConnection);
    buttons->addWidget(m_editConnection);
    buttons->addWidget(m_removeConnection);
    buttons->addSpacing(12);
    buttons->addWidget(m_makeActive);
    buttons->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_connectionList, 1);
    row->addLayout(buttons);
    auto *layout = new QVBoxLayout(connections);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_connectionsIntro);
    layout->addLayout(row, 1);
    layout->addWidget(m_connectionsStatus);

    connect(m_addConnection, &QPushButton::clicked, this, &SettingsDialog::addConnection);
    connect(m_editConnection, &QPushButton::clicked, this, &SettingsDialog::editConnection);
    connect(m_removeConnection, &QPushButton::clicked, this, &SettingsDialog::removeConnection);
    connect(m_makeActive, &QPushButton::clicked, this, &SettingsDialog::makeConnectionActive);
    connect(m_connectionList, &QListWidget::itemDoubleClicked, this,
            &SettingsDialog::editConnection);
    connect(m_connectionList, &QListWidget::currentRowChanged, this,
            &SettingsDialog::updateConnectionButtons);
    return connections;
}

QWidget *SettingsDialog::createAppearancePage()
{
    QWidget *appearance = page(this, u"appearancePage"_s);
    m_language = new QComboBox(appearance);
    m_language->setObjectName(u"m_language"_s);
    // Each language in its own words, so a user who cannot read the current one finds theirs.
    m_language->addItem(QString(), QString());
    m_language->addItem(u"English"_s, u"en"_s);
    m_language->addItem(u"简体中文"_s, u"zh_CN"_s);
    m_theme = new QComboBox(appearance);
    m_theme->setObjectName(u"m_theme"_s);
    for (auto theme : {Settings::Theme::System, Settings::Theme::Light, Settings::Theme::Dark})
        m_theme->addItem(QString(), QVariant::fromValue(theme));
    m_fontSize = new QSpinBox(appearance);
    m_fontSize->setObjectName(u"m_fontSize"_s);
    m_fontSize->setRange(0, 48);
    m_fontSize->setMinimumWidth(140); // room for the "system" text in every language
    m_fontSize->setKeyboardTracking(false);

    m_languageLabel = new QLabel(appearance);
    m_languageLabel->setObjectName(u"m_languageLabel"_s);
    m_languageLabel->setBuddy(m_language);
    m_themeLabel = new QLabel(appearance);
    m_themeLabel->setObjectName(u"m_themeLabel"_s);
    m_themeLabel->setBuddy(m_theme);
    m_fontSizeLabel = new QLabel(appearance);
    m_fontSizeLabel->setObjectName(u"m_fontSizeLabel"_s);
    m_fontSizeLabel->setBuddy(m_fontSize);

    auto *form = new QFormLayout(appearance);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->addRow(m_languageLabel, m_language);
    form->addRow(m_themeLabel, m_theme);
    form->addRow(m_fontSizeLabel, m_fontSize);

    connect(m_language, &QComboBox::currentIndexChanged, this,
            [this] { m_settings.setLanguage(m_language->currentData().toString()); });
    connect(m_theme, &QComboBox::currentIndexChanged, this,
            [this] { m_settings.setTheme(m_theme->currentData().value<Settings::Theme>()); });
    connect(m_fontSize, &QSpinBox::valueChanged, this,
            [this](int points) { m_settings.setFontSize(points); });
    return appearance;
}

QWidget *SettingsDialog::createChatPage()
{
    QWidget *chat = page(this, u"chatPage"_s);
    m_sendKeyGroup = new QGroupBox(chat);
    m_sendKeyGroup->setObjectName(u"m_sendKeyGroup"_s);
    m_sendWithEnter = new QRadioButton(m_sendKeyGroup);
    m_sendWithEnter->setObjectName(u"m_sendWithEnter"_s);
    m_sendWithCtrlEnter = new QRadioButton(m_sendKeyGroup);
    m_sendWithCtrlEnter->setObjectName(u"m_sendWithCtrlEnter"_s);
    auto *group = new QVBoxLayout(m_sendKeyGroup);
    group->addWidget(m_sendWithEnter);
    group->addWidget(m_sendWithCtrlEnter);
    auto *layout = new QVBoxLayout(chat);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_sendKeyGroup);
    layout->addStretch(1);

    connect(m_sendWithEnter, &QRadioButton::toggled, this, [this](bool enter) {
        m_settings.setSendKey(enter ? Settings::SendKey::Enter : Settings::SendKey::CtrlEnter);
    });
    return chat;
}

QWidget *SettingsDialog::createNetworkPage()
{
    QWidget *network = page(this, u"networkPage"_s);
    m_proxyGroup = new QGroupBox(network);
    m_proxyGroup->setObjectName(u"m_proxyGroup"_s);
    m_proxySystem = new QRadioButton(m_proxyGroup);
    m_proxySystem->setObjectName(u"m_proxySystem"_s);
    m_proxyNone = new QRadioButton(m_proxyGroup);
    m_proxyNone->setObjectName(u"m_proxyNone"_s);
    m_proxyManual = new QRadioButton(m_proxyGroup);
    m_proxyManual->setObjectName(u"m_proxyManual"_s);
    m_proxyMode = new QButtonGroup(this);
    m_proxyMode->setObjectName(u"m_proxyMode"_s);
    m_proxyMode->addButton(m_proxySystem, int(Settings::ProxyMode::System));
    m_proxyMode->addButton(m_proxyNone, int(Settings::ProxyMode::None));
    m_proxyMode->addButton(m_proxyManual, int(Settings::ProxyMode::Manual));

    m_proxyHost = new QLineEdit(m_proxyGroup);
    m_proxyHost->setObjectName(u"m_proxyHost"_s);
    m_proxyHost->setPlaceholderText(u"proxy.example.com"_s);
    m_proxyPort = new QSpinBox(m_proxyGroup);
    m_proxyPort->setObjectName(u"m_proxyPort"_s);
    m_proxyPort->setRange(1, 65535);
    m_proxyPort->setKeyboardTracking(false);
    m_proxyHostLabel = new QLabel(m_proxyGroup);
    m_proxyHostLabel->setObjectName(u"m_proxyHostLabel"_s);
    m_proxyHostLabel->setBuddy(m_proxyHost);
    m_proxyPortLabel = new QLabel(m_proxyGroup);
    m_proxyPortLabel->setObjectName(u"m_proxyPortLabel"_s);
    m_proxyPortLabel->setBuddy(m_proxyPort);
    m_proxyStatus = new StatusLabel(network);
    m_proxyStatus->setObjectName(u"m_proxyStatus"_s);

    auto *manual = new QHBoxLayout;
    // Indented under "Manual", to which the fields belong.
    manual->addSpacing(24);
    manual->addWidget(m_proxyHostLabel);
    manual->addWidget(m_proxyHost, 1);
    manual->addWidget(m_proxyPortLabel);
    manual->addWidget(m_proxyPort);
    auto *group = new QVBoxLayout(m_proxyGroup);
    group->addWidget(m_proxySystem);
    group->addWidget(m_proxyNone);
    group->addWidget(m_proxyManual);
    group->addLayout(manual);
    auto *layout = new QVBoxLayout(network);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_proxyGroup);
    layout->addWidget(m_proxyStatus);
    layout->addStretch(1);

    connect(m_proxyMode, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (!checked)
            return;
        updateProxyFields();
        applyProxy();
    });
    connect(m_proxyHost, &QLineEdit::editingFinished, this, &SettingsDialog::applyProxy);
    connect(m_proxyPort, &QSpinBox::valueChanged, this, &SettingsDialog::applyProxy);
    return network;
}

void SettingsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void SettingsDialog::done(int result)
{
    // A host typed but not yet confirmed with Enter or Tab still counts.
    applyProxy();
    QDialog::done(result);
}

void SettingsDialog::retranslateUi()
{
    setWindowTitle(tr("Settings"));
    const QStringList pageNames{tr("Connections"), tr("Appearance"), tr("Chat"), tr("Network")};
    int widest = 0;
    for (int i = 0; i < pageNames.size(); ++i) {
        m_pages->item(i)->setText(pageNames.at(i));
        widest = qMax(widest, m_pages->fontMetrics().horizontalAdvance(pageNames.at(i)));
    }
    m_pages->setFixedWidth(widest + 48);

    m_connectionsIntro->setText(tr("The providers Confab can talk to. New conversations use "
                                   "the active one; API keys are kept in the secret store."));
    m_addConnection->setText(tr("&Add…"));
    m_editConnection->setText(tr("&Edit…"));
    m_removeConnection->setText(tr("&Remove"));
    m_makeActive->setText(tr("Make &active"));

    m_languageLabel->setText(tr("&Language:"));
    m_language->setItemText(0, tr("System default"));
    m_themeLabel->setText(tr("&Theme:"));
    m_theme->setItemText(0, tr("System"));
    m_theme->setItemText(1, tr("Light"));
    m_theme->setItemText(2, tr("Dark"));
    m_fontSizeLabel->setText(tr("Message &font size:"));
    m_fontSize->setSpecialValueText(tr("System default"));
    m_fontSize->setSuffix(tr(" pt"));

    m_sendKeyGroup->setTitle(tr("Sending messages"));
    m_sendWithEnter->setText(tr("Enter sends; Shift+Enter starts a new line"));
    m_sendWithCtrlEnter->setText(
        tr("%1 sends; Enter starts a new line")
            .arg(QKeySequence(Qt::CTRL | Qt::Key_Enter).toString(QKeySequence::NativeText)));

    m_proxyGroup->setTitle(tr("Proxy"));
    m_proxySystem->setText(tr("Use the system's proxy settings"));
    m_proxyNone->setText(tr("No proxy"));
    m_proxyManual->setText(tr("Manual HTTP proxy"));
    m_proxyHostLabel->setText(tr("&Host:"));
    m_proxyPortLabel->setText(tr("&Port:"));
    reloadConnections();
}

void SettingsDialog::loadFromSettings()
{
    const QSignalBlocker language(m_language);
    const QSignalBlocker theme(m_theme);
    const QSignalBlocker fontSize(m_fontSize);
    const QSignalBlocker sendEnter(m_sendWithEnter);
    const QSignalBlocker sendCtrlEnter(m_sendWithCtrlEnter);
    const QSignalBlocker proxyMode(m_proxyMode);
    const QSignalBlocker proxyPort(m_proxyPort);

    m_language->setCurrentIndex(qMax(0, m_language->findData(m_settings.language())));
    m_theme->setCurrentIndex(qMax(0, m_theme->findData(QVariant::fromValue(m_settings.theme()))));
    m_fontSize->setValue(m_settings.fontSize());
    if (m_settings.sendKey() == Settings::SendKey::Enter)
        m_sendWithEnter->setChecked(true);
    else
        m_sendWithCtrlEnter->setChecked(true);
    m_proxyMode->button(int(m_settings.proxyMode()))->setChecked(true);
    m_proxyHost->setText(m_settings.proxyHost());
    m_proxyPort->setValue(m_settings.proxyPort());
    updateProxyFields();
    reloadConnections();
}

void SettingsDialog::reloadConnections()
{
    const QString selected = selectedConnectionId();
    const QString active = m_settings.activeConnection().value_or(Connection()).id;
    m_connectionList->clear();
    for (const Connection &connection : m_settings.connections()) {
        QString text = connection.model.isEmpty()
            ? tr("%1 — %2").arg(connection.name, providerName(connection))
            : tr("%1 — %2, %3").arg(connection.name, providerName(connection), connection.model);
        auto *item = new QListWidgetItem(m_connectionList);
        item->setData(Qt::UserRole, connection.id);
        if (connection.id == active) {
            text = tr("%1 (active)").arg(text);
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
        }
        item->setText(text);
        if (connection.id == selected)
            m_connectionList->setCurrentItem(item);
    }
    if (!m_connectionList->currentItem() && m_connectionList->count() > 0)
        m_connectionList->setCurrentRow(0);
    updateConnectionButtons();
}

void SettingsDialog::updateConnectionButtons()
{
    const QString id = selectedConnectionId();
    const bool busy = !m_connectionDialog.isNull();
    bool editable = false;
    for (const Connection &connection : m_settings.connections()) {
        if (connection.id == id)
            editable = connection.kind == Connection::Kind::Provider;
    }
    m_addConnection->setEnabled(!busy);
    m_editConnection->setEnabled(!busy && editable);
    m_removeConnection->setEnabled(!busy && !id.isEmpty());
    m_makeActive->setEnabled(!id.isEmpty()
                             && id != m_settings.activeConnection().value_or(Connection()).id);
}

QString SettingsDialog::selectedConnectionId() const
{
    const QListWidgetItem *item = m_connectionList->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void SettingsDialog::addConnection()
{
    if (m_connectionDialog)
        return;
    m_connectionsStatus->clearMessage();
    openConnectionDialog(Connection(), QString());
}

void SettingsDialog::editConnection()
{
    const QString id = selectedConnectionId();
    if (m_connectionDialog || id.isEmpty())
        return;
    std::optional<Connection> found;
    for (const Connection &connection : m_settings.connections()) {
        if (connection.id == id && connection.kind == Connection::Kind::Provider)
            found = connection;
    }
    if (!found)
        return;
    m_connectionsStatus->clearMessage();
    m_editConnection->setEnabled(false);
    m_secrets.read(found->secretKey(), this, [this, connection = *found](Result<QString> key) {
        if (!key && key.error().code != ErrorCode::NotFound)
            m_connectionsStatus->showMessage(
                StatusLabel::Kind::Error,
                tr("The stored API key could not be read: %1").arg(key.error().message));
        openConnectionDialog(connection, key ? *key : QString());
    });
}

void SettingsDialog::openConnectionDialog(const Connection &connection, const QString &key)
{
    auto *dialog = new ConnectionDialog(this);
    dialog->setObjectName(u"m_connectionDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(connection.id.isEmpty() ? tr("Add Connection") : tr("Edit Connection"));
    if (!connection.id.isEmpty())
        dialog->editor()->setConnection(connection);
    dialog->editor()->setApiKey(key);
    m_connectionDialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog, key] {
        Connection edited = dialog->editor()->connection();
        if (edited.id.isEmpty())
            edited.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        saveConnection(edited, key, dialog->editor()->apiKey());
    });
    connect(dialog, &QObject::destroyed, this, &SettingsDialog::updateConnectionButtons);
    updateConnectionButtons();
    // Window-modal and asynchronous: the settings stay responsive to their own signals, and
    // tests can fill the dialog in.
    dialog->open();
}

void SettingsDialog::saveConnection(const Connection &connection, const QString &oldKey,
                                    const QString &newKey)
{
    if (newKey == oldKey)
        return storeConnection(connection);
    auto stored = [this, connection](Result<void> result) {
        if (!result) {
            m_connectionsStatus->showMessage(
                StatusLabel::Kind::Error,
                tr("The API key could not be stored, so the connection was not saved: %1")
                    .arg(result.error().message));
            return;
        }
        storeConnection(connection);
    };
    if (newKey.isEmpty())
        m_secrets.remove(connection.secretKey(), this, stored);
    else
        m_secrets.write(connection.secretKey(), newKey, this, stored);
}

void SettingsDialog::storeConnection(const Connection &connection)
{
    QList<Connection> connections = m_settings.connections();
    auto existing
        = std::find_if(connections.begin(), connections.end(),
                       [&](const Connection &other) { return other.id == connection.id; });
    if (existing != connections.end())
        *existing = connection;
    else
        connections.append(connection);
    const bool firstOne = !m_settings.activeConnection().has_value();
    m_settings.setConnections(connections);
    if (firstOne)
        m_settings.setActiveConnectionId(connection.id);
    for (int row = 0; row < m_connectionList->count(); ++row) {
        if (m_connectionList->item(row)->data(Qt::UserRole).toString() == connection.id)
            m_connectionList->setCurrentRow(row);
    }
}

void SettingsDialog::removeConnection()
{
    const QString id = selectedConnectionId();
    if (m_connectionDialog || id.isEmpty())
        return;
    QList<Connection> connections = m_settings.connections();
    auto found = std::find_if(connections.begin(), connections.end(),
                              [&](const Connection &connection) { return connection.id == id; });
    if (found == connections.end())
        return;
    const Connection removed = *found;
    const auto answer = MessageBox::question(
        this, tr("Remove Connection"),
        tr("Remove the connection “%1”? Its API key is deleted too.").arg(removed.name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    connections.erase(found);
    const bool wasActive = m_settings.activeConnection().value_or(Connection()).id == id;
    m_settings.setConnections(connections);
    if (wasActive)
        m_settings.setActiveConnectionId(connections.isEmpty() ? QString()
                                                               : connections.first().id);
    m_connectionsStatus->clearMessage();
    m_secrets.remove(removed.secretKey(), this, [this](Result<void> result) {
        if (!result)
            m_connectionsStatus->showMessage(
                StatusLabel::Kind::Error,
                tr("The connection was removed, but its API key could not be deleted: %1")
                    .arg(result.error().message));
    });
}

void SettingsDialog::makeConnectionActive()
{
    const QString id = selectedConnectionId();
    if (!id.isEmpty())
        m_settings.setActiveConnectionId(id);
}

void SettingsDialog::updateProxyFields()
{
    const bool manual = m_proxyManual->isChecked();
    m_proxyHost->setEnabled(manual);
    m_proxyPort->setEnabled(manual);
    m_proxyHostLabel->setEnabled(manual);
    m_proxyPortLabel->setEnabled(manual);
    if (!manual)
        m_proxyStatus->clearMessage();
}

void SettingsDialog::applyProxy()
{
    const auto mode = Settings::ProxyMode(m_proxyMode->checkedId());
    const QString host = m_proxyHost->text().trimmed();
    const int port = m_proxyPort->value();
    if (mode == Settings::ProxyMode::Manual && host.isEmpty()) {
        // A manual proxy without a host would cut every connection: keep the old setting.
        m_proxyStatus->showMessage(
            StatusLabel::Kind::Error,
            tr("Enter the proxy's host name; until then the previous setting stays in use."));
        return;
    }
    m_proxyStatus->clearMessage();
    if (mode == m_settings.proxyMode() && host == m_settings.proxyHost()
        && port == m_settings.proxyPort())
        return;
    m_settings.setProxy(mode, host, port);
}

} // namespace confab
