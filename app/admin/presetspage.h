#pragma once

#include "common/types.h"

#include <QWidget>

class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace confab {

class ServerClient;
class StatusLabel;

// The presets the server offers its users: a list and an editor of each one's name,
// description, system prompt, opening message and parameters (JSON). Save replaces the
// server's whole list (PUT /admin/presets); nothing reaches users before that.
class PresetsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PresetsPage)

public:
    explicit PresetsPage(ServerClient &client, QWidget *parent = nullptr);

    int presetCount() const { return int(m_drafts.size()); }

public slots:
    void reload();
    void addPreset();
    void removePreset();
    void save();

signals:
    // The list was (re)loaded from the server's answer.
    void loaded();

protected:
    void changeEvent(QEvent *event) override;

private:
    // A preset as edited: its parameters stay text until they are saved.
    struct Draft
    {
        Preset preset;
        QString params;
    };

    void retranslateUi();
    void showPresets(const QJsonValue &reply);
    void editRow(int row);
    void keepEdits();
    void showError(const QString &text);

    ServerClient &m_client;
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QPlainTextEdit *m_systemPrompt;
    QPlainTextEdit *m_openingMessage;
    QPlainTextEdit *m_params;
    QPushButton *m_addButton;
    QPushButton *m_removeButton;
    QPushButton *m_reloadButton;
    QPushButton *m_saveButton;
    QWidget *m_editor;
    StatusLabel *m_status;
    QList<Draft> m_drafts;
    int m_editedRow = -1;
};

} // namespace confab
