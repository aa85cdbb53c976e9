#include "chattab.h"

#include "chat/chatservice.h"
#include "chat/composer.h"
#include "chat/errorhint.h"
#include "chat/messagelistmodel.h"
#include "chat/messageview.h"
#include "chat/paramspanel.h"
#include "common/logging.h"
#include "settings/settings.h"

#include <QApplication>
#include <QDesktopServices>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace confab {

ChatTab::ChatTab(ChatService &service, Settings &settings, qint64 conversationId, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_settings(settings)
    , m_conversationId(conversationId)
    , m_linkOpener([](const QUrl &url) { QDesktopServices::openUrl(url); })
    , m_model(new MessageListModel(service, conversationId, this))
    , m_banner(new QFrame(this))
    , m_bannerLabel(new QLabel(m_banner))
    , m_bannerCloseButton(new QToolButton(m_banner))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_view(new MessageView(m_splitter))
    , m_paramsScroll(new QScrollArea(m_splitter))
    , m_paramsPanel(new ParamsPanel(service, conversationId))
    , m_editBar(new QFrame(this))
    , m_editLabel(new QLabel(m_editBar))
    , m_cancelEditButton(new QToolButton(m_editBar))
    , m_composer(new Composer(this))
    , m_paramsButton(new QToolButton(this))
{
    m_model->setObjectName(u"m_model"_s);
    m_banner->setObjectName(u"m_banner"_s);
    m_bannerLabel->setObjectName(u"m_bannerLabel"_s);
    m_bannerCloseButton->setObjectName(u"m_bannerCloseButton"_s);
    m_splitter->setObjectName(u"m_splitter"_s);
    m_view->setObjectName(u"m_view"_s);
    m_paramsScroll->setObjectName(u"m_paramsScroll"_s);
    m_paramsPanel->setObjectName(u"m_paramsPanel"_s);
    m_editBar->setObjectName(u"m_editBar"_s);
    m_editLabel->setObjectName(u"m_editLabel"_s);
    m_cancelEditButton->setObjectName(u"m_cancelEditButton"_s);
    m_composer->setObjectName(u"m_composer"_s);
    m_paramsButton->setObjectName(u"m_paramsButton"_s);

    // The banner: the provider's words are shown as they are, never as markup.
    m_bannerLabel->setTextFormat(Qt::PlainText);
    m_bannerLabel->setWordWrap(true);
    m_bannerLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bannerCloseButton->setAutoRaise(true);
    m_bannerCloseButton->setText(u"✕"_s);
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setAutoFillBackground(true);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->addWidget(m_bannerLabel, 1);
    bannerLayout->addWidget(m_bannerCloseButton, 0, Qt::AlignTop);
    m_banner->hide();
    connect(m_bannerCloseButton, &QToolButton::clicked, this, &ChatTab::clearError);

    m_view->setModel(m_model);
    m_paramsScroll->setWidget(m_paramsPanel);
    m_paramsScroll->setWidgetResizable(true);
    m_paramsScroll->setFrameShape(QFrame::NoFrame);
    m_paramsScroll->hide();
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_paramsScroll);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setChildrenCollapsible(false);

    m_editLabel->setWordWrap(true);
    m_cancelEditButton->setAutoRaise(true);
    auto *editLayout = new QHBoxLayout(m_editBar);
    editLayout->setContentsMargins(0, 0, 0, 0);
    editLayout->addWidget(m_editLabel, 1);
    editLayout->addWidget(m_cancelEditButton);
    m_editBar->hide();
    connect(m_cancelEditButton, &QToolButton::clicked, this, &ChatTab::cancelEdit);

    m_paramsButton->setCheckable(true);
    m_paramsButton->setAutoRaise(true);
    m_composer->addButton(m_paramsButton);
    connect(m_paramsButton, &QToolButton::toggled, this, &ChatTab::setParamsPanelVisible);

    auto *bottom = new QVBoxLayout;
    const int margin = fontMetrics().height() / 2;
    bottom->setContentsMargins(margin, margin / 2, margin, margin);
    bottom->addWidget(m_editBar);
    bottom->addWidget(m_composer);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
    layout->addLayout(bottom);
    setFocusProxy(m_composer);

    connect(m_composer, &Composer::sendRequested, this, &ChatTab::send);
    connect(m_composer, &Composer::stopRequested, this, &ChatTab::stop);
    connect(m_composer, &Composer::cancelRequested, this, [this] {
        if (m_editingId != 0)
            cancelEdit();
    });
    connect(m_view, &MessageView::linkActivated, this, [this](const QUrl &url) {
        if (m_linkOpener)
            m_linkOpener(url);
    });
    connect(m_view, &MessageView::editRequested, this, &ChatTab::beginEdit);
    connect(m_view, &MessageView::regenerateRequested, this, &ChatTab::regenerate);
    connect(m_view, &MessageView::deleteRequested, this, &ChatTab::deleteMessage);
    connect(m_model, &MessageListModel::loadFailed, this,
            [this](const QString &message) { showError(message); });
    connect(m_paramsPanel, &ParamsPanel::saveFailed, this,
            [this](const QString &message) { showError(message); });

    connect(&service, &ChatService::streamingChanged, this, [this](qint64 id, bool streaming) {
        if (id == m_conversationId)
            setStreaming(streaming);
    });
    connect(&service, &ChatService::messageUpdated, this, [this](const Message &message) {
        // An answer cut by an error (not by Stop): the message says so inline; the banner
        // says what to do about it.
        if (message.conversationId != m_conversationId || !m_streaming
            || message.state != MessageState::Incomplete || message.finishReason == "cancelled"_L1)
            return;
        const QString reason = message.errorMessage.isEmpty()
            ? tr("The answer is incomplete.")
            : tr("The answer failed: %1").arg(message.errorMessage);
        const QString hint = ErrorHint::forCode(message.finishReason);
        showError(hint.isEmpty() ? reason : reason + u' ' + hint);
    });
    connect(&service, &ChatService::conversationChanged, this,
            [this](const Conversation &conversation) {
                if (conversation.id != m_conversationId || conversation.title == m_title)
                    return;
                m_title = conversation.title;
                emit titleChanged(m_title);
            });
    connect(&service, &ChatService::conversationRemoved, this, [this](qint64 id) {
        if (id != m_conversationId)
            return;
        m_removed = true;
        m_composer->setEnabled(false);
        showError(tr("This conversation was deleted."));
    });
    service.conversation(conversationId, this, [this](Result<Conversation> conversation) {
        if (!conversation) {
            showError(conversation.error());
            return;
        }
        if (conversation->title != m_title) {
            m_title = conversation->title;
            emit titleChanged(m_title);
        }
    });

    m_composer->setSendKey(settings.sendKey());
    connect(&settings, &Settings::sendKeyChanged, m_composer, &Composer::setSendKey);
    connect(&settings, &Settings::fontSizeChanged, this, &ChatTab::applyFont);
    applyFont();
    setStreaming(service.isStreaming(conversationId));
    retranslate();
    updateBannerPalette();
}

ChatTab::~ChatTab() = default;

void ChatTab::send(const QString &text)
{
    if (text.trimmed().isEmpty() || m_removed)
        return;
    const qint64 editing = m_editingId;
    m_composer->setSending(true);
    auto done = [this, text, editing](const Result<Message> &result) {
        m_composer->setSending(false);
        if (!result) {
            // Nothing is lost: the text stays (or, sent from elsewhere, lands) in the composer.
            if (m_composer->text().isEmpty())
                m_composer->setText(text);
            const Error &error = result.error();
            if (error.serverCode == "rate_limited"_L1) {
                // A server's throttle is a wait, not a failure: the Send button counts it down.
                clearError();
                m_composer->startCooldown(std::chrono::milliseconds(
                    error.details.value(u"retry_after_ms"_s).toLongLong()));
                return;
            }
            showError(error);
            if (error.serverCode == "too_many_conversations"_L1)
                emit conversationLimitReached();
            return;
        }
        clearError();
        if (editing != 0 && editing == m_editingId) {
            finishEdit();
        } else if (m_composer->text() == text) {
            m_composer->clear();
        }
    };
    if (editing != 0)
        m_service.editAndResend(editing, text, this, done);
    else
        m_service.sendMessage(m_conversationId, text, this, done);
}

void ChatTab::stop()
{
    m_service.cancel(m_conversationId);
}

QString ChatTab::draft() const
{
    return m_editingId != 0 ? m_draftBeforeEdit : m_composer->text();
}

void ChatTab::setDraft(const QString &text)
{
    if (m_editingId != 0)
        m_draftBeforeEdit = text;
    else
        m_composer->setText(text);
}

void ChatTab::beginEdit(qint64 messageId, const QString &content)
{
    if (m_editingId == 0)
        m_draftBeforeEdit = m_composer->text();
    m_editingId = messageId;
    m_composer->setText(content);
    m_editBar->show();
    m_composer->setFocus(Qt::OtherFocusReason);
}

void ChatTab::cancelEdit()
{
    if (m_editingId == 0)
        return;
    finishEdit();
}

void ChatTab::finishEdit()
{
    m_editingId = 0;
    m_editBar->hide();
    m_composer->setText(std::exchange(m_draftBeforeEdit, {}));
}

void ChatTab::regenerate()
{
    m_service.regenerate(m_conversationId, this, [this](const Result<void> &result) {
        if (!result)
            showError(result.error());
        else
            clearError();
    });
}

void ChatTab::deleteMessage(qint64 messageId)
{
    if (messageId == m_editingId)
        cancelEdit();
    m_service.deleteMessage(messageId, this, [this](const Result<void> &result) {
        if (!result)
            showError(result.error());
    });
}

QString ChatTab::errorText() const
{
    return m_banner->isHidden() ? QString() : m_bannerLabel->text();
}

void ChatTab::showError(const QString &message)
{
    m_bannerLabel->setText(message);
    m_banner->show();
}

void ChatTab::showError(const Error &error)
{
    qCInfo(lcGui) << "conversation" << m_conversationId << error.toString();
    showError(ErrorHint::describe(error));
}

void ChatTab::clearError()
{
    m_banner->hide();
    m_bannerLabel->clear();
}

void ChatTab::setModels(const QStringList &models)
{
    m_paramsPanel->setModels(models);
}

bool ChatTab::isParamsPanelVisible() const
{
    return !m_paramsScroll->isHidden();
}

void ChatTab::setParamsPanelVisible(bool visible)
{
    if (visible && m_paramsScroll->isHidden()) {
        // As wide as the fields want; the conversation keeps the rest.
        m_paramsPanel->ensurePolished();
        const int scrollBar = m_paramsScroll->verticalScrollBar()->sizeHint().width();
        m_paramsScroll->setMinimumWidth(m_paramsPanel->minimumSizeHint().width() + scrollBar);
        const int width = m_paramsPanel->sizeHint().width() + scrollBar;
        m_paramsScroll->show();
        const int total = m_splitter->width();
        m_splitter->setSizes({std::max(total - width, total / 2), std::min(width, total / 2)});
    } else if (!visible) {
        m_paramsScroll->hide();
    }
    if (m_paramsButton->isChecked() != visible)
        m_paramsButton->setChecked(visible);
}

void ChatTab::setLinkOpener(LinkOpener opener)
{
    m_linkOpener = std::move(opener);
}

void ChatTab::setStreaming(bool streaming)
{
    m_composer->setStreaming(streaming);
    m_view->setBusy(streaming);
    if (m_streaming == streaming)
        return;
    m_streaming = streaming;
    emit streamingChanged(streaming);
}

void ChatTab::applyFont()
{
    QFont font = QApplication::font();
    if (const int points = m_settings.fontSize(); points > 0)
        font.setPointSize(points);
    m_view->setFont(font);
    m_composer->editor()->setFont(font);
}

void ChatTab::updateBannerPalette()
{
    QPalette palette = m_banner->palette();
    const QColor base = QApplication::palette().color(QPalette::Base);
    const QColor text = QApplication::palette().color(QPalette::Text);
    const bool dark = base.lightness() < text.lightness();
    palette.setColor(QPalette::Window, dark ? QColor(0x4a, 0x35, 0x18) : QColor(0xfd, 0xf0, 0xd5));
    palette.setColor(QPalette::WindowText, text);
    m_banner->setPalette(palette);
}

void ChatTab::retranslate()
{
    m_bannerCloseButton->setToolTip(tr("Dismiss"));
    m_editLabel->setText(tr("Editing a message: sending it again drops the messages after it."));
    m_cancelEditButton->setText(tr("Cancel"));
    m_paramsButton->setText(tr("Parameters"));
    m_paramsButton->setToolTip(tr("Model and sampling parameters of this conversation"));
}

void ChatTab::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange)
        updateBannerPalette();
    QWidget::changeEvent(event);
}

} // namespace confab
