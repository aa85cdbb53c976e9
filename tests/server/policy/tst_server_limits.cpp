// Throttle, quotas, live conversations and the context window of a real confab-server process
// (started with --min-interval 5): refusals carry the right code, status, Retry-After and
// details; requests sent all at once never get past a limit; live settings apply without a
// restart; what goes upstream is the preset's system prompt plus the last N messages of this
// login.

#include "policysupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;
using namespace confab::testing;

namespace {

QByteArray completionBody(const QString &content, bool stream = false)
{
    QJsonObject body{
        {u"model"_s, u"fake-model"_s},
        {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, content}}}}};
    if (stream)
        body.insert(u"stream"_s, true);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

int retryAfter(const HttpResult &reply)
{
    bool ok = false;
    const int seconds = reply.header("retry-after").toInt(&ok);
    return ok ? seconds : -1;
}

QJsonObject errorObject(const HttpResult &reply)
{
    return reply.json().value("error"_L1).toObject();
}

QJsonObject usageToday(ServerHarness &server, const QString &token)
{
    return server.get(u"/api/v1/users/me/usage"_s, token).json().value("today"_L1).toObject();
}

// The admin's per-day usage row of this user for today; {} when there is none.
QJsonObject adminUsageToday(ServerHarness &server, const QString &username)
{
    const HttpResult usage = server.get(u"/api/v1/admin/usage"_s, server.loginAdmin().accessToken);
    const QString today = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
    for (const QJsonValue &item : usage.json().value("items"_L1).toArray()) {
        const QJsonObject row = item.toObject();
        if (row.value("username"_L1).toString() == username
            && row.value("day"_L1).toString() == today)
            return row;
    }
    return {};
}

QStringList roles(const QJsonArray &messages)
{
    QStringList list;
    for (const QJsonValue &message : messages)
        list.append(message.toObject().value("role"_L1).toString());
    return list;
}

QStringList contents(const QJsonArray &messages)
{
    QStringList list;
    for (const QJsonValue &message : messages)
        list.append(message.toObject().value("content"_L1).toString());
    return list;
}

} // namespace

class TestServerLimits : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_server.start({u"--min-interval"_s, u"5"_s})); }
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void shouldThrottleASecondSend()
    {
        const SignedIn user = m_server.createUserAndLogin(u"throttle1"_s);
        const QStringList ids = conversations(user, 2);
        QCOMPARE(sendMessage(m_server, user.accessToken, ids[0], u"first"_s).status, 200);

        const HttpResult second = sendMessage(m_server, user.accessToken, ids[1], u"second"_s);
        QCOMPARE(second.status, 429);
        QCOMPARE(second.errorCode(), u"rate_limited"_s);
        const int wait = retryAfter(second);
        QVERIFY2(wait >= 1 && wait <= 5, second.header("retry-after").constData());
        const int waitMs = errorObject(second).value("retry_after_ms"_L1).toInt();
        QVERIFY2(waitMs > 0 && waitMs <= 5000, second.body.constData());
        // A refused message is not stored.
        QCOMPARE(m_server.get(u"/api/v1/conversations/%1/messages"_s.arg(ids[1]), user.accessToken)
                     .json()
                     .value("items"_L1)
                     .toArray()
                     .size(),
                 0);
        // Another user is not held back by this one.
        const SignedIn other = m_server.createUserAndLogin(u"throttle1b"_s);
        QCOMPARE(
            sendMessage(m_server, other.accessToken, conversations(other, 1)[0], u"hi"_s).status,
            200);
    }

    void shouldAcceptOnlyOneOfParallelSends()
    {
        QCOMPARE(putSettings(m_server, {{u"max_live_conversations"_s, 30}}).status, 200);
        const SignedIn user = m_server.createUserAndLogin(u"throttle2"_s);
        const QStringList ids = conversations(user, 20);
        QList<BatchRequest> batch;
        for (const QString &id : ids)
            batch.append({"POST",
                          u"/api/v1/conversations/%1/messages"_s.arg(id),
                          QByteArray(R"({"content":"all at once"})"),
                          user.accessToken,
                          {}});
        const QList<HttpResult> results = sendAll(m_server, batch);
        const QMap<int, int> counts = statusCounts(results);
        QVERIFY2(counts.value(200) == 1 && counts.value(429) == 19, qPrintable(describe(results)));
        for (const HttpResult &result : results) {
            if (result.status == 429) {
                QCOMPARE(result.errorCode(), u"rate_limited"_s);
                QVERIFY(retryAfter(result) >= 1 && retryAfter(result) <= 5);
            }
        }
        QCOMPARE(usageToday(m_server, user.accessToken).value("requests"_L1).toInt(), 1);
        QCOMPARE(putSettings(m_server, {{u"max_live_conversations"_s, 3}}).status, 200);
    }

    void shouldThrottleTheGatewayToo()
    {
        const SignedIn user = m_server.createUserAndLogin(u"throttle3"_s);
        const QString apiToken = m_server.createApiToken(user.accessToken);
        QVERIFY(apiToken.startsWith("cfb_"_L1));
        const HttpResult first = m_server.request("POST", u"/v1/chat/completions"_s,
                                                  completionBody(u"one"_s), apiToken);
        QCOMPARE(first.status, 200);
        const HttpResult second = m_server.request("POST", u"/v1/chat/completions"_s,
                                                   completionBody(u"two"_s), apiToken);
        QCOMPARE(second.status, 429);
        QCOMPARE(second.errorCode(), u"rate_limited"_s);
        QVERIFY(retryAfter(second) >= 1 && retryAfter(second) <= 5);
        const HttpResult streamed = m_server.request("POST", u"/v1/chat/completions"_s,
                                                     completionBody(u"three"_s, true), apiToken);
        QCOMPARE(streamed.status, 429);
        // One throttle per user, whichever door the request comes through.
        const HttpResult viaApi
            = sendMessage(m_server, user.accessToken, conversations(user, 1)[0], u"four"_s);
        QCOMPARE(viaApi.status, 429);
        QCOMPARE(viaApi.errorCode(), u"rate_limited"_s);
        QCOMPARE(usageToday(m_server, user.accessToken).value("requests"_L1).toInt(), 1);

        const SignedIn reverse = m_server.createUserAndLogin(u"throttle3b"_s);
        QCOMPARE(sendMessage(m_server, reverse.accessToken, conversations(reverse, 1)[0], u"one"_s)
                     .status,
                 200);
        const HttpResult gateway
            = m_server.request("POST", u"/v1/chat/completions"_s, completionBody(u"two"_s),
                               m_server.createApiToken(reverse.accessToken));
        QCOMPARE(gateway.status, 429);
        QCOMPARE(gateway.errorCode(), u"rate_limited"_s);
    }

    void shouldApplyLiveSettingsWithoutRestart()
    {
        const SignedIn user = m_server.createUserAndLogin(u"live1"_s);
        const QStringList ids = conversations(user, 3);
        QCOMPARE(sendMessage(m_server, user.accessToken, ids[0], u"one"_s).status, 200);
        QCOMPARE(sendMessage(m_server, user.accessToken, ids[1], u"two"_s).status, 429);

        // Out-of-range values are refused and change nothing.
        const HttpResult bad = putSettings(m_server, {{u"min_interval_seconds"_s, -1}});
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.errorCode(), u"invalid_request"_s);
        QCOMPARE(putSettings(m_server, {{u"no_such_setting"_s, 1}}).status, 400);
        QCOMPARE(sendMessage(m_server, user.accessToken, ids[1], u"two"_s).status, 429);

        const HttpResult applied = putSettings(m_server, {{u"min_interval_seconds"_s, 0}});
        QCOMPARE(applied.status, 200);
        QCOMPARE(applied.json().value("min_interval_seconds"_L1).toDouble(), 0.0);
        QCOMPARE(sendMessage(m_server, user.accessToken, ids[1], u"two"_s).status, 200);
        QCOMPARE(sendMessage(m_server, user.accessToken, ids[2], u"three"_s).status, 200);
        const HttpResult settings
            = m_server.get(u"/api/v1/admin/settings"_s, m_server.loginAdmin().accessToken);
        QCOMPARE(settings.json().value("min_interval_seconds"_L1).toDouble(), 0.0);

        // Back up: a shorter interval than the first, also at once.
        QCOMPARE(putSettings(m_server, {{u"min_interval_seconds"_s, 2}}).status, 200);
        const HttpResult throttled = sendMessage(m_server, user.accessToken, ids[0], u"four"_s);
        QCOMPARE(throttled.status, 429);
        QVERIFY(retryAfter(throttled) >= 1 && retryAfter(throttled) <= 2);
        QCOMPARE(putSettings(m_server, {{u"min_interval_seconds"_s, 0}}).status, 200);
    }

    void shouldRefuseRequestsOverTheDailyQuota()
    {
        const SignedIn user = m_server.createUserAndLogin(u"quota1"_s);
        const HttpResult set = patchUser(m_server, user.userId,
                                         {{u"quota"_s, QJsonObject{{u"daily_requests"_s, 3}}}});
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json().value("quota"_L1).toObject().value("daily_requests"_L1).toInt(), 3);
        const QString id = conversations(user, 1)[0];
        for (int i = 0; i < 3; ++i)
            QCOMPARE(sendMessage(m_server, user.accessToken, id, u"message %1"_s.arg(i)).status,
                     200);

        const HttpResult fourth = sendMessage(m_server, user.accessToken, id, u"one too many"_s);
        QCOMPARE(fourth.status, 429);
        QCOMPARE(fourth.errorCode(), u"quota_exceeded"_s);
        const QJsonObject error = errorObject(fourth);
        QCOMPARE(error.value("quota"_L1).toString(), u"daily_requests"_s);
        QCOMPARE(error.value("limit"_L1).toInt(), 3);
        const QDateTime tomorrow(QDateTime::currentDateTimeUtc().date().addDays(1), QTime(0, 0),
                                 Qt::UTC);
        QCOMPARE(QDateTime::fromString(error.value("resets_at"_L1).toString(), Qt::ISODate),
                 tomorrow);
        QVERIFY(retryAfter(fourth) >= 1);
        QVERIFY(retryAfter(fourth) <= 24 * 3600);
        // The gateway counts against the same quota.
        const HttpResult gateway
            = m_server.request("POST", u"/v1/chat/completions"_s, completionBody(u"hi"_s),
                               m_server.createApiToken(user.accessToken));
        QCOMPARE(gateway.status, 429);
        QCOMPARE(gateway.errorCode(), u"quota_exceeded"_s);
        // Only the three accepted turns are stored.
        QCOMPARE(m_server.get(u"/api/v1/conversations/%1/messages"_s.arg(id), user.accessToken)
                     .json()
                     .value("items"_L1)
                     .toArray()
                     .size(),
                 6);
        QCOMPARE(usageToday(m_server, user.accessToken).value("requests"_L1).toInt(), 3);

        // A raised quota applies at once.
        QCOMPARE(patchUser(m_server, user.userId,
                           {{u"quota"_s, QJsonObject{{u"daily_requests"_s, QJsonValue()}}}})
                     .status,
                 200);
        QCOMPARE(sendMessage(m_server, user.accessToken, id, u"unlimited now"_s).status, 200);
    }

    void shouldNeverOverdrawAQuotaWithParallelRequests()
    {
        QCOMPARE(putSettings(m_server, {{u"max_live_conversations"_s, 30}}).status, 200);
        const SignedIn user = m_server.createUserAndLogin(u"quota2"_s);
        QCOMPARE(
            patchUser(m_server, user.userId, {{u"quota"_s, QJsonObject{{u"daily_requests"_s, 5}}}})
                .status,
            200);
        const QStringList ids = conversations(user, 12);
        // Slow answers, so that every accepted request is still in flight as the others arrive.
        m_server.upstream().setDefaultResponse(
            FakeResponse::chatStream({u"a"_s, u"b"_s, u"c"_s}, u"stop"_s, Usage{10, 5, 15})
                .withEventInterval(100ms));
        QList<BatchRequest> batch;
        for (const QString &id : ids)
            batch.append({"POST",
                          u"/api/v1/conversations/%1/messages"_s.arg(id),
                          QByteArray(R"({"content":"parallel"})"),
                          user.accessToken,
                          {}});
        const QList<HttpResult> results = sendAll(m_server, batch);
        m_server.upstream().setDefaultResponse(std::nullopt);
        const QMap<int, int> counts = statusCounts(results);
        QVERIFY2(counts.value(200) == 5 && counts.value(429) == 7, qPrintable(describe(results)));
        for (const HttpResult &result : results) {
            if (result.status == 429)
                QCOMPARE(result.errorCode(), u"quota_exceeded"_s);
        }

        const QJsonObject today = usageToday(m_server, user.accessToken);
        QCOMPARE(today.value("requests"_L1).toInt(), 5);
        QCOMPARE(today.value("prompt_tokens"_L1).toInt(), 50);
        QCOMPARE(today.value("completion_tokens"_L1).toInt(), 25);
        QCOMPARE(today.value("total_tokens"_L1).toInt(), 75);
        const QJsonObject admin = adminUsageToday(m_server, u"quota2"_s);
        QCOMPARE(admin.value("requests"_L1).toInt(), 5);
        QCOMPARE(admin.value("total_tokens"_L1).toInt(), 75);
        QCOMPARE(admin.value("user_id"_L1).toString(), user.userId);
        QCOMPARE(putSettings(m_server, {{u"max_live_conversations"_s, 3}}).status, 200);
    }

    void shouldCountAStreamCutBeforeItsUsage()
    {
        const SignedIn user = m_server.createUserAndLogin(u"quota3"_s);
        QCOMPARE(
            patchUser(m_server, user.userId, {{u"quota"_s, QJsonObject{{u"daily_requests"_s, 2}}}})
                .status,
            200);
        const QString id = conversations(user, 1)[0];
        m_server.upstream().enqueue(
            FakeResponse::chatStream({u"par"_s, u"tial"_s}, u"stop"_s, Usage{10, 5, 15})
                .dropAfterEvents(1));
        const HttpResult cut = sendMessage(m_server, user.accessToken, id, u"cut me"_s);
        QVERIFY2(cut.status >= 500, cut.body.constData());
        QCOMPARE(cut.errorCode(), u"upstream_error"_s);
        QCOMPARE(usageToday(m_server, user.accessToken).value("requests"_L1).toInt(), 1);

        // Through the gateway, streaming, the same.
        m_server.upstream().enqueue(
            FakeResponse::chatStream({u"par"_s, u"tial"_s}, u"stop"_s, Usage{10, 5, 15})
                .dropAfterEvents(1));
        const QString apiToken = m_server.createApiToken(user.accessToken);
        const HttpResult gateway = m_server.request("POST", u"/v1/chat/completions"_s,
                                                    completionBody(u"cut"_s, true), apiToken);
        QCOMPARE(gateway.status, 200); // the stream had begun
        QVERIFY2(!gateway.body.contains("[DONE]"), gateway.body.constData());
        QTRY_COMPARE(usageToday(m_server, user.accessToken).value("requests"_L1).toInt(), 2);

        const HttpResult third = sendMessage(m_server, user.accessToken, id, u"third"_s);
        QCOMPARE(third.status, 429);
        QCOMPARE(third.errorCode(), u"quota_exceeded"_s);
    }

    void shouldLimitLiveConversations()
    {
        QCOMPARE(putSettings(m_server, {{u"max_live_conversations"_s, 3}}).status, 200);
        const SignedIn user = m_server.createUserAndLogin(u"tabs1"_s);
        const QStringList ids = conversations(user, 5);
        WsClient socket;
        QVERIFY(socket.open(m_server, user.accessToken));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(open(socket, ids[i]).value("type"_L1).toString(), u"conversation.opened"_s);
        const QJsonObject fourth = open(socket, ids[3]);
        QCOMPARE(fourth.value("type"_L1).toString(), u"error"_s);
        QCOMPARE(frameErrorCode(fourth), u"too_many_conversations"_s);
        // Reopening an open one is fine; a chat request on a fourth is refused.
        QCOMPARE(open(socket, ids[0]).value("type"_L1).toString(), u"conversation.opened"_s);
        const HttpResult viaHttp = sendMessage(m_server, user.accessToken, ids[3], u"hi"_s);
        QCOMPARE(viaHttp.status, 409);
        QCOMPARE(viaHttp.errorCode(), u"too_many_conversations"_s);
        QCOMPARE(sendMessage(m_server, user.accessToken, ids[0], u"hi"_s).status, 200);

        // Closing one frees its slot.
        const QJsonObject closed = socket.exchange(
            {{u"type"_s, u"conversation.close"_s}, {u"conversation_id"_s, ids[1]}},
            {u"conversation.closed"_s, u"error"_s});
        QCOMPARE(closed.value("type"_L1).toString(), u"conversation.closed"_s);
        QCOMPARE(open(socket, ids[3]).value("type"_L1).toString(), u"conversation.opened"_s);
        QCOMPARE(frameErrorCode(open(socket, ids[4])), u"too_many_conversations"_s);

        // The limit is a live setting.
        QCOMPARE(putSettings(m_server, {{u"max_live_conversations"_s, 4}}).status, 200);
        QCOMPARE(open(socket, ids[4]).value("type"_L1).toString(), u"conversation.opened"_s);
        QCOMPARE(frameErrorCode(open(socket, ids[1])), u"too_many_conversations"_s);
        QCOMPARE(putSettings(m_server, {{u"max_live_conversations"_s, 2}}).status, 200);

        // A closed connection closes its conversations.
        socket.close();
        WsClient again;
        QVERIFY(again.open(m_server, user.accessToken));
        QCOMPARE(open(again, ids[1]).value("type"_L1).toString(), u"conversation.opened"_s);
        QCOMPARE(open(again, ids[2]).value("type"_L1).toString(), u"conversation.opened"_s);
        QCOMPARE(frameErrorCode(open(again, ids[3])), u"too_many_conversations"_s);
        QCOMPARE(putSettings(m_server, {{u"max_live_conversations"_s, 3}}).status, 200);
    }

    void shouldNotHoldALiveSlotForARefusedRequest()
    {
        QCOMPARE(putSettings(m_server, {{u"max_live_conversations"_s, 3}}).status, 200);
        const SignedIn user = m_server.createUserAndLogin(u"tabs2"_s);
        QCOMPARE(
            patchUser(m_server, user.userId, {{u"quota"_s, QJsonObject{{u"daily_requests"_s, 0}}}})
                .status,
            200);
        const QStringList ids = conversations(user, 5);
        // Out of quota: every request is refused for that reason, never as too many tabs.
        for (const QString &id : ids) {
            const HttpResult refused = sendMessage(m_server, user.accessToken, id, u"hi"_s);
            QCOMPARE(refused.status, 429);
            QCOMPARE(refused.errorCode(), u"quota_exceeded"_s);
        }
        // And the refused requests left every slot free.
        WsClient socket;
        QVERIFY(socket.open(m_server, user.accessToken));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(open(socket, ids[i + 2]).value("type"_L1).toString(),
                     u"conversation.opened"_s);
    }

    void shouldSendThePresetPromptAndTheLastMessagesOfThisLogin()
    {
        QCOMPARE(putSettings(m_server, {{u"context_messages"_s, 3}}).status, 200);
        SignedIn user = m_server.createUserAndLogin(u"context1"_s);
        const HttpResult presets = m_server.get(u"/api/v1/presets"_s, user.accessToken);
        QCOMPARE(presets.status, 200);
        QJsonObject preset;
        for (const QJsonValue &item : presets.json().value("items"_L1).toArray()) {
            if (!item.toObject().value("system_prompt"_L1).toString().isEmpty()) {
                preset = item.toObject();
                break;
            }
        }
        QVERIFY2(!preset.isEmpty(), presets.body.constData());
        const QString prompt = preset.value("system_prompt"_L1).toString();
        const QString id = m_server.createConversation(
            user.accessToken, {{u"preset_id"_s, preset.value("id"_L1).toString()}});
        QCOMPARE(m_server.get(u"/api/v1/conversations/"_s + id, user.accessToken)
                     .json()
                     .value("preset_id"_L1)
                     .toString(),
                 preset.value("id"_L1).toString());

        for (int i = 1; i <= 4; ++i) {
            m_server.upstream().enqueue(FakeResponse::chatStream({u"answer %1"_s.arg(i)}));
            QCOMPARE(sendMessage(m_server, user.accessToken, id, u"message %1"_s.arg(i)).status,
                     200);
        }
        QJsonArray sent = lastUpstreamMessages();
        QCOMPARE(roles(sent), (QStringList{u"system"_s, u"user"_s, u"assistant"_s, u"user"_s}));
        QCOMPARE(contents(sent),
                 (QStringList{prompt, u"message 3"_s, u"answer 3"_s, u"message 4"_s}));

        // A user's own, smaller cap applies too.
        QCOMPARE(patchUser(m_server, user.userId,
                           {{u"quota"_s, QJsonObject{{u"context_messages"_s, 2}}}})
                     .status,
                 200);
        m_server.upstream().enqueue(FakeResponse::chatStream({u"answer 5"_s}));
        QCOMPARE(sendMessage(m_server, user.accessToken, id, u"message 5"_s).status, 200);
        QCOMPARE(contents(lastUpstreamMessages()),
                 (QStringList{prompt, u"answer 4"_s, u"message 5"_s}));
        QCOMPARE(patchUser(m_server, user.userId,
                           {{u"quota"_s, QJsonObject{{u"context_messages"_s, QJsonValue()}}}})
                     .status,
                 200);

        // A new login starts afresh: only the prompt and the new message go up.
        user = m_server.login(u"context1"_s, QString::fromLatin1(ServerHarness::UserPassword));
        m_server.upstream().enqueue(FakeResponse::chatStream({u"answer 6"_s}));
        QCOMPARE(sendMessage(m_server, user.accessToken, id, u"message 6"_s).status, 200);
        QCOMPARE(contents(lastUpstreamMessages()), (QStringList{prompt, u"message 6"_s}));
        m_server.upstream().enqueue(FakeResponse::chatStream({u"answer 7"_s}));
        QCOMPARE(sendMessage(m_server, user.accessToken, id, u"message 7"_s).status, 200);
        QCOMPARE(contents(lastUpstreamMessages()),
                 (QStringList{prompt, u"message 6"_s, u"answer 6"_s, u"message 7"_s}));
        // The earlier messages are still there to read.
        const QList<QJsonObject> history
            = allPages(m_server, u"/api/v1/conversations/%1/messages"_s.arg(id), user.accessToken,
                       5, u"before"_s);
        QCOMPARE(history.size(), 14);
        QStringList texts;
        for (const QJsonObject &message : history)
            texts.append(message.value("content"_L1).toString());
        QVERIFY2(texts.contains(u"message 1"_s) && texts.contains(u"answer 1"_s),
                 qPrintable(texts.join(u", "_s)));
        QCOMPARE(putSettings(m_server, {{u"context_messages"_s, 15}}).status, 200);
    }

private:
    QStringList conversations(const SignedIn &user, int count)
    {
        QStringList ids;
        for (int i = 0; i < count; ++i)
            ids.append(m_server.createConversation(user.accessToken,
                                                   {{u"title"_s, u"Conversation %1"_s.arg(i)}}));
        return ids;
    }

    QJsonObject open(WsClient &socket, const QString &id)
    {
        return socket.exchange({{u"type"_s, u"conversation.open"_s}, {u"conversation_id"_s, id}},
                               {u"conversation.opened"_s, u"error"_s});
    }

    QJsonArray lastUpstreamMessages()
    {
        return m_server.upstream().lastRequest().json().value("messages"_L1).toArray();
    }

    ServerHarness m_server;
};

QTEST_GUILESS_MAIN(TestServerLimits)
#include "tst_server_limits.moc"
