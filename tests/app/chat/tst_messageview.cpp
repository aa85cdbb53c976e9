#include "chat/messagedelegate.h"
#include "chat/messagelistmodel.h"
#include "chat/messageview.h"
#include "chat/safetextdocument.h"
#include "chattestenv.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QImage>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTextBlock>
#include <QTextDocument>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

// MessageView and MessageDelegate on a real model: rendering, caching, scrolling, selection,
// links and the safety of untrusted output.
class MessageViewTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ChatTestEnv> m_env;
    std::unique_ptr<MessageListModel> m_model;
    std::unique_ptr<MessageView> m_view;

    QList<Message> history(int count, const QString &text = u"message %1"_s)
    {
        QList<Message> messages;
        for (int i = 0; i < count; ++i)
            messages.append(makeMessage(i % 2 ? Role::Assistant : Role::User, text.arg(i)));
        return messages;
    }

    // A view on a conversation of these messages, shown, with its first page painted.
    bool open(const QList<Message> &messages, int pageSize = 50, QSize size = {700, 600})
    {
        const qint64 id = m_env->conversationWith(messages);
        if (id == 0)
            return false;
        m_model = std::make_unique<MessageListModel>(m_env->service(), id, nullptr, pageSize);
        m_view = std::make_unique<MessageView>();
        m_view->setModel(m_model.get());
        m_view->resize(size);
        m_view->show();
        if (!QTest::qWaitForWindowExposed(m_view.get()))
            return false;
        if (!QTest::qWaitFor([&] { return m_model->isLoaded() && !m_model->isLoading(); }, 5000))
            return false;
        QTest::qWait(50);
        m_view->grab(); // paints everything visible
        return true;
    }

    QModelIndex row(int r) const { return m_model->index(r); }
    qint64 idAt(int r) const { return row(r).data(MessageListModel::IdRole).toLongLong(); }

    // A point (viewport coordinates) over the link with this href in row r, or (-1,-1).
    QPoint findAnchor(int r, const QString &href)
    {
        const QModelIndex index = row(r);
        const QStyleOptionViewItem option = m_view->optionFor(index);
        const QRect rect = option.rect & m_view->viewport()->rect();
        for (int y = rect.top(); y < rect.bottom(); y += 3) {
            for (int x = rect.left(); x < rect.right(); x += 3) {
                const auto hit = m_view->messageDelegate()->hitTest(option, index, {x, y});
                if (hit.anchor == href)
                    return {x, y};
            }
        }
        return {-1, -1};
    }

    QPoint findAction(int r, MessageDelegate::Action action)
    {
        const QModelIndex index = row(r);
        const QStyleOptionViewItem option = m_view->optionFor(index);
        const QRect rect = option.rect & m_view->viewport()->rect();
        for (int y = rect.top(); y < rect.bottom(); y += 2) {
            for (int x = rect.left(); x < rect.right(); x += 2) {
                if (m_view->messageDelegate()->hitTest(option, index, {x, y}).action == action)
                    return {x, y};
            }
        }
        return {-1, -1};
    }

    static QStringList anchorsOf(const QTextDocument *document)
    {
        QStringList anchors;
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
            for (auto it = block.begin(); !it.atEnd(); ++it) {
                const QString href = it.fragment().charFormat().anchorHref();
                if (!href.isEmpty())
                    anchors.append(href);
            }
        }
        return anchors;
    }

    void hover(QPoint pos) { QTest::mouseMove(m_view->viewport(), pos); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_env = std::make_unique<ChatTestEnv>();
        QString error;
        QVERIFY2(m_env->setUp(&error), qPrintable(error));
    }

    void cleanup()
    {
        m_view.reset();
        m_model.reset();
        m_env.reset();
    }

    void shouldRenderOnlyTheMessageADeltaChanged()
    {
        QVERIFY(open(history(20)));
        MessageDelegate *delegate = m_view->messageDelegate();
        QVERIFY(delegate->renderCount() >= 20);
        const int renders = delegate->renderCount();
        const int layouts = delegate->layoutCount();

        emit m_env->service().messageDelta(m_model->conversationId(), idAt(19), u" and more"_s, {});
        m_view->flushPendingChanges();
        m_view->grab();
        QCOMPARE(delegate->renderCount(), renders + 1);
        QCOMPARE(delegate->layoutCount(), layouts + 1);

        // A change of state alone (the answer finished) lays out again but renders nothing.
        Message finished = *m_model->messageAt(19);
        finished.finishReason = u"stop"_s;
        emit m_env->service().messageUpdated(finished);
        m_view->flushPendingChanges();
        m_view->grab();
        QCOMPARE(delegate->renderCount(), renders + 1);
        QCOMPARE(delegate->layoutCount(), layouts + 2);

        // Scrolling and repainting render nothing again.
        m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum() / 2);
        m_view->grab();
        m_view->scrollToBottom();
        m_view->grab();
        QCOMPARE(delegate->renderCount(), renders + 1);
    }

    void shouldStayCorrectWhenTheCachesEvict()
    {
        QVERIFY(open(history(40,
                             u"A long enough message %1 to wrap at least once in a narrow view, "
                             u"which it would not do if its document had no width."_s),
                     50, {300, 900}));
        MessageDelegate *delegate = m_view->messageDelegate();
        // Fewer documents than rows on screen: painting evicts and re-renders as it goes,
        // while the (bigger) layout cache keeps the layouts.
        delegate->setCacheLimits(3, 1000);
        for (int pass = 0; pass < 3; ++pass) {
            m_view->verticalScrollBar()->setValue(
                pass % 2 ? 0 : m_view->verticalScrollBar()->maximum());
            m_view->grab();
            QVERIFY(delegate->cachedDocumentCount() <= 3);
            for (int r = 0; r < m_model->rowCount(); ++r) {
                if (const QTextDocument *doc
                    = delegate->cachedDocument(idAt(r), MessageDelegate::Part::Content))
                    QVERIFY2(doc->textWidth() > 0, qPrintable(u"row %1"_s.arg(r)));
            }
        }
    }

    void shouldGrowTheStreamingMessageAndFollowTheBottom()
    {
        QVERIFY(open(history(30)));
        QScrollBar *bar = m_view->verticalScrollBar();
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(m_view->isFollowingBottom());
        const int height = m_view->visualRect(row(29)).height();
        const int max = bar->maximum();

        for (int i = 0; i < 40; ++i)
            emit m_env->service().messageDelta(m_model->conversationId(), idAt(29),
                                               u"word%1 "_s.arg(i), {});
        m_view->flushPendingChanges();
        QVERIFY(m_view->visualRect(row(29)).height() > height);
        QVERIFY2(bar->maximum() > max,
                 qPrintable(u"%1 %2 %3 %4"_s.arg(bar->maximum())
                                .arg(max)
                                .arg(m_view->visualRect(row(29)).height())
                                .arg(height)));
        QCOMPARE(bar->value(), bar->maximum());
    }

    void shouldNotFollowWhenTheUserScrolledUp()
    {
        QVERIFY(open(history(30)));
        QScrollBar *bar = m_view->verticalScrollBar();
        bar->setValue(bar->maximum() / 2);
        QVERIFY(!m_view->isFollowingBottom());
        const int value = bar->value();
        const int max = bar->maximum();
        for (int i = 0; i < 40; ++i)
            emit m_env->service().messageDelta(m_model->conversationId(), idAt(29),
                                               u"word%1 "_s.arg(i), {});
        m_view->flushPendingChanges();
        QVERIFY(bar->maximum() > max);
        QCOMPARE(bar->value(), value);

        // Back at the bottom, it follows again.
        bar->setValue(bar->maximum());
        QVERIFY(m_view->isFollowingBottom());
    }

    void shouldKeepItsPlaceWhenOlderMessagesArrive()
    {
        QVERIFY(open(history(130), 40));
        QCOMPARE(m_model->rowCount(), 40);
        QScrollBar *bar = m_view->verticalScrollBar();
        // Scroll near the top: the next page loads.
        const QModelIndex anchor = row(3);
        const qint64 anchorId = idAt(3);
        m_view->scrollTo(anchor, QAbstractItemView::PositionAtTop);
        const int topBefore = m_view->visualRect(anchor).top();
        QVERIFY(bar->value() < bar->maximum());
        QTRY_VERIFY_WITH_TIMEOUT(m_model->rowCount() > 40, 5000);
        QTest::qWait(50);
        const int newRow = m_model->rowOf(anchorId);
        QVERIFY(newRow >= 40);
        QVERIFY2(
            std::abs(m_view->visualRect(row(newRow)).top() - topBefore) <= 2,
            qPrintable(u"%1 vs %2"_s.arg(m_view->visualRect(row(newRow)).top()).arg(topBefore)));
    }

    void shouldFillTheViewWithOlderPagesWhenMessagesAreFew()
    {
        // One-line messages do not fill a tall view: older pages come until they do.
        QVERIFY(open(history(100), 5, {700, 900}));
        QTRY_VERIFY_WITH_TIMEOUT(m_view->verticalScrollBar()->maximum() > 0, 5000);
        QVERIFY(m_model->rowCount() > 5);
        QVERIFY(m_model->rowCount() < 100);
    }

    void shouldLoadNoResourceButQrcAndOpenOnlyWebLinks_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::newRow("image from a path") << u"![](/etc/hostname)"_s;
        QTest::newRow("image from file:") << u"![x](file:///etc/passwd)"_s;
        QTest::newRow("image over http") << u"![x](http://127.0.0.1:1/x.png)"_s;
        QTest::newRow("javascript link") << u"[a](javascript:alert(1))"_s;
        QTest::newRow("file link") << u"[b](file:///etc/passwd)"_s;
        QTest::newRow("raw img") << u"<img src=\"/etc/hostname\">"_s;
        QTest::newRow("raw link") << u"<a href=\"file:///etc/passwd\">local</a>"_s;
        QTest::newRow("all at once")
            << u"![](/etc/hostname) ![x](file:///etc/passwd) [a](javascript:alert(1)) "
               u"[b](file:///etc/passwd) <img src=\"/etc/hostname\"> [ok](https://example.com/ok)"_s;
    }

    void shouldLoadNoResourceButQrcAndOpenOnlyWebLinks()
    {
        QFETCH(QString, markdown);
        QVERIFY(open({makeMessage(Role::User, markdown), makeMessage(Role::Assistant, markdown)}));
        QSignalSpy links(m_view.get(), &MessageView::linkActivated);
        for (int r = 0; r < 2; ++r) {
            const QStyleOptionViewItem option = m_view->optionFor(row(r));
            QTextDocument *document = m_view->messageDelegate()->document(
                option, row(r), MessageDelegate::Part::Content);
            auto *safe = qobject_cast<SafeTextDocument *>(document);
            QVERIFY(safe);
            for (const QUrl &url : safe->requestedResources())
                QCOMPARE(url.scheme(), u"qrc"_s);
            for (const QString &href : anchorsOf(document))
                QVERIFY2(href.startsWith("https:"_L1) || href.startsWith("http:"_L1),
                         qPrintable(href));
            // Raw HTML shows as text.
            if (markdown.contains(u'<'))
                QVERIFY(document->toPlainText().contains(u'<'));
            for (const QString &href : {u"javascript:alert(1)"_s, u"file:///etc/passwd"_s,
                                        u"/etc/hostname"_s, u"data:text/html,hi"_s})
                QVERIFY(!m_view->activateLink(href, idAt(r)));
        }
        QCOMPARE(links.size(), 0);
        QVERIFY(m_view->findChildren<QNetworkAccessManager *>().isEmpty());
    }

    void shouldReadNoFileEvenForRawImageHtml()
    {
        // The document itself, given HTML the renderer never produces: a real image on disk.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.png"_s);
        QImage big(400, 300, QImage::Format_RGB32);
        big.fill(Qt::red);
        QVERIFY(big.save(path));

        SafeTextDocument document;
        document.setHtml(u"<p>x<img src=\"%1\"><img src=\"file://%1\"></p>"_s.arg(path));
        document.setTextWidth(800);
        QImage canvas(800, 400, QImage::Format_ARGB32);
        QPainter painter(&canvas);
        document.drawContents(&painter);
        painter.end();
        QCOMPARE(document.requestedResources().size(), 2);
        // Had the file been read, the line would be 300 pixels tall.
        QVERIFY2(document.size().height() < 100,
                 qPrintable(QString::number(document.size().height())));

        // qrc: is allowed.
        SafeTextDocument resources;
        resources.setHtml(
            u"<img src=\"qrc:/qt-project.org/styles/commonstyle/images/file-16.png\">"_s);
        resources.setTextWidth(800);
        QVERIFY(resources.size().height() >= 16);
        QVERIFY(SafeTextDocument::isAllowedResource(QUrl(u"qrc:/x.png"_s)));
        QVERIFY(!SafeTextDocument::isAllowedResource(QUrl(u"file:///x.png"_s)));
        QVERIFY(!SafeTextDocument::isAllowedResource(QUrl(u"/x.png"_s)));
    }

    void shouldOpenAWebLinkThroughTheSignal()
    {
        QVERIFY(open(
            {makeMessage(Role::Assistant, u"See [the docs](https://example.com/docs) now."_s)}));
        QSignalSpy links(m_view.get(), &MessageView::linkActivated);
        const QPoint at = findAnchor(0, u"https://example.com/docs"_s);
        QVERIFY(at.x() >= 0);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(links.size(), 1);
        QCOMPARE(links.first().at(0).toUrl(), QUrl(u"https://example.com/docs"_s));
    }

    void shouldCopyACodeBlockFromItsLink()
    {
        QVERIFY(open({makeMessage(
            Role::Assistant, u"Run this:\n\n```python\nprint(\"你好\")\nx = 1\n```\n\nDone."_s)}));
        QApplication::clipboard()->clear();
        const QPoint at = findAnchor(0, u"confab-copy:0"_s);
        QVERIFY(at.x() >= 0);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(QApplication::clipboard()->text(), u"print(\"你好\")\nx = 1"_s);
    }

    void shouldSelectAndCopyTextByDragging()
    {
        QVERIFY(open(
            {makeMessage(Role::Assistant, u"The quick brown fox jumps over the lazy dog."_s)}));
        const QModelIndex index = row(0);
        const QStyleOptionViewItem option = m_view->optionFor(index);
        QPoint start(-1, -1);
        for (int x = option.rect.left(); x < option.rect.right() && start.x() < 0; ++x) {
            for (int y = option.rect.top(); y < option.rect.bottom(); ++y) {
                const auto hit = m_view->messageDelegate()->hitTest(option, index, {x, y});
                if (hit.part == MessageDelegate::Part::Content && hit.cursorPosition == 0) {
                    start = {x + 1, y + 2};
                    break;
                }
            }
        }
        QVERIFY(start.x() >= 0);
        QTest::mousePress(m_view->viewport(), Qt::LeftButton, {}, start);
        QTest::mouseMove(m_view->viewport(), start + QPoint(60, 0));
        QTest::mouseMove(m_view->viewport(), start + QPoint(120, 0));
        QTest::mouseRelease(m_view->viewport(), Qt::LeftButton, {}, start + QPoint(120, 0));
        const QString selected = m_view->selectedText();
        QVERIFY2(selected.size() > 3, qPrintable(selected));
        QVERIFY(u"The quick brown fox jumps over the lazy dog."_s.startsWith(selected));

        QApplication::clipboard()->clear();
        QTest::keySequence(m_view.get(), QKeySequence::Copy);
        QCOMPARE(QApplication::clipboard()->text(), selected);
    }

    void shouldCollapseReasoningUntilAsked()
    {
        Message answer = makeMessage(Role::Assistant, u"The answer is 4."_s);
        answer.reasoning = u"First, 2 + 2.\nThat is 4.\nCheck: yes."_s;
        QVERIFY(open({makeMessage(Role::User, u"2+2?"_s), answer}));
        const int collapsed = m_view->visualRect(row(1)).height();
        QVERIFY(!m_view->messageDelegate()->isReasoningExpanded(idAt(1)));
        const QPoint header = findAction(1, MessageDelegate::Action::ToggleReasoning);
        QVERIFY(header.x() >= 0);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, header);
        QVERIFY(m_view->messageDelegate()->isReasoningExpanded(idAt(1)));
        QTRY_VERIFY(m_view->visualRect(row(1)).height() > collapsed);
    }

    void shouldMarkAnIncompleteAnswerWithItsErrorAndRetry()
    {
        Message cut = makeMessage(Role::Assistant, u"Partial"_s, MessageState::Incomplete);
        cut.finishReason = u"rate_limited"_s;
        cut.errorMessage = u"Rate limit reached for requests"_s;
        QVERIFY(open({makeMessage(Role::User, u"Hi"_s), cut}));
        const QString status = m_view->messageDelegate()->statusText(row(1));
        QVERIFY(status.contains(u"Rate limit reached for requests"_s));
        QVERIFY(status.contains(u"wait"_s)); // the hint
        QSignalSpy regenerate(m_view.get(), &MessageView::regenerateRequested);
        const QPoint retry = findAction(1, MessageDelegate::Action::Retry);
        QVERIFY(retry.x() >= 0);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, retry);
        QCOMPARE(regenerate.size(), 1);

        // Stopped by the user: said so, without an error.
        Message stopped = *m_model->messageAt(1);
        stopped.finishReason = u"cancelled"_s;
        stopped.errorMessage = u"Stopped."_s;
        emit m_env->service().messageUpdated(stopped);
        QCOMPARE(m_view->messageDelegate()->statusText(row(1)), u"⚠ Stopped"_s);
    }

    void shouldOfferActionsByMessageKind()
    {
        QVERIFY(open(
            {makeMessage(Role::User, u"Question"_s), makeMessage(Role::Assistant, u"Answer"_s)}));
        auto names = [this](int r) {
            std::unique_ptr<QMenu> menu(
                m_view->createContextMenu(row(r), m_view->visualRect(row(r)).center()));
            QStringList result;
            for (QAction *action : menu->actions())
                if (!action->isSeparator())
                    result.append(action->objectName());
            return result;
        };
        QCOMPARE(names(0),
                 QStringList({u"copyMessageAction"_s, u"editAction"_s, u"deleteAction"_s}));
        QCOMPARE(names(1),
                 QStringList({u"copyMessageAction"_s, u"regenerateAction"_s, u"deleteAction"_s}));
        m_view->setBusy(true);
        QCOMPARE(names(0), QStringList({u"copyMessageAction"_s}));
        m_view->setBusy(false);

        QSignalSpy edit(m_view.get(), &MessageView::editRequested);
        QSignalSpy remove(m_view.get(), &MessageView::deleteRequested);
        // Hover buttons show and work under the pointer.
        hover(m_view->visualRect(row(0)).center());
        QCOMPARE(m_view->messageDelegate()->hoveredMessage(), idAt(0));
        const QPoint editAt = findAction(0, MessageDelegate::Action::Edit);
        QVERIFY(editAt.x() >= 0);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, editAt);
        QCOMPARE(edit.size(), 1);
        QCOMPARE(edit.first().at(1).toString(), u"Question"_s);
        const QPoint deleteAt = findAction(0, MessageDelegate::Action::Delete);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, deleteAt);
        QCOMPARE(remove.size(), 1);
        QCOMPARE(remove.first().at(0).toLongLong(), idAt(0));

        QApplication::clipboard()->clear();
        m_view->copyMessage(idAt(1));
        QCOMPARE(QApplication::clipboard()->text(), u"Answer"_s);
    }

    void shouldReLayOutOnResizeAndReRenderOnFontChange()
    {
        QVERIFY(
            open(history(10, u"A somewhat longer message number %1 that wraps when narrow."_s)));
        MessageDelegate *delegate = m_view->messageDelegate();
        const int renders = delegate->renderCount();
        const int height = m_view->visualRect(row(9)).height();
        m_view->resize(260, 600);
        QTRY_VERIFY(m_view->visualRect(row(9)).height() > height);
        m_view->grab();
        QCOMPARE(delegate->renderCount(), renders);

        QFont font = m_view->font();
        font.setPointSize(font.pointSize() + 4);
        m_view->setFont(font);
        QTRY_VERIFY(delegate->renderCount() > renders);
    }

    void shouldReleaseRenderedDocumentsWhileHidden()
    {
        QVERIFY(open(history(10, u"Message %1 with **markdown**."_s)));
        MessageDelegate *delegate = m_view->messageDelegate();
        m_view->grab();
        QVERIFY(delegate->cachedDocumentCount() > 0);
        const int height = m_view->visualRect(row(9)).height();

        m_view->hide();
        QCOMPARE(delegate->cachedDocumentCount(), 0);
        QVERIFY(delegate->cachedLayoutCount() > 0); // heights are kept

        m_view->show();
        m_view->grab();
        QVERIFY(delegate->cachedDocumentCount() > 0);
        QCOMPARE(m_view->visualRect(row(9)).height(), height);
    }
};

QTEST_MAIN(MessageViewTest)
#include "tst_messageview.moc"
