#include "settingspage.h"

#include "adminerror.h"
#include "dialogs/statuslabel.h"
#include "remote/serverclient.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace confab {

SettingsPage::SettingsPage(ServerClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_contextMessages(new QSpinBox(this))
    , m_minInterval(new QDoubleSpinBox(this))
    , m_registration(new QComboBox(this))
    , m_maxLiveConversations(new QSpinBox(this))
    , m_applyButton(new QPushButton(this))
    , m_reloadButton(new QPushButton(this))
    , m_form(new QFormLayout)
    , m_status(new StatusLabel(this))
{
    // The ranges are the server's (serversettings.cpp).
    m_contextMessages->setObjectName(u"m_contextMessages"_s);
    m_contextMessages->setRange(1, 200);
    m_minInterval->setObjectName(u"m_minInterval"_s);
    m_minInterval->setRange(0, 3600);
    m_minInterval->setDecimals(1);
    m_registration->setObjectName(u"m_registration"_s);
    for (const QString &mode : {u"open"_s, u"approval"_s, u"closed"_s})
        m_registration->addItem(QString(), mode);
    m_maxLiveConversations->setObjectName(u"m_maxLiveConversations"_s);
    m_maxLiveConversations->setRange(1, 100);
    m_applyButton->setObjectName(u"m_applyButton"_s);
    m_reloadButton->setObjectName(u"m_reloadButton"_s);
    m_status->setObjectName(u"m_status"_s);

    for (QWidget *field : std::initializer_list<QWidget *>{m_contextMessages, m_minInterval,
                                                           m_registration, m_maxLiveConversations})
        m_form->addRow(new QLabel(this), field);
    m_form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_reloadButton, QDialogButtonBox::ResetRole);
    buttons->addButton(m_applyButton, QDialogButtonBox::ApplyRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(buttons);
    layout->addWidget(m_status);
    layout->addStretch();

    connect(m_applyButton, &QPushButton::clicked, this, &SettingsPage::apply);
    connect(m_reloadButton, &QPushButton::clicked, this, &SettingsPage::reload);
    retranslateUi();
    reload();
}

void SettingsPage::reload()
{
    m_client.get(u"/admin/settings"_s, QUrlQuery(), this, [this](Result<QJsonValue> reply) {
        if (!reply)
            return m_status->showMessage(StatusLabel::Kind::Error,
                                         AdminError::describe(reply.error()));
        showSettings(reply->toObject());
    });
}

void SettingsPage::apply()
{
    m_client.call("PUT", u"/admin/settings"_s, edited(), this, [this](Result<QJsonValue> reply) {
        if (!reply)
            return m_status->showMessage(StatusLabel::Kind::Error,
                                         AdminError::describe(reply.error()));
        showSettings(reply->toObject());
        m_status->showMessage(StatusLabel::Kind::Success,
                              tr("Applied; the server now uses the values shown."));
    });
}

void SettingsPage::showSettings(const QJsonObject &settings)
{
    m_contextMessages->setValue(settings.value("context_messages"_L1).toInt());
    m_minInterval->setValue(settings.value("min_interval_seconds"_L1).toDouble());
    m_registration->setCurrentIndex(
        m_registration->findData(settings.value("registration"_L1).toString()));
    m_maxLiveConversations->setValue(settings.value("max_live_conversations"_L1).toInt());
    emit settingsShown(settings);
}

QJsonObject SettingsPage::edited() const
{
    return {{u"context_messages"_s, m_contextMessages->value()},
            {u"min_interval_seconds"_s, m_minInterval->value()},
            {u"registration"_s, m_registration->currentData().toString()},
            {u"max_live_conversations"_s, m_maxLiveConversations->value()}};
}

void SettingsPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
}

void SettingsPage::retranslateUi()
{
    const QStringList labels{tr("Messages of context sent upstream:"),
                             tr("Least time between a user's requests:"), tr("Registration:"),
                             tr("Open conversations per user:")};
    for (int row = 0; row < labels.size(); ++row)
        qobject_cast<QLabel *>(m_form->itemAt(row, QFormLayout::LabelRole)->widget())
            ->setText(labels.at(row));
    m_minInterval->setSuffix(tr(" s"));
    m_registration->setItemText(0, tr("Open: anyone can sign up"));
    m_registration->setItemText(1, tr("Approval: an administrator approves new accounts"));
    m_registration->setItemText(2, tr("Closed: only administrators create accounts"));
    m_applyButton->setText(tr("Apply"));
    m_reloadButton->setText(tr("Reload"));
}

} // namespace confab
