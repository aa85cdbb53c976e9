#include "chat/chatservice.h"
#include "chat/chattab.h"
#include "chat/composer.h"
#include "chat/messagedelegate.h"
#include "chat/messagelistmodel.h"
#include "chat/messageview.h"
#include "chattestenv.h"
#include "settings/theme.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QStandardPaths>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

// Renders a ChatTab with a realistic conversation in the light and the dark theme and saves
// the pictures (CONFAB_SCREENSHOT_DIR, else the temporary directory) for people to look at;
// checks what a machine can: the theme took, the bubble is tinted, nothing is blank.
class ChatScreenshotsTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ChatTestEnv> m_env;

    static QString outputDir()
    {
        const QString dir = qEnvironmentVariable("CONFAB_SCREENSHOT_DIR");
        return dir.isEmpty() ? QDir::tempPath() : dir;
    }

    QList<Message> conversation()
    {
        QList<Message> messages;
        messages.append(
            makeMessage(Role::User, u"用 Vue 3 写一个计数器组件，并和 Vue 2 比较一下。"_s));
        Message answer = makeMessage(
            Role::Assistant,
            u"## 计数器组件\n\n"
            u"下面是一个使用 **Composition API** 的最小示例：\n\n"
            u"```js\nimport { ref } from 'vue'\n\nexport default {\n  setup() {\n"
            u"    const count = ref(0)\n    const increment = () => count.value++\n"
            u"    return { count, increment }\n  }\n}\n```\n\n"
            u"| Feature | Vue 2 | Vue 3 |\n|:--|:--:|--:|\n"
            u"| Composition API | plugin | **built in** |\n"
            u"| `<script setup>` | no | yes |\n| 性能 | 1x | ~2x |\n\n"
            u"要点：\n\n1. `ref` 包装一个值\n2. 模板里自动解包\n   - 嵌套列表也可以\n\n"
            u"详见 [官方文档](https://vuejs.org/guide/) 或 <script>alert(1)</script>。"_s);
        answer.reasoning
            = u"用户想要一个 Vue 3 计数器。\nI should show ref() and compare with Vue 2's data()."_s;
        messages.append(answer);
        messages.append(
            makeMessage(Role::User, u"Can you explain `ref` vs `reactive`?\nShort, please."_s));
        Message cut
            = makeMessage(Role::Assistant,
                          u"`ref` wraps a single value in an object with a `.value` property, "
                          u"while `reactive` makes a whole object"_s,
                          MessageState::Incomplete);
        cut.finishReason = u"rate_limited"_s;
        cut.errorMessage = u"Rate limit reached for gpt-4o on requests per min (RPM): Limit 3."_s;
        messages.append(cut);
        return messages;
    }

    QImage shoot(Settings::Theme theme, QSize size, const QString &name)
    {
        Theme::apply(*qApp, theme);
        const qint64 id = m_env->conversationWith(conversation(), u"Vue"_s);
        ChatTab tab(m_env->service(), m_env->settings(), id);
        tab.resize(size);
        tab.setDraft(u"还有一个问题…"_s);
        tab.show();
        if (!QTest::qWaitForWindowExposed(&tab)
            || !QTest::qWaitFor([&] { return tab.model()->isLoaded(); }, 5000))
            return {};
        // Show the reasoning of the first answer, and the hover actions of the question.
        const qint64 answer = tab.model()->index(1).data(MessageListModel::IdRole).toLongLong();
        tab.view()->triggerAction(MessageDelegate::Action::ToggleReasoning, answer);
        tab.view()->messageDelegate()->setHoveredMessage(
            tab.model()->index(2).data(MessageListModel::IdRole).toLongLong());
        QTest::qWait(100);
        tab.view()->scrollToBottom();
        QTest::qWait(50);
        const QImage image = tab.grab().toImage();
        const QString path = QDir(outputDir()).filePath(name);
        image.save(path);
        qInfo("screenshot: %s", qPrintable(path));
        return image;
    }

    // How many pixels of this image are close to colour c.
    static int pixelsNear(const QImage &image, const QColor &c)
    {
        int count = 0;
        for (int y = 0; y < image.height(); y += 2) {
            for (int x = 0; x < image.width(); x += 2) {
                const QColor p = image.pixelColor(x, y);
                if (std::abs(p.red() - c.red()) + std::abs(p.green() - c.green())
                        + std::abs(p.blue() - c.blue())
                    < 12)
                    ++count;
            }
        }
        return count;
    }

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
        m_env.reset();
        Theme::apply(*qApp, Settings::Theme::Light);
    }

    void shouldLookRightInTheLightTheme()
    {
        const QImage image = shoot(Settings::Theme::Light, {900, 1100}, u"confab-chat-light.png"_s);
        QVERIFY(!image.isNull());
        const QColor base = QApplication::palette().color(QPalette::Base);
        QVERIFY(base.lightness() > 200);
        QVERIFY(pixelsNear(image, base) > image.width() * image.height() / 16);
    }

    void shouldLookRightInTheDarkTheme()
    {
        const QImage image = shoot(Settings::Theme::Dark, {900, 1100}, u"confab-chat-dark.png"_s);
        QVERIFY(!image.isNull());
        const QColor base = QApplication::palette().color(QPalette::Base);
        QVERIFY(base.lightness() < 60);
        QVERIFY(pixelsNear(image, base) > image.width() * image.height() / 16);
        // No light block (an unthemed code box or bubble) in the dark view.
        QVERIFY(pixelsNear(image, Qt::white) < image.width() * image.height() / 200);
    }

    void shouldLookRightWhileStreamingWithTheParametersOpen()
    {
        Theme::apply(*qApp, Settings::Theme::Dark);
        const qint64 id = m_env->conversationWith(conversation().mid(0, 2), u"Vue"_s);
        ChatTab tab(m_env->service(), m_env->settings(), id);
        tab.resize(1000, 700);
        tab.setParamsPanelVisible(true);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        QTRY_VERIFY(tab.model()->isLoaded());
        // An answer on its way, as the service announces one.
        Message question = makeMessage(Role::User, u"再写一个 React 版本？"_s);
        question.id = 1'000'001;
        question.conversationId = id;
        question.createdAt = QDateTime::currentDateTimeUtc();
        Message answer = makeMessage(Role::Assistant, {}, MessageState::Streaming);
        answer.id = 1'000'002;
        answer.conversationId = id;
        answer.createdAt = question.createdAt;
        ChatService &service = m_env->service();
        emit service.messageAdded(question);
        emit service.messageAdded(answer);
        emit service.streamingChanged(id, true);
        for (const QString &piece : {u"好的，"_s, u"这是 **React** "_s, u"的写法：\n\n"_s,
                                     u"```jsx\nconst [count, setCount] = useState(0)\n"_s})
            emit service.messageDelta(id, answer.id, piece, {});
        tab.showError(u"The provider is limiting requests: wait a moment, then retry."_s);
        QTest::qWait(100);
        const QImage image = tab.grab().toImage();
        const QString path = QDir(outputDir()).filePath(u"confab-chat-streaming.png"_s);
        image.save(path);
        qInfo("screenshot: %s", qPrintable(path));
        QVERIFY(tab.composer()->isStreaming());
        QVERIFY(!image.isNull());
        emit service.streamingChanged(id, false);
    }

    void shouldLookRightWhenNarrow()
    {
        const QImage image = shoot(Settings::Theme::Light, {420, 900}, u"confab-chat-narrow.png"_s);
        QVERIFY(!image.isNull());
    }
};

QTEST_MAIN(ChatScreenshotsTest)
#include "tst_chatscreenshots.moc"
