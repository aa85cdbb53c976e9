#include "paramspanel.h"

#include "chat/chatservice.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Long enough to finish typing a number, short enough that closing the tab rarely races it
// (and the destructor saves anyway).
constexpr int SaveDelayMs = 500;
constexpr int MaxContextMessages = 500;

// A spin box whose lowest value, one step below the valid range, reads "Default" (unset).
void setUpOptional(QDoubleSpinBox *spin, double min, double max, double step)
{
    spin->setDecimals(2);
    spin->setRange(min - step, max);
    spin->setSingleStep(step);
    spin->setValue(spin->minimum());
    spin->setAccelerated(true);
}

std::optional<double> optionalValue(const QDoubleSpinBox *spin)
{
    if (spin->value() <= spin->minimum() + 1e-9)
        return std::nullopt;
    return spin->value();
}

void showOptional(QDoubleSpinBox *spin, std::optional<double> value)
{
    const double shown = value ? *value : spin->minimum();
    if (std::abs(spin->value() - shown) > 1e-9)
        spin->setValue(shown);
}

} // namespace

ParamsPanel::ParamsPanel(ChatService &service, qint64 conversationId, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_conversationId(conversationId)
    , m_modelLabel(new QLabel(this))
    , m_modelCombo(new QComboBox(this))
    , m_temperatureLabel(new QLabel(this))
    , m_temperatureSpin(new QDoubleSpinBox(this))
    , m_topPLabel(new QLabel(this))
    , m_topPSpin(new QDoubleSpinBox(this))
    , m_maxTokensLabel(new QLabel(this))
    , m_maxTokensSpin(new QSpinBox(this))
    , m_presencePenaltyLabel(new QLabel(this))
    , m_presencePenaltySpin(new QDoubleSpinBox(this))
    , m_frequencyPenaltyLabel(new QLabel(this))
    , m_frequencyPenaltySpin(new QDoubleSpinBox(this))
    , m_stopLabel(new QLabel(this))
    , m_stopEdit(new QPlainTextEdit(this))
    , m_contextLabel(new QLabel(this))
    , m_contextSpin(new QSpinBox(this))
{
    m_modelLabel->setObjectName(u"m_modelLabel"_s);
    m_modelCombo->setObjectName(u"m_modelCombo"_s);
    m_temperatureLabel->setObjectName(u"m_temperatureLabel"_s);
    m_temperatureSpin->setObjectName(u"m_temperatureSpin"_s);
    m_topPLabel->setObjectName(u"m_topPLabel"_s);
    m_topPSpin->setObjectName(u"m_topPSpin"_s);
    m_maxTokensLabel->setObjectName(u"m_maxTokensLabel"_s);
    m_maxTokensSpin->setObjectName(u"m_maxTokensSpin"_s);
    m_presencePenaltyLabel->setObjectName(u"m_presencePenaltyLabel"_s);
    m_presencePenaltySpin->setObjectName(u"m_presencePenaltySpin"_s);
    m_frequencyPenaltyLabel->setObjectName(u"m_frequencyPenaltyLabel"_s);
    m_frequencyPenaltySpin->setObjectName(u"m_frequencyPenaltySpin"_s);
    m_stopLabel->setObjectName(u"m_stopLabel"_s);
    m_stopEdit->setObjectName(u"m_stopEdit"_s);
    m_contextLabel->setObjectName(u"m_contextLabel"_s);
    m_contextSpin->setObjectName(u"m_contextSpin"_s);

    m_modelCombo->setEditable(true);
    m_modelCombo->setInsertPolicy(QComboBox::NoInsert);
    m_modelCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_modelCombo->setMinimumContentsLength(12);
    // The OpenAI API's bounds; ChatParams::fromJson checks the same.
    setUpOptional(m_temperatureSpin, 0.0, 2.0, 0.1);
    setUpOptional(m_topPSpin, 0.0, 1.0, 0.05);
    setUpOptional(m_presencePenaltySpin, -2.0, 2.0, 0.1);
    setUpOptional(m_frequencyPenaltySpin, -2.0, 2.0, 0.1);
    m_maxTokensSpin->setRange(0, 1'000'000);
    m_maxTokensSpin->setSingleStep(256);
    m_contextSpin->setRange(0, MaxContextMessages);
    m_stopEdit->setTabChangesFocus(true);
    m_stopEdit->setMaximumHeight(m_stopEdit->fontMetrics().lineSpacing() * 4
                                 + m_stopEdit->frameWidth() * 2 + 8);

    auto *outer = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    outer->addLayout(form);
    outer->addStretch(1);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->addRow(m_modelLabel, m_modelCombo);
    form->addRow(m_temperatureLabel, m_temperatureSpin);
    form->addRow(m_topPLabel, m_topPSpin);
    form->addRow(m_maxTokensLabel, m_maxTokensSpin);
    form->addRow(m_presencePenaltyLabel, m_presencePenaltySpin);
    form->addRow(m_frequencyPenaltyLabel, m_frequencyPenaltySpin);
    form->addRow(m_stopLabel, m_stopEdit);
    form->addRow(m_contextLabel, m_contextSpin);
    for (QLabel *label :
         {m_modelLabel, m_temperatureLabel, m_topPLabel, m_maxTokensLabel, m_presencePenaltyLabel,
          m_frequencyPenaltyLabel, m_stopLabel, m_contextLabel})
        label->setBuddy(form->itemAt(form->indexOf(label) + 1)->widget());

    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(SaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &ParamsPanel::saveNow);

    connect(m_modelCombo, &QComboBox::currentTextChanged, this, &ParamsPanel::onEdited);
    for (QDoubleSpinBox *spin :
         {m_temperatureSpin, m_topPSpin, m_presencePenaltySpin, m_frequencyPenaltySpin})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &ParamsPanel::onEdited);
    for (QSpinBox *spin : {m_maxTokensSpin, m_contextSpin})
        connect(spin, &QSpinBox::valueChanged, this, &ParamsPanel::onEdited);
    connect(m_stopEdit, &QPlainTextEdit::textChanged, this, &ParamsPanel::onEdited);

    connect(&m_service, &ChatService::conversationChanged, this,
            [this](const Conversation &conversation) {
                // The user's unsaved edit wins over a change made elsewhere.
                if (conversation.id == m_conversationId && !hasPendingChanges())
                    showConversation(conversation);
            });
    m_service.conversation(m_conversationId, this, [this](Result<Conversation> conversation) {
        if (!conversation) {
            emit saveFailed(conversation.error().message);
            return;
        }
        if (!hasPendingChanges())
            showConversation(*conversation);
        else
            m_conversation = *conversation;
        m_loaded = true;
    });

    retranslate();
}

ParamsPanel::~ParamsPanel()
{
    if (hasPendingChanges())
        saveNow();
}

void ParamsPanel::setModels(const QStringList &models)
{
    const QString current = m_modelCombo->currentText();
    m_updating = true;
    m_modelCombo->clear();
    m_modelCombo->addItems(models);
    m_modelCombo->setCurrentText(current);
    m_updating = false;
}

ChatParams ParamsPanel::params() const
{
    ChatParams params;
    params.model = m_modelCombo->currentText().trimmed();
    params.temperature = optionalValue(m_temperatureSpin);
    params.topP = optionalValue(m_topPSpin);
    if (m_maxTokensSpin->value() > 0)
        params.maxTokens = m_maxTokensSpin->value();
    params.presencePenalty = optionalValue(m_presencePenaltySpin);
    params.frequencyPenalty = optionalValue(m_frequencyPenaltySpin);
    const QStringList lines = m_stopEdit->toPlainText().split(u'\n');
    for (const QString &line : lines) {
        if (!line.isEmpty())
            params.stop.append(line);
    }
    return params;
}

int ParamsPanel::contextMessages() const
{
    return m_contextSpin->value();
}

void ParamsPanel::showConversation(const Conversation &conversation)
{
    m_conversation = conversation;
    m_updating = true;
    const ChatParams &params = conversation.params;
    if (m_modelCombo->currentText() != params.model)
        m_modelCombo->setCurrentText(params.model);
    showOptional(m_temperatureSpin, params.temperature);
    showOptional(m_topPSpin, params.topP);
    if (m_maxTokensSpin->value() != params.maxTokens.value_or(0))
        m_maxTokensSpin->setValue(params.maxTokens.value_or(0));
    showOptional(m_presencePenaltySpin, params.presencePenalty);
    showOptional(m_frequencyPenaltySpin, params.frequencyPenalty);
    const QString stop = params.stop.join(u'\n');
    if (m_stopEdit->toPlainText() != stop)
        m_stopEdit->setPlainText(stop);
    if (m_contextSpin->value() != conversation.contextMessages)
        m_contextSpin->setValue(conversation.contextMessages);
    m_updating = false;
}

void ParamsPanel::onEdited()
{
    if (!m_updating)
        m_saveTimer.start();
}

void ParamsPanel::saveNow()
{
    m_saveTimer.stop();
    if (!m_loaded)
        return;
    Conversation changed = m_conversation;
    changed.params = params();
    changed.contextMessages = contextMessages();
    if (changed.params == m_conversation.params
        && changed.contextMessages == m_conversation.contextMessages)
        return;
    m_conversation = changed;
    // From the destructor the answer never comes (this is its context); the save happens.
    m_service.updateConversation(changed, this, [this](Result<Conversation> result) {
        if (!result) {
            emit saveFailed(result.error().message);
            return;
        }
        m_conversation = *result;
        emit saved(*result);
    });
}

void ParamsPanel::retranslate()
{
    m_modelLabel->setText(tr("&Model"));
    m_modelCombo->lineEdit()->setPlaceholderText(tr("Default"));
    m_modelCombo->setToolTip(tr("The model that answers; empty uses the connection's model"));
    m_temperatureLabel->setText(tr("&Temperature"));
    m_topPLabel->setText(tr("Top &p"));
    m_maxTokensLabel->setText(tr("Max to&kens"));
    m_presencePenaltyLabel->setText(tr("P&resence penalty"));
    m_frequencyPenaltyLabel->setText(tr("&Frequency penalty"));
    m_stopLabel->setText(tr("&Stop sequences"));
    m_stopEdit->setPlaceholderText(tr("One per line"));
    m_contextLabel->setText(tr("&Context messages"));
    m_contextSpin->setToolTip(tr("How many recent messages are sent with each question"));
    for (QDoubleSpinBox *spin :
         {m_temperatureSpin, m_topPSpin, m_presencePenaltySpin, m_frequencyPenaltySpin})
        spin->setSpecialValueText(tr("Default"));
    m_maxTokensSpin->setSpecialValueText(tr("Default"));
    m_contextSpin->setSpecialValueText(tr("Default"));
}

void ParamsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace confab
