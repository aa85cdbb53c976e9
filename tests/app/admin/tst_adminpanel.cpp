#include "../screenshotlooks.h"
#include "admin/adminpanel.h"
#include "admin/createuserdialog.h"
#include "admin/passworddialog.h"
#include "admin/presetspage.h"
#include "admin/quotadialog.h"
#include "admin/settingspage.h"
#include "admin/usagechart.h"
#include "admin/usagemodel.h"
#include "admin/usagepage.h"
#include "admin/userlistmodel.h"
#include "admin/userspage.h"
#include "dialogs/messagebox.h"
#include "dialogs/statuslabel.h"
#include "fakeresponse.h"
#include "mainwindow/languageswitcher.h"
#include "remote/serverclient.h"
#include "remote/serversocket.h"
#include "serverharness.h"
#include "settings/theme.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

namespace {

const QString UserPassword = QString::fromLatin1(ServerHarness::UserPassword);

// Runs an asynchronous ServerClient call to its end.
template<typename T, typename Start>
Result<T> wait(Start start)
{
    std::optional<Result<T>> result;
    QObject context;
    start(&context, [&result](Result<T> value) { result = std::move(value); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000))
        return Error{ErrorCode::TotalTimeout, u"no answer"_s};
    return *result;
}

Result<ServerUser> signIn(ServerClient &client, const QString &name, const QString &password)
{
    return wait<ServerUser>(
        [&](QObject *context, auto handler) { client.login(name, password, context, handler); });
}

Result<QJsonValue> getJson(ServerClient &client, const QString &path, const QUrlQuery &query = {})
{
    return wait<QJsonValue>(
        [&](QObject *context, auto handler) { client.get(path, query, context, handler); });
}

Result<QJsonValue> callJson(ServerClient &client, const QByteArray &verb, const QString &path,
                            const QJsonValue &body)
{
    return wait<QJsonValue>(
        [&](QObject *context, auto handler) { client.call(verb, path, body, context, handler); });
}

} // namespace

class AdminPanelTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        MessageBox::clearForTesting();
        QVERIFY(m_server.start({u"--registration"_s, u"approval"_s}));
        m_admin = std::make_unique<ServerClient>(serverUrl());
        const auto admin = signIn(*m_admin, QString::fromLatin1(ServerHarness::AdminName),
                                  QString::fromLatin1(ServerHarness::AdminPassword));
        QVERIFY2(admin, qPrintable(admin.error().toString()));
        m_panel = std::make_unique<AdminPanel>(*m_admin);
        new QAbstractItemModelTester(users()->model(), m_panel.get());
        new QAbstractItemModelTester(m_panel->usagePage()->model(), m_panel.get());
        m_panel->show();
        QTRY_VERIFY(users()->model()->rowOf(QString::fromLatin1(ServerHarness::AdminName)) >= 0);
    }

    void cleanupTestCase()
    {
        m_panel.reset();
        m_language.apply(u"en"_s);
    }

    void shouldCreateAUserWhoCanThenSignIn()
    {
        createThroughPanel(u"dora"_s);
        QCOMPARE(status(users())->kind(), StatusLabel::Kind::Success);
        ServerClient dora(serverUrl());
        const auto signedIn = signIn(dora, u"dora"_s, UserPassword);
        QVERIFY2(signedIn, qPrintable(signedIn.error().toString()));
        QCOMPARE(signedIn->status, u"active"_s);
    }

    void shouldShowTheServersErrorWhenANameIsTaken()
    {
        createThroughPanel(u"taken"_s);
        trigger(u"m_createAction"_s);
        fillCreateDialog(u"taken"_s, UserPassword);
        QTRY_COMPARE(status(users())->kind(), StatusLabel::Kind::Error);
        QVERIFY2(status(users())->text().startsWith(u"Conflict: "_s),
                 qPrintable(status(users())->text()));

        trigger(u"m_createAction"_s);
        fillCreateDialog(u"weakling"_s, u"short"_s);
        QTRY_VERIFY(status(users())->text().startsWith(u"The server refused the values: "_s));
        QCOMPARE(users()->model()->rowOf(u"weakling"_s), -1);
    }

    void shouldApproveAPendingUser()
    {
        ServerClient erin(serverUrl());
        const auto registered = wait<ServerUser>([&](QObject *context, auto handler) {
            erin.registerAccount(u"erin"_s, UserPassword, {}, context, handler);
        });
        QVERIFY2(registered, qPrintable(registered.error().toString()));
        QCOMPARE(registered->status, u"pending"_s);
        QCOMPARE(signIn(erin, u"erin"_s, UserPassword).error().serverCode, u"pending_approval"_s);

        // The pending filter lists erin and no active account.
        auto *filter = users()->findChild<QComboBox *>(u"m_statusFilter"_s);
        filter->setCurrentIndex(filter->findData(u"pending"_s));
        QTRY_COMPARE(users()->model()->rowCount(), 1);
        QCOMPARE(users()->model()->userAt(0).username, u"erin"_s);

        QVERIFY(users()->selectUser(u"erin"_s));
        QVERIFY(action(u"m_approveAction"_s)->isEnabled());
        trigger(u"m_approveAction"_s);
        QTRY_COMPARE(users()->model()->rowCount(), 0);
        filter->setCurrentIndex(0);
        QTRY_VERIFY(users()->model()->rowOf(u"erin"_s) >= 0);
        QCOMPARE(userNamed(u"erin"_s).status, u"active"_s);
        QVERIFY(signIn(erin, u"erin"_s, UserPassword));
    }

    void shouldDisableAUserAndCutTheirOpenSession()
    {
        createThroughPanel(u"frank"_s);
        ServerClient frank(serverUrl());
        QVERIFY(signIn(frank, u"frank"_s, UserPassword));
        ServerSocket socket(frank);
        socket.start();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), ServerSocket::State::Online, 10000);
        QSignalSpy ended(&frank, &ServerClient::sessionEnded);

        QVERIFY(users()->selectUser(u"frank"_s));
        trigger(u"m_disableAction"_s);
        // The open WebSocket hears of it without frank asking anything.
        QTRY_COMPARE(ended.count(), 1);
        QCOMPARE(ended.first().first().value<Error>().serverCode, u"account_disabled"_s);
        QTRY_COMPARE(userNamed(u"frank"_s).status, u"disabled"_s);
        QVERIFY(!action(u"m_disableAction"_s)->isEnabled());
        QVERIFY(action(u"m_enableAction"_s)->isEnabled());

        ServerClient again(serverUrl());
        QCOMPARE(signIn(again, u"frank"_s, UserPassword).error().serverCode, u"account_disabled"_s);
        trigger(u"m_enableAction"_s);
        QTRY_COMPARE(userNamed(u"frank"_s).status, u"active"_s);
        QVERIFY(signIn(again, u"frank"_s, UserPassword));
    }

    void shouldSetQuotasAndShowThem()
    {
        createThroughPanel(u"quinn"_s);
        QVERIFY(users()->selectUser(u"quinn"_s));
        trigger(u"m_quotaAction"_s);
        QuotaDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_panel->findChild<QuotaDialog *>()));
        dialog->findChild<QLineEdit *>(u"m_dailyRequests"_s)->setText(u"50"_s);
        dialog->findChild<QLineEdit *>(u"m_monthlyTokens"_s)->setText(u"100000"_s);
        dialog->accept();

        QTRY_COMPARE(userNamed(u"quinn"_s).quota.dailyRequests, std::optional<qint64>(50));
        const int row = users()->model()->rowOf(u"quinn"_s);
        const auto cell = [row, this](int column) {
            return users()->model()->index(row, column).data().toString();
        };
        QCOMPARE(cell(UserListModel::DailyRequests), u"50"_s);
        QCOMPARE(cell(UserListModel::MonthlyTokens), QLocale().toString(100000));
        QCOMPARE(cell(UserListModel::MonthlyRequests), u"Unlimited"_s);

        // What the server keeps, asked apart from the panel.
        const auto listed = getJson(*m_admin, u"/admin/users"_s, QUrlQuery(u"q=quinn"_s));
        QVERIFY(listed);
        const QJsonObject quota
            = listed->toObject()["items"_L1].toArray().first()["quota"_L1].toObject();
        QCOMPARE(quota["daily_requests"_L1].toInt(), 50);
        QCOMPARE(quota["monthly_tokens"_L1].toInt(), 100000);
        QVERIFY(quota["daily_tokens"_L1].isNull());
    }

    void shouldResetAPassword()
    {
        createThroughPanel(u"paula"_s);
        QVERIFY(users()->selectUser(u"paula"_s));
        trigger(u"m_resetPasswordAction"_s);
        PasswordDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_panel->findChild<PasswordDialog *>()));
        dialog->findChild<QLineEdit *>(u"m_password"_s)->setText(u"Another-Passw0rd-42"_s);
        dialog->accept();
        QTRY_COMPARE(status(users())->kind(), StatusLabel::Kind::Success);

        ServerClient paula(serverUrl());
        QVERIFY(!signIn(paula, u"paula"_s, UserPassword));
        QVERIFY(signIn(paula, u"paula"_s, u"Another-Passw0rd-42"_s));
    }

    void shouldDeleteOnlyAfterConfirmation()
    {
        createThroughPanel(u"gone"_s);
        QVERIFY(users()->selectUser(u"gone"_s));
        MessageBox::setNextAnswerForTesting(QMessageBox::Cancel);
        trigger(u"m_deleteAction"_s);
        QCOMPARE(MessageBox::askedForTesting().size(), 1);
        QSignalSpy refreshed(users(), &UsersPage::refreshed);
        users()->refresh();
        QTRY_COMPARE(refreshed.count(), 1);
        QVERIFY(users()->model()->rowOf(u"gone"_s) >= 0);

        MessageBox::setNextAnswerForTesting(QMessageBox::Yes);
        trigger(u"m_deleteAction"_s);
        QTRY_COMPARE(users()->model()->rowOf(u"gone"_s), -1);
        ServerClient gone(serverUrl());
        QCOMPARE(signIn(gone, u"gone"_s, UserPassword).error().serverCode,
                 u"invalid_credentials"_s);
    }

    void shouldApplySettingsLive()
    {
        SettingsPage *page = m_panel->settingsPage();
        QSignalSpy shown(page, &SettingsPage::settingsShown);
        auto *registration = page->findChild<QComboBox *>(u"m_registration"_s);
        QTRY_COMPARE(registration->currentData().toString(), u"approval"_s);
        registration->setCurrentIndex(registration->findData(u"open"_s));
        page->findChild<QSpinBox *>(u"m_contextMessages"_s)->setValue(21);
        QTest::mouseClick(page->findChild<QPushButton *>(u"m_applyButton"_s), Qt::LeftButton);
        QTRY_COMPARE(shown.count(), 1);
        QCOMPARE(shown.first().first().toJsonObject()["registration"_L1].toString(), u"open"_s);

        const auto settings = getJson(*m_admin, u"/admin/settings"_s);
        QVERIFY(settings);
        QCOMPARE(settings->toObject()["registration"_L1].toString(), u"open"_s);
        QCOMPARE(settings->toObject()["context_messages"_L1].toInt(), 21);
        // And the server acts on it: a new account is active at once.
        ServerClient hank(serverUrl());
        const auto registered = wait<ServerUser>([&](QObject *context, auto handler) {
            hank.registerAccount(u"hank"_s, UserPassword, {}, context, handler);
        });
        QVERIFY(registered);
        QCOMPARE(registered->status, u"active"_s);

        // Fractions of a second are kept.
        page->findChild<QDoubleSpinBox *>(u"m_minInterval"_s)->setValue(1.5);
        QTest::mouseClick(page->findChild<QPushButton *>(u"m_applyButton"_s), Qt::LeftButton);
        QTRY_COMPARE(shown.count(), 2);
        QCOMPARE(shown.last().first().toJsonObject()["min_interval_seconds"_L1].toDouble(), 1.5);
    }

    void shouldShowAUsageDayAfterAChat()
    {
        createThroughPanel(u"gina"_s);
        ServerClient gina(serverUrl());
        QVERIFY(signIn(gina, u"gina"_s, UserPassword));
        const auto conversation = callJson(gina, "POST", u"/conversations"_s, QJsonObject());
        QVERIFY(conversation);
        m_server.upstream().enqueue(
            FakeResponse::chatStream({u"Hello"_s}, u"stop"_s, Usage{5, 7, 12}));
        const QString id = conversation->toObject()["id"_L1].toString();
        QVERIFY(callJson(gina, "POST", u"/conversations/%1/messages"_s.arg(id),
                         QJsonObject{{u"content"_s, u"Hi"_s}}));

        auto *tabs = m_panel->findChild<QTabWidget *>(u"m_tabs"_s);
        tabs->setCurrentWidget(m_panel->usagePage());
        UsageModel *model = m_panel->usagePage()->model();
        const auto ginasDay = [model]() -> std::optional<UsageDay> {
            for (const UsageDay &day : model->days()) {
                if (day.username == "gina"_L1)
                    return day;
            }
            return std::nullopt;
        };
        QTRY_VERIFY(ginasDay());
        QCOMPARE(ginasDay()->day, QDateTime::currentDateTimeUtc().date());
        QCOMPARE(ginasDay()->requests, 1);
        QCOMPARE(ginasDay()->totalTokens, 12);

        const UsageChart::Series &series = m_panel->usagePage()->chart()->series();
        QCOMPARE(series.size(), 30);
        QCOMPARE(series.last().first, QDateTime::currentDateTimeUtc().date());
        QVERIFY(series.last().second >= 1);
        auto *metric = m_panel->usagePage()->findChild<QComboBox *>(u"m_metric"_s);
        metric->setCurrentIndex(1);
        QVERIFY(m_panel->usagePage()->chart()->series().last().second >= 12);
        tabs->setCurrentIndex(0);
    }

    void shouldSavePresetsThatUsersThenSee()
    {
        PresetsPage *page = m_panel->presetsPage();
        QSignalSpy loaded(page, &PresetsPage::loaded);
        page->addPreset();
        page->findChild<QLineEdit *>(u"m_name"_s)->setText(u"Translator"_s);
        page->findChild<QPlainTextEdit *>(u"m_systemPrompt"_s)->setPlainText(u"Translate."_s);
        auto *params = page->findChild<QPlainTextEdit *>(u"m_params"_s);
        params->setPlainText(u"{\"temperature\": 9}"_s);
        page->save();
        QVERIFY(status(page)->text().contains(u"Translator"_s));
        QCOMPARE(loaded.count(), 0);

        params->setPlainText(u"{\"temperature\": 0.3}"_s);
        page->save();
        QTRY_COMPARE(loaded.count(), 1);
        ServerClient user(serverUrl());
        QVERIFY(signIn(user, u"dora"_s, UserPassword));
        const auto presets = getJson(user, u"/presets"_s);
        QVERIFY(presets);
        const QJsonArray items = presets->toObject()["items"_L1].toArray();
        const auto translator = std::find_if(items.begin(), items.end(), [](const QJsonValue &p) {
            return p["name"_L1].toString() == "Translator"_L1;
        });
        QVERIFY(translator != items.end());
        QCOMPARE((*translator)["system_prompt"_L1].toString(), u"Translate."_s);
        QCOMPARE((*translator)["params"_L1]["temperature"_L1].toDouble(), 0.3);
    }

    // Not a check: pictures of the panel for people to look at (CONFAB_SCREENSHOT_DIR).
    void shouldRenderForScreenshots_data() { testing::addScreenshotLooks(); }

    void shouldRenderForScreenshots()
    {
        const QString directory = qEnvironmentVariable("CONFAB_SCREENSHOT_DIR");
        if (directory.isEmpty())
            QSKIP("set CONFAB_SCREENSHOT_DIR to write screenshots");
        QFETCH(QString, language);
        QFETCH(Settings::Theme, theme);
        m_language.apply(language);
        Theme::apply(*qApp, theme);
        QVERIFY(users()->selectUser(u"dora"_s));
        auto *tabs = m_panel->findChild<QTabWidget *>(u"m_tabs"_s);
        const QStringList pages{u"users"_s, u"usage"_s, u"presets"_s, u"settings"_s};
        for (int index = 0; index < pages.size(); ++index) {
            tabs->setCurrentIndex(index);
            QTest::qWait(300);
            const QString name = u"admin-%1-%2.png"_s.arg(
                pages.at(index), QString::fromLatin1(QTest::currentDataTag()));
            QVERIFY(m_panel->grab().save(QDir(directory).filePath(name)));
        }
        tabs->setCurrentIndex(0);
    }

private:
    QUrl serverUrl() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.port())); }

    UsersPage *users() const { return m_panel->usersPage(); }

    static StatusLabel *status(QWidget *page)
    {
        return page->findChild<StatusLabel *>(u"m_status"_s);
    }

    QAction *action(const QString &name) const { return users()->findChild<QAction *>(name); }

    void trigger(const QString &name) const
    {
        QAction *found = action(name);
        QVERIFY2(found, qPrintable(name));
        found->trigger();
    }

    AdminUser userNamed(const QString &name) const
    {
        const int row = users()->model()->rowOf(name);
        return row >= 0 ? users()->model()->userAt(row) : AdminUser();
    }

    void fillCreateDialog(const QString &name, const QString &password)
    {
        CreateUserDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_panel->findChild<CreateUserDialog *>()));
        dialog->findChild<QLineEdit *>(u"m_username"_s)->setText(name);
        dialog->findChild<QLineEdit *>(u"m_password"_s)->setText(password);
        dialog->accept();
        // Closed dialogs delete themselves: none is left for the next look-up.
        QTRY_VERIFY(!m_panel->findChild<CreateUserDialog *>());
    }

    void createThroughPanel(const QString &name)
    {
        trigger(u"m_createAction"_s);
        fillCreateDialog(name, UserPassword);
        QTRY_VERIFY(users()->model()->rowOf(name) >= 0);
    }

    ServerHarness m_server;
    std::unique_ptr<ServerClient> m_admin;
    std::unique_ptr<AdminPanel> m_panel;
    LanguageSwitcher m_language;
};

QTEST_MAIN(AdminPanelTest)
#include "tst_adminpanel.moc"
