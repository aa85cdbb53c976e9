// The whole app in team mode against a real confab-server process: signing in from the Server
// menu, chatting with the answer streamed into the window, the throttle shown as a countdown on
// Send, and "signed in elsewhere" when a second device logs in, with the draft kept and a way
// to sign in again.

#include "../screenshotlooks.h"
#include "chat/chattab.h"
#include "chat/composer.h"
#include "chat/errorhint.h"
#include "chat/messagelistmodel.h"
#include "dialogs/messagebox.h"
#include "dialogs/serverlogindialog.h"
#include "hosting/hostserverdialog.h"
#include "mainwindow/application.h"
#include "mainwindow/languageswitcher.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/noticebar.h"
#include "remote/serverclient.h"
#include "serverharness.h"
#include "settings/settings.h"
#include "settings/theme.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScopeGuard>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

constexpr auto UserName = "alice";

// Answers the next modal dialog of type Dialog, once it shows, with act(dialog).
template<typename Dialog, typename Act>
void whenModal(Act act)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, qApp, [timer, act] {
        auto *dialog = qobject_cast<Dialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        timer->stop();
        timer->deleteLater();
        act(dialog);
    });
    timer->start();
}

void signInWith(ServerLoginDialog *dialog, const QString &server, const QString &password)
{
    if (auto *address = dialog->findChild<QLineEdit *>(u"m_server"_s); !address->isReadOnly())
        address->setText(server);
    if (auto *user = dialog->findChild<QLineEdit *>(u"m_username"_s); !user->isReadOnly())
        user->setText(QString::fromLatin1(UserName));
    dialog->findChild<QLineEdit *>(u"m_password"_s)->setText(password);
    dialog->findChild<QPushButton *>(u"m_submit"_s)->click();
}

} // namespace

class TeamModeTest : public QObject
{
    Q_OBJECT

private:
    testing::ServerHarness m_server;
    QTemporaryDir m_dataDir;
    std::unique_ptr<Application> m_app;

    QString serverAddress() const { return u"http://127.0.0.1:%1"_s.arg(m_server.port()); }
    static QString password() { return QString::fromLatin1(testing::ServerHarness::UserPassword); }
    MainWindow *window() const { return m_app->mainWindow(); }
    ChatTab *currentTab() const
    {
        return window() ? qobject_cast<ChatTab *>(window()->tabs()->currentWidget()) : nullptr;
    }
    bool inTeamMode() const
    {
        auto *signOut = window() ? window()->findChild<QAction *>(u"m_signOutAction"_s) : nullptr;
        return signOut && signOut->isEnabled();
    }

private slots:
    void initTestCase()
    {
        MessageBox::setNextAnswerForTesting(QMessageBox::Yes);
        QVERIFY(m_dataDir.isValid());
        QVERIFY(m_server.start({u"--min-interval"_s, u"3"_s}));
        m_server.createUserAndLogin(QString::fromLatin1(UserName));

        // The app has been used in direct mode before: one provider connection.
        {
            Settings settings(m_dataDir.filePath(u"confab.ini"_s));
            Connection provider;
            provider.id = u"provider-1"_s;
            provider.name = u"Fake provider"_s;
            provider.providerId = u"custom"_s;
            provider.baseUrl = m_server.upstream().baseUrl();
            provider.model = u"fake-model"_s;
            settings.setConnections({provider});
            settings.setActiveConnectionId(provider.id);
            settings.setPlainFileSecretsAllowed(false);
        }
        m_app = std::make_unique<Application>(m_dataDir.path());
        QVERIFY(m_app->start());
        QTRY_VERIFY(window());
        QVERIFY(!inTeamMode());
    }

    void cleanupTestCase() { m_app.reset(); }

    void shouldSignInFromTheServerMenuAndChat()
    {
        QPointer<MainWindow> directWindow = window();
        whenModal<ServerLoginDialog>(
            [this](ServerLoginDialog *dialog) { signInWith(dialog, serverAddress(), password()); });
        emit directWindow->signInRequested();
        QTRY_VERIFY_WITH_TIMEOUT(inTeamMode(), 15000);
        QVERIFY(directWindow.isNull()); // built anew for the server's history
        QVERIFY(window()->sessionNotice().isEmpty());

        m_server.upstream().enqueue(
            FakeResponse::chatStream({u"Hello "_s, u"from "_s, u"the team"_s}));
        window()->newConversation();
        QTRY_VERIFY(currentTab());
        ChatTab *tab = currentTab();
        // Which connection the tab uses is named on it.
        QVERIFY(window()->tabs()->tabToolTip(0).contains(u"127.0.0.1"_s));
        tab->composer()->setText(u"Hi"_s);
        QVERIFY(tab->composer()->submit());
        QTRY_COMPARE_WITH_TIMEOUT(tab->model()->rowCount(), 2, 10000);
        QTRY_VERIFY(!tab->isStreaming());
        QCOMPARE(tab->model()->messageAt(1)->content, u"Hello from the team"_s);
        QCOMPARE(tab->model()->messageAt(1)->state, MessageState::Complete);
        QVERIFY(tab->composer()->text().isEmpty());
    }

    void shouldCountTheThrottleDownOnSend()
    {
        ChatTab *tab = currentTab();
        QVERIFY(tab);
        tab->composer()->setText(u"Too soon"_s);
        QVERIFY(tab->composer()->submit());
        QTRY_VERIFY(tab->composer()->isCoolingDown());
        QVERIFY2(tab->errorText().isEmpty(), qPrintable(tab->errorText()));
        QCOMPARE(tab->composer()->text(), u"Too soon"_s);
        const QString counting = tab->composer()->sendButton()->text();
        QVERIFY2(counting.contains(u"s"_s) && counting.contains(QRegularExpression(u"\\d"_s)),
                 qPrintable(counting));
        QVERIFY(!tab->composer()->sendButton()->isEnabled());

        QTRY_VERIFY_WITH_TIMEOUT(!tab->composer()->isCoolingDown(), 5000);
        QTRY_VERIFY(tab->composer()->sendButton()->isEnabled());
        m_server.upstream().enqueue(FakeResponse::chatStream({u"Now it is fine"_s}));
        QVERIFY(tab->composer()->submit());
        QTRY_COMPARE_WITH_TIMEOUT(tab->model()->rowCount(), 4, 10000);
        QTRY_VERIFY(!tab->isStreaming());
    }

    void shouldShowSignedInElsewhereAndKeepTheDraft()
    {
        ChatTab *tab = currentTab();
        QVERIFY(tab);
        tab->composer()->setText(u"An unsent thought"_s);

        ServerClient otherDevice{QUrl(serverAddress())};
        bool signedIn = false;
        otherDevice.login(QString::fromLatin1(UserName), password(), this,
                          [&](Result<ServerUser> user) { signedIn = bool(user); });
        QTRY_VERIFY(signedIn);

        QTRY_VERIFY_WITH_TIMEOUT(!window()->sessionNotice().isEmpty(), 10000);
        QVERIFY2(window()->sessionNotice().contains(u"another device"_s),
                 qPrintable(window()->sessionNotice()));
        QCOMPARE(currentTab(), tab);
        QCOMPARE(tab->composer()->text(), u"An unsent thought"_s);

        // Sign in again from the notice: the same window carries on.
        whenModal<ServerLoginDialog>(
            [this](ServerLoginDialog *dialog) { signInWith(dialog, serverAddress(), password()); });
        window()->findChild<NoticeBar *>(u"m_notice"_s)->actionButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(window()->sessionNotice().isEmpty(), 10000);
        QCOMPARE(currentTab(), tab);
        QTest::qWait(3000); // the throttle of the last message
        QCOMPARE(tab->composer()->text(), u"An unsent thought"_s);
        m_server.upstream().enqueue(FakeResponse::chatStream({u"Welcome back"_s}));
        QTRY_VERIFY_WITH_TIMEOUT(tab->composer()->sendButton()->isEnabled(), 10000);
        QVERIFY(tab->composer()->submit());
        QTRY_COMPARE_WITH_TIMEOUT(tab->model()->rowCount(), 6, 10000);
        QTRY_VERIFY(!tab->isStreaming());
        QCOMPARE(tab->model()->messageAt(5)->content, u"Welcome back"_s);
    }

    void shouldHostATeamServerFromTheServerMenu()
    {
        // The provider connection it is hosted with has no key in this test's key store.
        m_server.upstream().setRequiredApiKey({});
        const auto keyAgain = qScopeGuard([this] {
            m_server.upstream().setRequiredApiKey(
                QString::fromLatin1(testing::ServerHarness::UpstreamKey));
        });
        QPointer<MainWindow> before = window();
        bool running = false;
        whenModal<HostServerDialog>([&running](HostServerDialog *dialog) {
            dialog->findChild<QSpinBox *>(u"m_portSpin"_s)->setValue(0); // any free port
            dialog->findChild<QRadioButton *>(u"m_localRadio"_s)->setChecked(true);
            dialog->findChild<QPushButton *>(u"m_startButton"_s)->click();
            auto *poll = new QTimer(dialog);
            poll->setInterval(50);
            QObject::connect(poll, &QTimer::timeout, dialog, [dialog, &running] {
                if (!dialog->findChild<QPushButton *>(u"m_stopButton"_s)->isVisible())
                    return;
                running = true;
                dialog->accept(); // the server keeps running
            });
            poll->start();
        });
        emit window()->hostServerRequested();
        QTRY_VERIFY_WITH_TIMEOUT(running, 30000);

        // The app signed in to it as its admin and uses it like any team server.
        QTRY_VERIFY_WITH_TIMEOUT(before.isNull() && inTeamMode(), 30000);
        QVERIFY(window()->findChild<QAction *>(u"m_administerAction"_s)->isVisible());
        m_server.upstream().enqueue(FakeResponse::chatStream({u"Hosted "_s, u"here"_s}));
        window()->newConversation();
        QTRY_VERIFY(currentTab());
        ChatTab *tab = currentTab();
        tab->composer()->setText(u"Who answers?"_s);
        QVERIFY(tab->composer()->submit());
        QTRY_COMPARE_WITH_TIMEOUT(tab->model()->rowCount(), 2, 10000);
        QTRY_VERIFY(!tab->isStreaming());
        QCOMPARE(tab->model()->messageAt(1)->content, u"Hosted here"_s);
        QVERIFY(QFile::exists(m_dataDir.filePath(u"team-server.db"_s)));
    }

    void shouldRenderForScreenshots_data() { testing::addScreenshotLooks(); }

    void shouldRenderForScreenshots()
    {
        const QString directory = qEnvironmentVariable("CONFAB_SCREENSHOT_DIR");
        if (directory.isEmpty())
            QSKIP("Set CONFAB_SCREENSHOT_DIR to write screenshots");
        QFETCH(QString, language);
        QFETCH(Settings::Theme, theme);
        LanguageSwitcher switcher;
        switcher.apply(language);
        Theme::apply(*qApp, theme);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        const auto save = [&](QWidget *widget, const QString &name) {
            QApplication::processEvents();
            widget->layout()->activate();
            QVERIFY(widget->grab().save(u"%1/team-%2-%3.png"_s.arg(directory, name, tag)));
        };

        window()->resize(1100, 700);
        Error kicked{ErrorCode::Unauthorized, {}, 401};
        kicked.serverCode = u"session_replaced"_s;
        window()->showSessionNotice(ErrorHint::describe(kicked));
        save(window(), u"kicked"_s);
        window()->showSessionNotice({});

        ServerLoginDialog dialog(window());
        dialog.setReason(ErrorHint::describe(kicked));
        dialog.show();
        save(&dialog, u"login"_s);
        dialog.setReason({});
        dialog.findChild<QCheckBox *>(u"m_newAccount"_s)->setChecked(true);
        save(&dialog, u"register"_s);
        dialog.close();
        switcher.apply(u"en"_s);
        Theme::apply(*qApp, Settings::Theme::Light);
    }
};

} // namespace confab

QTEST_MAIN(confab::TeamModeTest)
#include "tst_teammode.moc"
