#include "presetspage.h"

#include "adminerror.h"
#include "dialogs/statuslabel.h"
#include "remote/serverclient.h"

#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QPlainTextEdit *textEdit(const QString &name, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setTabChangesFocus(true);
    return edit;
}

QString paramsText(const ChatParams &params)
{
    return QString::fromUtf8(QJsonDocument(params.toJson()).toJson(QJsonDocument::Indented));
}

// The parameters a draft's text describes, or why they are refused.
Result<ChatParams> parseParams(const QString &text)
{
    if (text.trimmed().isEmpty())
        return ChatParams();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (!document.isObject())
        return Error{ErrorCode::InvalidInput, parseError.errorString()};
    return ChatParams::fromJson(document.object());
}

} // namespace

PresetsPage::PresetsPage(ServerClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_list(new QListWidget(this))
    , m_name(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_systemPrompt(textEdit(u"m_systemPrompt"_s, this))
    , m_openingMessage(textEdit(u"m_openingMessage"_s, this))
    , m_params(textEdit(u"m_params"_s, this))
    , m_addButton(new QPushButton(this))
    , m_removeButton(new QPushButton(this))
    , m_reloadButton(new QPushButton(this))
    , m_saveButton(new QPushButton(this))
    , m_editor(new QWidget(this))
    , m_status(new StatusLabel(this))
{
    m_list->setObjectName(u"m_list"_s);
    m_name->setObjectName(u"m_name"_s);
    m_name->setMaxLength(100);
    m_description->setObjectName(u"m_description"_s);
    m_addButton->setObjectName(u"m_addButton"_s);
    m_removeButton->setObjectName(u"m_removeButton"_s);
    m_reloadButton->setObjectName(u"m_reloadButton"_s);
    m_saveButton->setObjectName(u"m_saveButton"_s);
    m_status->setObjectName(u"m_status"_s);

    auto *form = new QFormLayout(m_editor);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(new QLabel(m_editor), m_name);
    form->addRow(new QLabel(m_editor), m_description);
    form->addRow(new QLabel(m_editor), m_systemPrompt);
    form->addRow(new QLabel(m_editor), m_openingMessage);
    form->addRow(new QLabel(m_editor), m_params);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_list);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(1, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addButton);
    buttons->addWidget(m_removeButton);
    buttons->addStretch();
    buttons->addWidget(m_reloadButton);
    buttons->addWidget(m_saveButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    connect(m_list, &QListWidget::currentRowChanged, this, &PresetsPage::editRow);
    connect(m_name, &QLineEdit::textEdited, this, [this](const QString &name) {
        if (QListWidgetItem *item = m_list->currentItem())
            item->setText(name);
    });
    connect(m_addButton, &QPushButton::clicked, this, &PresetsPage::addPreset);
    connect(m_removeButton, &QPushButton::clicked, this, &PresetsPage::removePreset);
    connect(m_reloadButton, &QPushButton::clicked, this, &PresetsPage::reload);
    connect(m_saveButton, &QPushButton::clicked, this, &PresetsPage::save);
    retranslateUi();
    editRow(-1);
    reload();
}

void PresetsPage::reload()
{
    m_client.get(u"/admin/presets"_s, QUrlQuery(), this, [this](Result<QJsonValue> reply) {
        if (!reply)
            return showError(AdminError::describe(reply.error()));
        m_status->clearMessage();
        showPresets(*reply);
    });
}

void PresetsPage::showPresets(const QJsonValue &reply)
{
    m_drafts.clear();
    for (const QJsonValue &item : reply.toObject().value("items"_L1).toArray()) {
        if (auto preset = Preset::fromJson(item.toObject()))
            m_drafts.append({*preset, paramsText(preset->params)});
    }
    m_editedRow = -1;
    m_list->clear();
    for (const Draft &draft : std::as_const(m_drafts))
        m_list->addItem(draft.preset.name);
    m_list->setCurrentRow(m_drafts.isEmpty() ? -1 : 0);
    emit loaded();
}

void PresetsPage::addPreset()
{
    Preset preset;
    preset.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    preset.name = tr("New preset");
    m_drafts.append({preset, paramsText(preset.params)});
    m_list->addItem(preset.name);
    m_list->setCurrentRow(m_list->count() - 1);
    m_name->setFocus();
    m_name->selectAll();
}

void PresetsPage::removePreset()
{
    const int row = m_list->currentRow();
    if (row < 0)
        return;
    // Nothing to keep of the removed one.
    m_editedRow = -1;
    m_drafts.removeAt(row);
    delete m_list->takeItem(row);
    editRow(m_list->currentRow());
}

void PresetsPage::save()
{
    keepEdits();
    QJsonArray items;
    for (int row = 0; row < m_drafts.size(); ++row) {
        Draft draft = m_drafts.at(row);
        auto params = parseParams(draft.params);
        if (!params) {
            m_list->setCurrentRow(row);
            return showError(tr("The parameters of %1 are not valid: %2")
                                 .arg(draft.preset.name, params.error().message));
        }
        draft.preset.params = *params;
        items.append(draft.preset.toJson());
    }
    m_client.call("PUT", u"/admin/presets"_s, QJsonObject{{u"items"_s, items}}, this,
                  [this](Result<QJsonValue> reply) {
                      if (!reply)
                          return showError(AdminError::describe(reply.error()));
                      showPresets(*reply);
                      m_status->showMessage(StatusLabel::Kind::Success,
                                            tr("Saved; users see these presets now."));
                  });
}

void PresetsPage::editRow(int row)
{
    keepEdits();
    m_editedRow = row;
    m_editor->setEnabled(row >= 0);
    m_removeButton->setEnabled(row >= 0);
    const Draft draft = row >= 0 ? m_drafts.at(row) : Draft();
    m_name->setText(draft.preset.name);
    m_description->setText(draft.preset.description);
    m_systemPrompt->setPlainText(draft.preset.systemPrompt);
    m_openingMessage->setPlainText(draft.preset.openingMessage);
    m_params->setPlainText(draft.params);
}

void PresetsPage::keepEdits()
{
    if (m_editedRow < 0 || m_editedRow >= m_drafts.size())
        return;
    Draft &draft = m_drafts[m_editedRow];
    draft.preset.name = m_name->text().trimmed();
    draft.preset.description = m_description->text();
    draft.preset.systemPrompt = m_systemPrompt->toPlainText();
    draft.preset.openingMessage = m_openingMessage->toPlainText();
    draft.params = m_params->toPlainText();
}

void PresetsPage::showError(const QString &text)
{
    m_status->showMessage(StatusLabel::Kind::Error, text);
}

void PresetsPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
}

void PresetsPage::retranslateUi()
{
    const QStringList labels{tr("Name:"), tr("Description:"), tr("System prompt:"),
                             tr("Opening message:"), tr("Parameters (JSON):")};
    auto *form = static_cast<QFormLayout *>(m_editor->layout());
    for (int row = 0; row < labels.size(); ++row)
        qobject_cast<QLabel *>(form->itemAt(row, QFormLayout::LabelRole)->widget())
            ->setText(labels.at(row));
    m_params->setPlaceholderText(tr("{\"model\": \"…\", \"temperature\": 0.7}"));
    m_addButton->setText(tr("Add"));
    m_removeButton->setText(tr("Remove"));
    m_reloadButton->setText(tr("Reload"));
    m_saveButton->setText(tr("Save"));
}

} // namespace confab
