#pragma once

#include "common/types.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace confab {

class ChatService;
class StatusLabel;

// Lists the presets (built-ins read-only, marked) and lets the user create, change and delete
// their own, and import and export them as JSON files. Errors are shown inline.
class PresetManagerDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PresetManagerDialog)

public:
    explicit PresetManagerDialog(ChatService &service, QWidget *parent = nullptr);
    ~PresetManagerDialog() override;

    // The presets as last loaded from the service.
    const QList<Preset> &presets() const { return m_presets; }
    // The preset in the editor; empty id for a new one not saved yet.
    Preset editedPreset() const;
    // Selects a listed preset; false when there is none with that id.
    bool selectPreset(const QString &id);

public slots:
    void reload();
    void newPreset();
    void duplicatePreset();
    void savePreset();
    void deletePreset();
    void importPresets();
    void exportPresets();

signals:
    // The list was (re)loaded from the service.
    void presetsLoaded();
    void presetSaved(const confab::Preset &preset);
    // An import finished: how many presets were added (some, on a partial failure).
    void importFinished(int added);
    // An export was written: how many presets it holds.
    void exportFinished(int count);

protected:
    void changeEvent(QEvent *event) override;

private:
    void colourHeaders();
    void showPreset(const Preset &preset);
    void onCurrentItemChanged(QListWidgetItem *current, QListWidgetItem *previous);
    bool confirmDiscard();
    void markDirty();
    void updateButtons();
    void importNext(QList<Preset> remaining, int added, int total);

    ChatService &m_service;

    QListWidget *m_presetList = nullptr;
    QPushButton *m_newPreset = nullptr;
    QPushButton *m_duplicatePreset = nullptr;
    QPushButton *m_deletePreset = nullptr;
    QPushButton *m_importPresets = nullptr;
    QPushButton *m_exportPresets = nullptr;

    QLabel *m_builtInNote = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_description = nullptr;
    QComboBox *m_icon = nullptr;
    QPlainTextEdit *m_systemPrompt = nullptr;
    QPlainTextEdit *m_openingMessage = nullptr;
    QGroupBox *m_paramsGroup = nullptr;
    QLineEdit *m_model = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QDoubleSpinBox *m_topP = nullptr;
    QSpinBox *m_maxTokens = nullptr;
    QPushButton *m_savePreset = nullptr;
    StatusLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    QList<Preset> m_presets;
    Preset m_current; // what the editor started from: keeps fields the form does not show
    QString m_selectAfterReload;
    bool m_dirty = false;
    bool m_filling = false; // the form is being filled in, not edited
    bool m_busy = false;
    bool m_loaded = false;
};

} // namespace confab
