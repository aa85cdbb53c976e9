#pragma once

#include <QUrl>
#include <QWidget>

#include <functional>

class QFrame;
class QLabel;
class QScrollArea;
class QSplitter;
class QToolButton;

namespace confab {

class ChatService;
class Composer;
class MessageListModel;
class MessageView;
class ParamsPanel;
class Settings;
struct Error;

// One conversation in a tab: its messages, the composer, the parameters panel and a banner
// for what went wrong in it (with the provider's message and what to do). Sending, stopping,
// editing, regenerating and deleting go to the ChatService; the tab follows the service's
// signals, so another tab or window on the same conversation stays in step.
class ChatTab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatTab)

public:
    ChatTab(ChatService &service, Settings &settings, qint64 conversationId,
            QWidget *parent = nullptr);
    ~ChatTab() override;

    qint64 conversationId() const { return m_conversationId; }
    // The conversation's title as last heard from the service.
    QString title() const { return m_title; }

    // Sends text as the user's message (the main window sends a preset's opening message so).
    // On failure the text is left in the composer and the error shows in the banner.
    void send(const QString &text);
    // Stops the answer being written; its text so far is kept.
    void stop();
    bool isStreaming() const { return m_streaming; }

    QString draft() const;
    void setDraft(const QString &text);

    // Puts a message of the user's into the composer; sending then replaces it and drops what
    // followed. The draft that was in the composer comes back afterwards.
    void beginEdit(qint64 messageId, const QString &content);
    void cancelEdit();
    qint64 editingMessageId() const { return m_editingId; }

    void regenerate();
    void deleteMessage(qint64 messageId);

    // The banner's text, empty when hidden.
    QString errorText() const;
    void showError(const QString &message);
    void showError(const Error &error);
    void clearError();

    // The models the parameters panel offers.
    void setModels(const QStringList &models);
    bool isParamsPanelVisible() const;
    void setParamsPanelVisible(bool visible);

    // How allowed links (http, https, mailto) are opened: QDesktopServices by default; tests
    // replace it to see what would open.
    using LinkOpener = std::function<void(const QUrl &)>;
    void setLinkOpener(LinkOpener opener);

    MessageView *view() const { return m_view; }
    MessageListModel *model() const { return m_model; }
    Composer *composer() const { return m_composer; }
    ParamsPanel *paramsPanel() const { return m_paramsPanel; }

signals:
    void titleChanged(const QString &title);
    void streamingChanged(bool streaming);
    // The server refused to open this conversation: too many are open (the window offers to
    // close one; the message waits in the composer).
    void conversationLimitReached();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void applyFont();
    void updateBannerPalette();
    void setStreaming(bool streaming);
    void finishEdit();

    ChatService &m_service;
    Settings &m_settings;
    qint64 m_conversationId = 0;
    QString m_title;
    bool m_streaming = false;
    bool m_removed = false;
    qint64 m_editingId = 0;
    QString m_draftBeforeEdit;
    LinkOpener m_linkOpener;

    MessageListModel *m_model;
    QFrame *m_banner;
    QLabel *m_bannerLabel;
    QToolButton *m_bannerCloseButton;
    QSplitter *m_splitter;
    MessageView *m_view;
    QScrollArea *m_paramsScroll;
    ParamsPanel *m_paramsPanel;
    QFrame *m_editBar;
    QLabel *m_editLabel;
    QToolButton *m_cancelEditButton;
    Composer *m_composer;
    QToolButton *m_paramsButton;
};

} // namespace confab
