#include "presetmanagerdialog.h"

#include "chat/chatservice.h"
#include "filedialog.h"
#include "messagebox.h"
#include "presets/presetcatalog.h"
#include "statuslabel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr int IdRole = Qt::UserRole;
constexpr int HeaderRole = Qt::UserRole + 1;

// The icon names the built-in presets use; any other name may be typed.
const QStringList KnownIcons{u"assistant"_s, u"creative-writer"_s, u"tech-expert"_s,
                             u"casual-chat"_s};

// Spin boxes show "Default" at their minimum, just below the API's own lower bound: the
// parameter is then left to the provider.
constexpr double UnsetTemperature = -0.1;
constexpr double UnsetTopP = -0.05;

QPlainTextEdit *textEdit(QWidget *parent, const QString &name, int lines)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setTabChangesFocus(true);
    const int lineHeight = edit->fontMetrics().lineSpacing();
    edit->setMinimumHeight(lineHeight * lines + 2 * edit->frameWidth() + 8);
    return edit;
}

QPushButton *button(QWidget *parent, const QString &name, const QString &text)
{
    auto *pushButton = new QPushButton(text, parent);
    pushButton->setObjectName(name);
    return pushButton;
}

} // namespace

PresetManagerDialog::PresetManagerDialog(ChatService &service, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
{
    setWindowTitle(tr("Presets"));
    setMinimumSize(820, 560);

    m_presetList = new QListWidget(this);
    m_presetList->setObjectName(u"m_presetList"_s);
    m_presetList->setMinimumWidth(220);
    m_presetList->setSpacing(1);
    m_newPreset = button(this, u"m_newPreset"_s, tr("&New"));
    m_duplicatePreset = button(this, u"m_duplicatePreset"_s, tr("D&uplicate"));
    m_deletePreset = button(this, u"m_deletePreset"_s, tr("&Delete"));
    m_importPresets = button(this, u"m_importPresets"_s, tr("&Import…"));
    m_exportPresets = button(this, u"m_exportPresets"_s, tr("E&xport…"));
    m_exportPresets->setToolTip(tr("Save all of your own presets to a JSON file"));

    m_builtInNote = new QLabel(
        tr("Built-in presets cannot be changed. Duplicate one to make your own version."), this);
    m_builtInNote->setObjectName(u"m_builtInNote"_s);
    m_builtInNote->setWordWrap(true);
    m_name = new QLineEdit(this);
    m_name->setObjectName(u"m_name"_s);
    // The limit an imported preset's name is held to.
    m_name->setMaxLength(100);
    m_description = new QLineEdit(this);
    m_description->setObjectName(u"m_description"_s);
    m_icon = new QComboBox(this);
    m_icon->setObjectName(u"m_icon"_s);
    m_icon->setEditable(true);
    m_icon->setInsertPolicy(QComboBox::NoInsert);
    m_icon->addItems(KnownIcons);
    m_icon->lineEdit()->setPlaceholderText(tr("none"));
    m_systemPrompt = textEdit(this, u"m_systemPrompt"_s, 6);
    m_systemPrompt->setPlaceholderText(tr("How the model should behave, e.g. “You are a careful "
                                          "translator between English and Chinese.”"));
    m_openingMessage = textEdit(this, u"m_openingMessage"_s, 2);
    m_openingMessage->setPlaceholderText(
        tr("Sent for the user when a conversation starts from this preset (optional)"));

    m_paramsGroup = new QGroupBox(tr("Default parameters"), this);
    m_paramsGroup->setObjectName(u"m_paramsGroup"_s);
    m_model = new QLineEdit(m_paramsGroup);
    m_model->setObjectName(u"m_model"_s);
    m_model->setPlaceholderText(tr("The connection's model"));
    m_temperature = new QDoubleSpinBox(m_paramsGroup);
    m_temperature->setObjectName(u"m_temperature"_s);
    m_temperature->setRange(UnsetTemperature, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_topP = new QDoubleSpinBox(m_paramsGroup);
    m_topP->setObjectName(u"m_topP"_s);
    m_topP->setRange(UnsetTopP, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setDecimals(2);
    m_maxTokens = new QSpinBox(m_paramsGroup);
    m_maxTokens->setObjectName(u"m_maxTokens"_s);
    m_maxTokens->setRange(0, 1000000);
    m_maxTokens->setSingleStep(256);
    for (QAbstractSpinBox *spinBox :
         std::initializer_list<QAbstractSpinBox *>{m_temperature, m_topP, m_maxTokens}) {
        spinBox->setSpecialValueText(tr("Default"));
        spinBox->setMinimumWidth(110);
    }
    auto *params = new QFormLayout(m_paramsGroup);
    params->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    params->addRow(tr("Mo&del:"), m_model);
    m_model->setMinimumWidth(220);
    params->addRow(tr("&Temperature:"), m_temperature);
    params->addRow(tr("Top &P:"), m_topP);
    params->addRow(tr("Max t&okens:"), m_maxTokens);

    m_savePreset = button(this, u"m_savePreset"_s, tr("&Save"));
    m_status = new StatusLabel(this);
    m_status->setObjectName(u"m_status"_s);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_buttons->setObjectName(u"m_buttons"_s);

    auto *listButtons = new QGridLayout;
    listButtons->addWidget(m_newPreset, 0, 0);
    listButtons->addWidget(m_duplicatePreset, 0, 1);
    listButtons->addWidget(m_deletePreset, 0, 2);
    listButtons->addWidget(m_importPresets, 1, 0);
    listButtons->addWidget(m_exportPresets, 1, 1);
    auto *left = new QVBoxLayout;
    left->addWidget(m_presetList, 1);
    left->addLayout(listButtons);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("Desc&ription:"), m_description);
    form->addRow(tr("I&con:"), m_icon);
    form->addRow(tr("S&ystem prompt:"), m_systemPrompt);
    form->addRow(tr("Opening &message:"), m_openingMessage);
    auto *saveRow = new QHBoxLayout;
    saveRow->addStretch(1);
    saveRow->addWidget(m_savePreset);
    auto *right = new QVBoxLayout;
    right->addWidget(m_builtInNote);
    right->addLayout(form, 1);
    right->addWidget(m_paramsGroup);
    right->addWidget(m_status);
    right->addLayout(saveRow);

    auto *body = new QHBoxLayout;
    body->setSpacing(16);
    body->addLayout(left);
    body->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(body, 1);
    layout->addWidget(m_buttons);

    connect(m_presetList, &QListWidget::currentItemChanged, this,
            &PresetManagerDialog::onCurrentItemChanged);
    connect(m_newPreset, &QPushButton::clicked, this, &PresetManagerDialog::newPreset);
    connect(m_duplicatePreset, &QPushButton::clicked, this, &PresetManagerDialog::duplicatePreset);
    connect(m_deletePreset, &QPushButton::clicked, this, &PresetManagerDialog::deletePreset);
    connect(m_importPresets, &QPushButton::clicked, this, &PresetManagerDialog::importPresets);
    connect(m_exportPresets, &QPushButton::clicked, this, &PresetManagerDialog::exportPresets);
    connect(m_savePreset, &QPushButton::clicked, this, &PresetManagerDialog::savePreset);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(&m_service, &ChatService::presetsChanged, this, &PresetManagerDialog::reload);

    for (QLineEdit *edit : {m_name, m_description, m_model})
        connect(edit, &QLineEdit::textEdited, this, &PresetManagerDialog::markDirty);
    connect(m_icon, &QComboBox::currentTextChanged, this, &PresetManagerDialog::markDirty);
    for (QPlainTextEdit *edit : {m_systemPrompt, m_openingMessage})
        connect(edit, &QPlainTextEdit::textChanged, this, &PresetManagerDialog::markDirty);
    connect(m_temperature, &QDoubleSpinBox::valueChanged, this, &PresetManagerDialog::markDirty);
    connect(m_topP, &QDoubleSpinBox::valueChanged, this, &PresetManagerDialog::markDirty);
    connect(m_maxTokens, &QSpinBox::valueChanged, this, &PresetManagerDialog::markDirty);

    showPreset(Preset());
    reload();
}

PresetManagerDialog::~PresetManagerDialog() = default;

Preset PresetManagerDialog::editedPreset() const
{
    Preset preset = m_current;
    preset.name = m_name->text().trimmed();
    preset.description = m_description->text().trimmed();
    preset.icon = m_icon->currentText().trimmed();
    preset.systemPrompt = m_systemPrompt->toPlainText().trimmed();
    preset.openingMessage = m_openingMessage->toPlainText().trimmed();
    preset.params.model = m_model->text().trimmed();
    preset.params.temperature = m_temperature->value() > m_temperature->minimum()
        ? std::optional(m_temperature->value())
        : std::nullopt;
    preset.params.topP
        = m_topP->value() > m_topP->minimum() ? std::optional(m_topP->value()) : std::nullopt;
    preset.params.maxTokens
        = m_maxTokens->value() > 0 ? std::optional(m_maxTokens->value()) : std::nullopt;
    return preset;
}

bool PresetManagerDialog::selectPreset(const QString &id)
{
    for (int row = 0; row < m_presetList->count(); ++row) {
        if (!id.isEmpty() && m_presetList->item(row)->data(IdRole).toString() == id) {
            m_presetList->setCurrentRow(row);
            return m_presetList->currentRow() == row;
        }
    }
    return false;
}

void PresetManagerDialog::reload()
{
    m_service.presets(this, [this](Result<QList<Preset>> loaded) {
        if (!loaded) {
            m_status->showMessage(
                StatusLabel::Kind::Error,
                tr("The presets could not be loaded: %1").arg(loaded.error().message));
            return;
        }
        m_presets = *loaded;
        const QString keep
            = m_selectAfterReload.isEmpty() ? m_current.id : std::exchange(m_selectAfterReload, {});

        const QSignalBlocker blocker(m_presetList);
        m_presetList->clear();
        const auto header = [this](const QString &text) {
            auto *item = new QListWidgetItem(text, m_presetList);
            item->setFlags(Qt::NoItemFlags);
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
            item->setData(HeaderRole, true);
        };
        QListWidgetItem *toSelect = nullptr;
        bool ownHeader = false;
        if (!m_presets.isEmpty() && m_presets.first().builtIn)
            header(tr("Built-in"));
        for (const Preset &preset : std::as_const(m_presets)) {
            if (!preset.builtIn && !ownHeader) {
                header(tr("My presets"));
                ownHeader = true;
            }
            auto *item = new QListWidgetItem(preset.name, m_presetList);
            item->setData(IdRole, preset.id);
            item->setToolTip(preset.description);
            if (preset.builtIn) {
                item->setToolTip(tr("Built-in: read-only. %1").arg(preset.description));
                QFont font = item->font();
                font.setItalic(true);
                item->setFont(font);
            }
            if (preset.id == keep)
                toSelect = item;
        }
        if (!ownHeader)
            header(tr("My presets"));
        colourHeaders();

        if (toSelect) {
            m_presetList->setCurrentItem(toSelect);
            // A change saved elsewhere shows up, unless the user is in the middle of an edit.
            if (!m_dirty)
                showPreset(
                    *std::find_if(m_presets.cbegin(), m_presets.cend(),
                                  [&keep](const Preset &preset) { return preset.id == keep; }));
        } else if (!m_dirty && (!m_current.id.isEmpty() || !m_loaded) && !m_presets.isEmpty()) {
            // Nothing chosen yet, or what was shown is gone: show the first preset.
            for (int row = 0; row < m_presetList->count(); ++row) {
                if (m_presetList->item(row)->data(IdRole).toString() == m_presets.first().id)
                    m_presetList->setCurrentRow(row);
            }
            showPreset(m_presets.first());
        }
        m_loaded = true;
        updateButtons();
        emit presetsLoaded();
    });
}

void PresetManagerDialog::newPreset()
{
    if (!confirmDiscard())
        return;
    {
        const QSignalBlocker blocker(m_presetList);
        m_presetList->setCurrentRow(-1);
    }
    showPreset(Preset());
    m_name->setFocus();
}

void PresetManagerDialog::duplicatePreset()
{
    if (m_current.id.isEmpty() || !confirmDiscard())
        return;
    Preset copy = m_current;
    copy.id.clear();
    copy.builtIn = false;
    copy.name = tr("%1 (copy)").arg(m_current.name);
    {
        const QSignalBlocker blocker(m_presetList);
        m_presetList->setCurrentRow(-1);
    }
    showPreset(copy);
    m_dirty = true;
    updateButtons();
    m_name->setFocus();
    m_name->selectAll();
}

void PresetManagerDialog::savePreset()
{
    if (m_busy || m_current.builtIn)
        return;
    const Preset preset = editedPreset();
    if (preset.name.isEmpty()) {
        m_status->showMessage(StatusLabel::Kind::Error, tr("Give the preset a name."));
        m_name->setFocus();
        return;
    }
    m_busy = true;
    updateButtons();
    m_service.savePreset(preset, this, [this](Result<Preset> saved) {
        m_busy = false;
        if (!saved) {
            m_status->showMessage(
                StatusLabel::Kind::Error,
                tr("The preset could not be saved: %1").arg(saved.error().message));
            updateButtons();
            return;
        }
        m_dirty = false;
        m_current = *saved;
        m_selectAfterReload = saved->id;
        updateButtons();
        m_status->showMessage(StatusLabel::Kind::Success, tr("Saved “%1”.").arg(saved->name));
        emit presetSaved(*saved);
        reload();
    });
}

void PresetManagerDialog::deletePreset()
{
    if (m_busy || m_current.builtIn || m_current.id.isEmpty())
        return;
    const Preset doomed = m_current;
    const auto answer = MessageBox::question(
        this, tr("Delete Preset"),
        tr("Delete the preset “%1”? This cannot be undone.").arg(doomed.name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    m_busy = true;
    updateButtons();
    m_service.deletePreset(doomed.id, this, [this, doomed](Result<void> deleted) {
        m_busy = false;
        if (!deleted) {
            m_status->showMessage(
                StatusLabel::Kind::Error,
                tr("The preset could not be deleted: %1").arg(deleted.error().message));
            updateButtons();
            return;
        }
        m_dirty = false;
        m_status->showMessage(StatusLabel::Kind::Success, tr("Deleted “%1”.").arg(doomed.name));
        updateButtons();
        reload();
    });
}

void PresetManagerDialog::importPresets()
{
    if (m_busy)
        return;
    const QString path = FileDialog::openFileName(this, tr("Import Presets"),
                                                  tr("Confab presets (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    const QString fileName = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_status->showMessage(StatusLabel::Kind::Error,
                              tr("%1 could not be read: %2").arg(fileName, file.errorString()));
        return;
    }
    if (file.size() > PresetCatalog::maxImportBytes) {
        m_status->showMessage(StatusLabel::Kind::Error,
                              tr("%1 is too large to be a presets file.").arg(fileName));
        return;
    }
    auto imported = PresetCatalog::importJson(file.readAll());
    if (!imported) {
        m_status->showMessage(
            StatusLabel::Kind::Error,
            tr("%1 could not be imported: %2").arg(fileName, imported.error().message));
        return;
    }
    if (imported->isEmpty()) {
        m_status->showMessage(StatusLabel::Kind::Error, tr("%1 holds no presets.").arg(fileName));
        return;
    }
    m_busy = true;
    updateButtons();
    const int total = int(imported->size());
    importNext(std::move(*imported), 0, total);
}

void PresetManagerDialog::importNext(QList<Preset> remaining, int added, int total)
{
    if (remaining.isEmpty()) {
        m_busy = false;
        m_status->showMessage(StatusLabel::Kind::Success, tr("Presets imported: %1").arg(added));
        updateButtons();
        emit importFinished(added);
        return;
    }
    Preset next = remaining.takeFirst();
    // The service gives every new preset its identity.
    next.id.clear();
    m_service.savePreset(
        next, this,
        [this, remaining = std::move(remaining), added, total](Result<Preset> saved) mutable {
            if (!saved) {
                m_busy = false;
                m_status->showMessage(StatusLabel::Kind::Error,
                                      tr("Imported %1 of %2 presets, then stopped: %3")
                                          .arg(added)
                                          .arg(total)
                                          .arg(saved.error().message));
                updateButtons();
                reload();
                emit importFinished(added);
                return;
            }
            if (added + 1 == total)
                m_selectAfterReload = saved->id;
            importNext(std::move(remaining), added + 1, total);
        });
}

void PresetManagerDialog::exportPresets()
{
    if (m_busy)
        return;
    // What the service holds now, not what the list showed a moment ago.
    m_service.presets(this, [this](Result<QList<Preset>> loaded) {
        if (!loaded) {
            m_status->showMessage(
                StatusLabel::Kind::Error,
                tr("The presets could not be loaded: %1").arg(loaded.error().message));
            return;
        }
        QList<Preset> own;
        std::copy_if(loaded->cbegin(), loaded->cend(), std::back_inserter(own),
                     [](const Preset &preset) { return !preset.builtIn; });
        if (own.isEmpty()) {
            m_status->showMessage(StatusLabel::Kind::Error,
                                  tr("You have no presets of your own to export yet."));
            return;
        }
        const QString path
            = FileDialog::saveFileName(this, tr("Export Presets"), u"confab-presets.json"_s,
                                       tr("Confab presets (*.json);;All files (*)"));
        if (path.isEmpty())
            return;
        const QString fileName = QFileInfo(path).fileName();
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(PresetCatalog::exportJson(own)) < 0
            || !file.commit()) {
            m_status->showMessage(
                StatusLabel::Kind::Error,
                tr("%1 could not be written: %2").arg(fileName, file.errorString()));
            return;
        }
        m_status->showMessage(StatusLabel::Kind::Success,
                              tr("Presets exported to %1: %2").arg(fileName).arg(own.size()));
        emit exportFinished(int(own.size()));
    });
}

void PresetManagerDialog::showPreset(const Preset &preset)
{
    m_filling = true;
    m_current = preset;
    m_name->setText(preset.name);
    m_description->setText(preset.description);
    // A long description shows its beginning, not its end.
    m_description->setCursorPosition(0);
    m_icon->setCurrentText(preset.icon);
    m_systemPrompt->setPlainText(preset.systemPrompt);
    m_openingMessage->setPlainText(preset.openingMessage);
    m_model->setText(preset.params.model);
    m_temperature->setValue(preset.params.temperature.value_or(UnsetTemperature));
    m_topP->setValue(preset.params.topP.value_or(UnsetTopP));
    m_maxTokens->setValue(preset.params.maxTokens.value_or(0));
    m_filling = false;
    m_dirty = false;

    const bool readOnly = preset.builtIn;
    m_builtInNote->setVisible(readOnly);
    for (QLineEdit *edit : {m_name, m_description, m_model})
        edit->setReadOnly(readOnly);
    for (QPlainTextEdit *edit : {m_systemPrompt, m_openingMessage})
        edit->setReadOnly(readOnly);
    for (QAbstractSpinBox *spinBox :
         std::initializer_list<QAbstractSpinBox *>{m_temperature, m_topP, m_maxTokens})
        spinBox->setReadOnly(readOnly);
    m_icon->setEnabled(!readOnly);
    updateButtons();
}

void PresetManagerDialog::onCurrentItemChanged(QListWidgetItem *current, QListWidgetItem *previous)
{
    if (!current)
        return;
    if (!confirmDiscard()) {
        const QSignalBlocker blocker(m_presetList);
        m_presetList->setCurrentItem(previous);
        return;
    }
    m_status->clearMessage();
    const QString id = current->data(IdRole).toString();
    for (const Preset &preset : std::as_const(m_presets)) {
        if (preset.id == id)
            return showPreset(preset);
    }
}

void PresetManagerDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        colourHeaders();
}

void PresetManagerDialog::colourHeaders()
{
    // Headers cannot be selected, and such items are drawn greyed out like disabled ones:
    // they are headings, so they get the normal text colour.
    const QBrush text = m_presetList->palette().brush(QPalette::Active, QPalette::Text);
    for (int row = 0; row < m_presetList->count(); ++row) {
        if (m_presetList->item(row)->data(HeaderRole).toBool())
            m_presetList->item(row)->setForeground(text);
    }
}

bool PresetManagerDialog::confirmDiscard()
{
    if (!m_dirty)
        return true;
    const QString name
        = m_name->text().trimmed().isEmpty() ? tr("the new preset") : m_name->text().trimmed();
    const auto answer = MessageBox::question(
        this, tr("Unsaved Changes"), tr("Discard your changes to “%1”?").arg(name),
        QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Discard)
        return false;
    m_dirty = false;
    return true;
}

void PresetManagerDialog::markDirty()
{
    if (m_filling || m_current.builtIn)
        return;
    m_dirty = true;
    updateButtons();
}

void PresetManagerDialog::updateButtons()
{
    const bool own = !m_current.builtIn;
    const bool saved = !m_current.id.isEmpty();
    m_savePreset->setEnabled(!m_busy && own && (m_dirty || !saved));
    m_deletePreset->setEnabled(!m_busy && own && saved);
    m_duplicatePreset->setEnabled(!m_busy && saved);
    m_newPreset->setEnabled(!m_busy);
    m_importPresets->setEnabled(!m_busy);
    m_exportPresets->setEnabled(!m_busy);
}

} // namespace confab
