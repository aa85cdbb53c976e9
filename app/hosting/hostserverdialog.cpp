#include "hostserverdialog.h"

#include "dialogs/statuslabel.h"
#include "dialogs/windowfit.h"
#include "embeddedserver.h"
#include "secrets/secretstore.h"
#include "settings/settings.h"

#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

template<typename T>
T *named(T *widget, const QString &name)
{
    widget->setObjectName(name);
    return widget;
}

// A stable port is easier to hand out than a new one at every start.
constexpr int DefaultPort = 8080;

} // namespace

HostServerDialog::HostServerDialog(Settings &settings, SecretStore &secrets, EmbeddedServer &server,
                                   QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_secrets(secrets)
    , m_server(server)
{
    setWindowTitle(tr("Host a Team Server"));
    setMinimumWidth(540);
    buildForm();
    fillConnections();
    // Opened again while the server runs: the disabled form shows what it runs with.
    if (m_server.state() != EmbeddedServer::State::Stopped)
        showOptions(m_server.options());
    connect(&m_server, &EmbeddedServer::stateChanged, this, &HostServerDialog::updateState);
    connect(&m_server, &EmbeddedServer::stopped, this, [this] {
        m_status->showMessage(StatusLabel::Kind::Plain, tr("The server has stopped."));
    });
    updateState();
}

void HostServerDialog::buildForm()
{
    auto *intro = named(new QLabel(tr("Run a Confab server in this app so that teammates can chat "
                                      "through your model connection. You become its admin."),
                                   this),
                        u"m_intro"_s);
    intro->setWordWrap(true);

    m_settingsGroup = named(new QGroupBox(tr("Server"), this), u"m_settingsGroup"_s);
    m_connectionCombo = named(new QComboBox(m_settingsGroup), u"m_connectionCombo"_s);
    m_portSpin = named(new QSpinBox(m_settingsGroup), u"m_portSpin"_s);
    m_portSpin->setRange(0, 65535);
    m_portSpin->setValue(DefaultPort);
    m_portSpin->setSpecialValueText(tr("Any free port"));
    m_databaseEdit = named(new QLineEdit(m_settingsGroup), u"m_databaseEdit"_s);
    m_databaseEdit->setText(HostOptions::defaultDatabasePath(m_settings.dataDirectory()));
    m_browseButton = named(new QPushButton(tr("Browse…"), m_settingsGroup), u"m_browseButton"_s);
    m_networkRadio = named(new QRadioButton(tr("Teammates on the network"), m_settingsGroup),
                           u"m_networkRadio"_s);
    m_localRadio
        = named(new QRadioButton(tr("This computer only"), m_settingsGroup), u"m_localRadio"_s);
    m_networkRadio->setChecked(true);
    m_registrationCombo = named(new QComboBox(m_settingsGroup), u"m_registrationCombo"_s);
    m_registrationCombo->addItem(tr("Need your approval"),
                                 registrationModeName(RegistrationMode::Approval));
    m_registrationCombo->addItem(tr("Open to anyone who can connect"),
                                 registrationModeName(RegistrationMode::Open));
    m_registrationCombo->addItem(tr("Closed: only accounts you create"),
                                 registrationModeName(RegistrationMode::Closed));

    auto *databaseRow = new QHBoxLayout;
    databaseRow->addWidget(m_databaseEdit, 1);
    databaseRow->addWidget(m_browseButton);
    auto *reachRow = new QVBoxLayout;
    reachRow->addWidget(m_networkRadio);
    reachRow->addWidget(m_localRadio);
    auto *form = new QFormLayout(m_settingsGroup);
    form->addRow(tr("Model connection:"), m_connectionCombo);
    form->addRow(tr("Port:"), m_portSpin);
    form->addRow(tr("Database file:"), databaseRow);
    form->addRow(tr("Who can connect:"), reachRow);
    form->addRow(tr("New accounts:"), m_registrationCombo);

    m_addressGroup
        = named(new QGroupBox(tr("Give teammates this address"), this), u"m_addressGroup"_s);
    m_addressLabel = named(new QLabel(m_addressGroup), u"m_addressLabel"_s);
    m_addressLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_addressLabel->setWordWrap(true);
    m_copyButton = named(new QPushButton(tr("Copy"), m_addressGroup), u"m_copyButton"_s);
    m_adminLabel = named(new QLabel(m_addressGroup), u"m_adminLabel"_s);
    m_adminLabel->setWordWrap(true);
    auto *addressRow = new QHBoxLayout;
    addressRow->addWidget(m_addressLabel, 1);
    addressRow->addWidget(m_copyButton, 0, Qt::AlignTop);
    auto *addressLayout = new QVBoxLayout(m_addressGroup);
    addressLayout->addLayout(addressRow);
    addressLayout->addWidget(m_adminLabel);

    m_status = named(new StatusLabel(this), u"m_status"_s);
    m_startButton = named(new QPushButton(tr("Start"), this), u"m_startButton"_s);
    m_startButton->setDefault(true);
    m_stopButton = named(new QPushButton(tr("Stop"), this), u"m_stopButton"_s);
    m_closeButton = named(new QPushButton(tr("Close"), this), u"m_closeButton"_s);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_stopButton);
    buttons->addWidget(m_closeButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_settingsGroup);
    layout->addWidget(m_addressGroup);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addLayout(buttons);

    connect(m_browseButton, &QPushButton::clicked, this, &HostServerDialog::chooseDatabase);
    connect(m_startButton, &QPushButton::clicked, this, &HostServerDialog::startServer);
    connect(m_stopButton, &QPushButton::clicked, &m_server, &EmbeddedServer::stop);
    connect(m_closeButton, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_copyButton, &QPushButton::clicked, this, &HostServerDialog::copyAddresses);
}

// Only provider connections can answer; a team server cannot be another one's upstream.
void HostServerDialog::fillConnections()
{
    const auto connections = m_settings.connections();
    for (const Connection &connection : connections) {
        if (connection.kind != Connection::Kind::Provider)
            continue;
        const QString label = connection.model.isEmpty()
            ? connection.name
            : tr("%1 (%2)").arg(connection.name, connection.model);
        m_connectionCombo->addItem(label, connection.id);
    }
    const auto active = m_settings.activeConnection();
    if (const int index = active ? m_connectionCombo->findData(active->id) : -1; index >= 0)
        m_connectionCombo->setCurrentIndex(index);
    if (m_connectionCombo->count() == 0)
        m_status->showMessage(StatusLabel::Kind::Error,
                              tr("Add a model connection in Settings first: the server "
                                 "answers through it."));
}

std::optional<Connection> HostServerDialog::selectedConnection() const
{
    const QString id = m_connectionCombo->currentData().toString();
    const auto connections = m_settings.connections();
    for (const Connection &connection : connections) {
        if (connection.id == id)
            return connection;
    }
    return std::nullopt;
}

void HostServerDialog::showOptions(const HostOptions &options)
{
    (options.listenAddress.isLoopback() ? m_localRadio : m_networkRadio)->setChecked(true);
    m_portSpin->setValue(options.port);
    m_databaseEdit->setText(options.databasePath);
    if (const int index = m_registrationCombo->findData(registrationModeName(options.registration));
        index >= 0)
        m_registrationCombo->setCurrentIndex(index);
    if (const int index = m_connectionCombo->findData(options.connectionId); index >= 0)
        m_connectionCombo->setCurrentIndex(index);
}

HostOptions HostServerDialog::options() const
{
    HostOptions options;
    options.listenAddress = m_localRadio->isChecked() ? QHostAddress(QHostAddress::LocalHost)
                                                      : QHostAddress(QHostAddress::AnyIPv4);
    options.port = quint16(m_portSpin->value());
    options.databasePath = m_databaseEdit->text().trimmed();
    options.registration = registrationModeFromName(m_registrationCombo->currentData().toString())
                               .value_or(RegistrationMode::Approval);
    if (const auto connection = selectedConnection()) {
        options.connectionId = connection->id;
        options.upstreamBaseUrl = connection->baseUrl;
        options.upstreamModel = connection->model;
    }
    return options;
}

// An existing file is reused, so the chooser must not offer to "replace" it.
void HostServerDialog::chooseDatabase()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Database File"), m_databaseEdit->text(), tr("SQLite databases (*.db)"), nullptr,
        QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        m_databaseEdit->setText(path);
}

void HostServerDialog::startServer()
{
    const auto connection = selectedConnection();
    if (!connection || m_databaseEdit->text().trimmed().isEmpty())
        return;
    m_startButton->setEnabled(false);
    m_settingsGroup->setEnabled(false);
    m_status->showMessage(StatusLabel::Kind::Plain, tr("Starting…"));
    m_secrets.read(connection->secretKey(), this, [this](Result<QString> key) {
        // Local providers may need no key at all.
        if (!key && key.error().code != ErrorCode::NotFound)
            return onStartResult(key.error());
        HostOptions hostOptions = options();
        hostOptions.upstreamApiKey = key ? *key : QString();
        m_server.start(hostOptions, this, [this](Result<QUrl> url) { onStartResult(url); });
    });
}

void HostServerDialog::onStartResult(const Result<QUrl> &url)
{
    if (url) {
        m_status->clearMessage();
    } else {
        m_status->showMessage(StatusLabel::Kind::Error,
                              tr("The server did not start: %1").arg(url.error().message));
    }
    updateState();
}

void HostServerDialog::updateState()
{
    const EmbeddedServer::State state = m_server.state();
    const bool stopped = state == EmbeddedServer::State::Stopped;
    m_settingsGroup->setEnabled(stopped);
    const bool offerStart = stopped || state == EmbeddedServer::State::Starting;
    m_startButton->setVisible(offerStart);
    m_startButton->setEnabled(stopped && m_connectionCombo->count() > 0);
    m_stopButton->setVisible(!offerStart);
    m_stopButton->setEnabled(state == EmbeddedServer::State::Running);
    m_addressGroup->setVisible(state == EmbeddedServer::State::Running);
    if (state == EmbeddedServer::State::Stopping)
        m_status->showMessage(StatusLabel::Kind::Plain,
                              tr("Stopping: saving the answers in progress…"));
    if (state == EmbeddedServer::State::Running)
        showAddresses();
    growWindowToFit(this);
}

void HostServerDialog::showAddresses()
{
    const QList<QUrl> urls = m_server.addresses();
    QStringList lines;
    for (const QUrl &url : urls)
        lines.append(url.toString());
    m_addressGroup->setTitle(m_server.isLocalOnly() ? tr("Only this computer can connect")
                                                    : tr("Give teammates this address"));
    m_addressLabel->setText(lines.isEmpty() ? tr("This computer has no network address right now: "
                                                 "teammates cannot reach it.")
                                            : lines.join(u'\n'));
    m_copyButton->setEnabled(!lines.isEmpty());
    m_adminLabel->setText(
        tr("Your admin account is %1; the app signs in with it. Teammates register at the "
           "address above or get an account from you.")
            .arg(m_server.adminCredentials().username));
}

void HostServerDialog::copyAddresses()
{
    QGuiApplication::clipboard()->setText(m_addressLabel->text());
}

} // namespace confab
