#pragma once

#include "common/types.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;

namespace confab {

class ChatService;

// The sampling parameters of one conversation (model, temperature, top_p, max_tokens,
// penalties, stop sequences) and how many recent messages it sends. Every field may be left
// at "Default" (the provider's or connection's own). Edits are saved through
// ChatService::updateConversation a moment after the user stops typing.
class ParamsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParamsPanel)

public:
    ParamsPanel(ChatService &service, qint64 conversationId, QWidget *parent = nullptr);
    // Saves an edit still waiting for its delay.
    ~ParamsPanel() override;

    // The models offered in the model box (the connection's list); the current one stays.
    void setModels(const QStringList &models);
    // The parameters as the fields show them.
    ChatParams params() const;
    int contextMessages() const;
    // Whether the conversation's values have arrived.
    bool isLoaded() const { return m_loaded; }
    // Whether an edit waits to be saved.
    bool hasPendingChanges() const { return m_saveTimer.isActive(); }
    // Saves now instead of after the delay.
    void saveNow();
    int saveDelayMs() const { return m_saveTimer.interval(); }
    void setSaveDelayMs(int ms) { m_saveTimer.setInterval(ms); }

signals:
    void saved(const confab::Conversation &conversation);
    void saveFailed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void showConversation(const Conversation &conversation);
    void onEdited();

    ChatService &m_service;
    qint64 m_conversationId = 0;
    Conversation m_conversation;
    bool m_loaded = false;
    bool m_updating = false; // filling the fields from the conversation, not a user edit
    QTimer m_saveTimer;

    QLabel *m_modelLabel;
    QComboBox *m_modelCombo;
    QLabel *m_temperatureLabel;
    QDoubleSpinBox *m_temperatureSpin;
    QLabel *m_topPLabel;
    QDoubleSpinBox *m_topPSpin;
    QLabel *m_maxTokensLabel;
    QSpinBox *m_maxTokensSpin;
    QLabel *m_presencePenaltyLabel;
    QDoubleSpinBox *m_presencePenaltySpin;
    QLabel *m_frequencyPenaltyLabel;
    QDoubleSpinBox *m_frequencyPenaltySpin;
    QLabel *m_stopLabel;
    QPlainTextEdit *m_stopEdit;
    QLabel *m_contextLabel;
    QSpinBox *m_contextSpin;
};

} // namespace confab
