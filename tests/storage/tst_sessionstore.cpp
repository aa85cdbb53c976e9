#include "storage/conversationstore.h"
#include "storage/messagestore.h"
#include "storage/sessionstore.h"
#include "storagetestutil.h"

#include <QSet>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;
using namespace confab::testing;

class SessionStoreTest final : public StorageTestCase
{
    Q_OBJECT

private:
    IssuedSession login(qint64 userId, QStringList *revoked = nullptr)
    {
        auto issued = SessionStore(*m_db).createExclusive(userId, u"Confab/1.0"_s, u"192.0.2.7"_s,
                                                          1h, revoked);
        if (!issued)
            qWarning("%s", qPrintable(issued.error().toString()));
        return issued ? *issued : IssuedSession{};
    }

    QStringList activeIds(qint64 userId)
    {
        QStringList ids;
        const auto active = SessionStore(*m_db).activeForUser(userId);
        for (const Session &session : *active)
            ids.append(session.id);
        return ids;
    }

private slots:
    void shouldCreateASessionWithRandomSecrets()
    {
        const IssuedSession issued = login(m_alice);
        const Session &session = issued.session;
        QVERIFY(session.id.size() >= 22);         // 128 bits in base64url
        QCOMPARE(issued.refreshToken.size(), 43); // 256 bits in base64url
        QCOMPARE(session.userId, m_alice);
        QCOMPARE(session.createdAt, m_clock.now());
        QCOMPARE(session.expiresAt, m_clock.now().addSecs(3600));
        QCOMPARE(session.userAgent, u"Confab/1.0"_s);
        QCOMPARE(session.address, u"192.0.2.7"_s);
        QVERIFY(session.isActive(m_clock.now()));
        QCOMPARE(*SessionStore(*m_db).get(session.id), session);

        // Only the hash is stored.
        QCOMPARE(scalar(*m_db,
                        u"SELECT count(*) FROM sessions WHERE refresh_token_hash = '%1'"_s.arg(
                            issued.refreshToken)),
                 0);
        QCOMPARE(scalar(*m_db, u"SELECT length(refresh_token_hash) FROM sessions"_s), 64);

        const IssuedSession other = login(m_bob);
        QVERIFY(other.session.id != session.id);
        QVERIFY(other.refreshToken != issued.refreshToken);
    }

    void shouldKeepOneActiveSessionPerUser()
    {
        const IssuedSession first = login(m_alice);
        const IssuedSession bobs = login(m_bob);
        m_clock.advance(1000);
        QStringList revoked{u"stale"_s};
        const IssuedSession second = login(m_alice, &revoked);
        QCOMPARE(revoked, QStringList{first.session.id});
        QCOMPARE(activeIds(m_alice), QStringList{second.session.id});

        const Session old = *SessionStore(*m_db).get(first.session.id);
        QVERIFY(!old.isActive(m_clock.now()));
        QCOMPARE(old.revokedAt, std::optional(m_clock.now()));
        QCOMPARE(old.revokeReason, u"session_replaced"_s);
        // Another user's session is left alone.
        QCOMPARE(activeIds(m_bob), QStringList{bobs.session.id});

        // Expired sessions are not "revoked" by a login.
        m_clock.advance(2 * 3600 * 1000);
        const IssuedSession third = login(m_alice, &revoked);
        QCOMPARE(revoked, QStringList{});
        QCOMPARE(activeIds(m_alice), QStringList{third.session.id});
        QVERIFY(!SessionStore(*m_db).get(second.session.id)->revokedAt);
    }

    void shouldStartAFreshContextAtEachLogin()
    {
        QCOMPARE(login(m_alice).session.contextStartMessageId, 1);
        const qint64 conversation = ConversationStore(*m_db).create(m_alice, {})->id;
        qint64 last = 0;
        for (int i = 0; i < 3; ++i) {
            Message message;
            message.conversationId = conversation;
            message.content = u"hello %1"_s.arg(i);
            last = MessageStore(*m_db).append(m_alice, message)->id;
        }
        QCOMPARE(login(m_alice).session.contextStartMessageId, last + 1);
        // Any user's messages count: the id is global.
        QCOMPARE(login(m_bob).session.contextStartMessageId, last + 1);
    }

    void shouldRefuseUnknownUsersAndBadLifetimes()
    {
        auto unknown = SessionStore(*m_db).createExclusive(999, {}, {}, 1h);
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
        auto zero = SessionStore(*m_db).createExclusive(m_alice, {}, {}, 0s);
        QCOMPARE(zero.error().code, ErrorCode::InvalidInput);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM sessions"_s), 0);
        QCOMPARE(SessionStore(*m_db).get(u"nope"_s).error().code, ErrorCode::NotFound);
    }

    void shouldCutALongUserAgent()
    {
        auto issued = SessionStore(*m_db).createExclusive(m_alice, QString(5000, u'x'), {}, 1h);
        QCOMPARE(issued->session.userAgent.size(), 512);
        QCOMPARE(SessionStore(*m_db).get(issued->session.id)->userAgent.size(), 512);
    }

    void shouldRotateTheRefreshToken()
    {
        const IssuedSession issued = login(m_alice);
        m_clock.advance(10 * 60 * 1000);
        auto rotated = SessionStore(*m_db).rotate(issued.refreshToken, 2h);
        QVERIFY2(rotated.ok(), qPrintable(rotated.error().toString()));
        QCOMPARE(rotated->session.id, issued.session.id);
        QVERIFY(rotated->refreshToken != issued.refreshToken);
        QCOMPARE(rotated->refreshToken.size(), 43);
        QCOMPARE(rotated->session.expiresAt, m_clock.now().addSecs(7200));
        QCOMPARE(*SessionStore(*m_db).get(issued.session.id), rotated->session);

        auto again = SessionStore(*m_db).rotate(rotated->refreshToken, 2h);
        QVERIFY(again.ok());
        QVERIFY(again->refreshToken != rotated->refreshToken);
        QVERIFY(SessionStore(*m_db).get(issued.session.id)->isActive(m_clock.now()));
    }

    void shouldTreatAReusedRefreshTokenAsTheft()
    {
        const IssuedSession issued = login(m_alice);
        const QString first = issued.refreshToken;
        const QString second = SessionStore(*m_db).rotate(first, 1h)->refreshToken;
        const QString third = SessionStore(*m_db).rotate(second, 1h)->refreshToken;

        // Not only the previous token: any one rotated away.
        m_clock.advance(1000);
        auto reused = SessionStore(*m_db).rotate(first, 1h);
        QCOMPARE(reused.error().code, ErrorCode::Unauthorized);
        const Session session = *SessionStore(*m_db).get(issued.session.id);
        QCOMPARE(session.revokeReason, u"refresh_reuse"_s);
        QCOMPARE(session.revokedAt, std::optional(m_clock.now()));
        // Whoever holds the newest token is locked out too.
        QCOMPARE(SessionStore(*m_db).rotate(third, 1h).error().code, ErrorCode::Unauthorized);
        QCOMPARE(activeIds(m_alice), QStringList{});
        QVERIFY(!reused.error().message.contains(first));
    }

    void shouldRevokeWhenThePreviousTokenComesBack()
    {
        const IssuedSession issued = login(m_alice);
        QVERIFY(SessionStore(*m_db).rotate(issued.refreshToken, 1h).ok());
        QCOMPARE(SessionStore(*m_db).rotate(issued.refreshToken, 1h).error().code,
                 ErrorCode::Unauthorized);
        QCOMPARE(SessionStore(*m_db).get(issued.session.id)->revokeReason, u"refresh_reuse"_s);
    }

    void shouldRefuseUnknownExpiredAndRevokedTokens()
    {
        QCOMPARE(SessionStore(*m_db).rotate(u"made-up"_s, 1h).error().code,
                 ErrorCode::Unauthorized);
        QCOMPARE(SessionStore(*m_db).rotate(QString(), 1h).error().code, ErrorCode::Unauthorized);

        const IssuedSession expiring = login(m_alice);
        m_clock.advance(3600 * 1000);
        auto expired = SessionStore(*m_db).rotate(expiring.refreshToken, 1h);
        QCOMPARE(expired.error().code, ErrorCode::Unauthorized);
        QVERIFY(expired.error().message.contains(u"expired"_s));
        // Expired is not theft: the session is not marked revoked.
        QVERIFY(!SessionStore(*m_db).get(expiring.session.id)->revokedAt);

        const IssuedSession revoked = login(m_bob);
        QVERIFY(SessionStore(*m_db).revoke(revoked.session.id, u"logout"_s).ok());
        QCOMPARE(SessionStore(*m_db).rotate(revoked.refreshToken, 1h).error().code,
                 ErrorCode::Unauthorized);
        QCOMPARE(SessionStore(*m_db).get(revoked.session.id)->revokeReason, u"logout"_s);

        // A replaced session's token is dead as well.
        const IssuedSession replaced = login(m_alice);
        login(m_alice);
        QCOMPARE(SessionStore(*m_db).rotate(replaced.refreshToken, 1h).error().code,
                 ErrorCode::Unauthorized);
    }

    void shouldForgetRotatedTokensOnceTheyWouldHaveExpired()
    {
        const IssuedSession issued = login(m_alice); // expires in 1 h
        QString token = SessionStore(*m_db).rotate(issued.refreshToken, 1h)->refreshToken;
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM rotated_refresh_tokens"_s), 1);
        // The first token would have expired by now: presenting it is no longer theft...
        m_clock.advance(3600 * 1000 - 1);
        token = SessionStore(*m_db).rotate(token, 1h)->refreshToken;
        m_clock.advance(1);
        QCOMPARE(SessionStore(*m_db).rotate(issued.refreshToken, 1h).error().code,
                 ErrorCode::Unauthorized);
        QVERIFY(SessionStore(*m_db).get(issued.session.id)->isActive(m_clock.now()));
        // ...and the next rotation drops it, with the second one, which expired as well.
        QVERIFY(SessionStore(*m_db).rotate(token, 1h).ok());
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM rotated_refresh_tokens"_s), 1);

        // A new login forgets the rotated tokens of the sessions it replaces.
        login(m_alice);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM rotated_refresh_tokens"_s), 0);
    }

    void shouldRevokeIdempotently()
    {
        const IssuedSession issued = login(m_alice);
        m_clock.advance(500);
        QVERIFY(SessionStore(*m_db).revoke(issued.session.id, u"logout"_s).ok());
        const QDateTime revokedAt = m_clock.now();
        m_clock.advance(500);
        QVERIFY(SessionStore(*m_db).revoke(issued.session.id, u"admin_revoked"_s).ok());
        const Session session = *SessionStore(*m_db).get(issued.session.id);
        QCOMPARE(session.revokeReason, u"logout"_s);
        QCOMPARE(session.revokedAt, std::optional(revokedAt));
        QCOMPARE(SessionStore(*m_db).revoke(u"unknown"_s, u"logout"_s).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(SessionStore(*m_db).revoke(issued.session.id, QString()).error().code,
                 ErrorCode::InvalidInput);
    }

    void shouldRevokeAllSessionsOfAUser()
    {
        // Single-device login leaves one active session; an older database may hold more.
        const IssuedSession first = login(m_alice);
        QVERIFY(m_db->exec(u"UPDATE sessions SET revoked_at = NULL, revoke_reason = NULL"_s, {},
                           u"test"_s)
                    .ok());
        const IssuedSession second = login(m_alice);
        QVERIFY(m_db->exec(u"UPDATE sessions SET revoked_at = NULL, revoke_reason = NULL"_s, {},
                           u"test"_s)
                    .ok());
        const IssuedSession bobs = login(m_bob);
        QCOMPARE(activeIds(m_alice).size(), 2);

        m_clock.advance(1000);
        auto revoked = SessionStore(*m_db).revokeAllForUser(m_alice, u"account_disabled"_s);
        QVERIFY(revoked.ok());
        QCOMPARE(QSet<QString>(revoked->cbegin(), revoked->cend()),
                 (QSet<QString>{first.session.id, second.session.id}));
        QCOMPARE(activeIds(m_alice), QStringList{});
        QCOMPARE(SessionStore(*m_db).get(first.session.id)->revokeReason, u"account_disabled"_s);
        QCOMPARE(activeIds(m_bob), QStringList{bobs.session.id});

        QCOMPARE(*SessionStore(*m_db).revokeAllForUser(m_alice, u"again"_s), QStringList{});
        QCOMPARE(SessionStore(*m_db).get(first.session.id)->revokeReason, u"account_disabled"_s);
    }

    void shouldListActiveSessionsNewestFirst()
    {
        QCOMPARE(activeIds(m_alice), QStringList{});
        const IssuedSession first = login(m_alice);
        m_clock.advance(1000);
        const IssuedSession second = login(m_alice);
        // As in an older database that allowed several.
        QVERIFY(m_db->exec(u"UPDATE sessions SET revoked_at = NULL"_s, {}, u"test"_s).ok());
        QCOMPARE(activeIds(m_alice), (QStringList{second.session.id, first.session.id}));
        m_clock.advance(3600 * 1000 - 1000);
        QCOMPARE(activeIds(m_alice), QStringList{second.session.id});
    }

    void shouldPruneSessionsLongRevokedOrExpired()
    {
        constexpr qint64 DayMs = 24 * 3600 * 1000;
        const IssuedSession replaced = login(m_alice);
        const IssuedSession expired = login(m_alice); // revokes the first; expires in 1 h
        QVERIFY(SessionStore(*m_db).rotate(expired.refreshToken, 1h).ok()); // to cascade
        m_clock.advance(30 * DayMs);
        QCOMPARE(*SessionStore(*m_db).prune(24h * 31), 0);
        // Until then an old token still learns why it was refused.
        QCOMPARE(SessionStore(*m_db).get(replaced.session.id)->revokeReason, u"session_replaced"_s);

        m_clock.advance(2 * DayMs);
        const IssuedSession fresh = login(m_bob);
        QCOMPARE(*SessionStore(*m_db).prune(24h * 31), 2);
        QCOMPARE(SessionStore(*m_db).get(replaced.session.id).error().code, ErrorCode::NotFound);
        QCOMPARE(SessionStore(*m_db).get(expired.session.id).error().code, ErrorCode::NotFound);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM rotated_refresh_tokens"_s), 0);
        QVERIFY(SessionStore(*m_db).get(fresh.session.id)->isActive(m_clock.now()));
        QCOMPARE(*SessionStore(*m_db).prune(24h * 31), 0);
    }

    void shouldUpgradeAVersion1Database()
    {
        // A file from before rotated_refresh_tokens: its sessions keep working.
        const IssuedSession issued = login(m_alice);
        QVERIFY(m_db->exec(u"DROP TABLE rotated_refresh_tokens"_s, {}, u"test"_s).ok());
        QVERIFY(m_db->exec(u"PRAGMA user_version = 1"_s, {}, u"test"_s).ok());
        m_db.reset();
        m_db = openDatabase(m_dir->filePath(u"confab.db"_s));
        QVERIFY(m_db);
        QCOMPARE(scalar(*m_db, u"PRAGMA user_version"_s), qint64(Database::schemaVersion));
        m_db->setClock(m_clock.function());
        auto rotated = SessionStore(*m_db).rotate(issued.refreshToken, 1h);
        QVERIFY2(rotated.ok(), qPrintable(rotated.error().toString()));
        QCOMPARE(SessionStore(*m_db).rotate(issued.refreshToken, 1h).error().code,
                 ErrorCode::Unauthorized);
        QCOMPARE(SessionStore(*m_db).get(issued.session.id)->revokeReason, u"refresh_reuse"_s);
    }
};

QTEST_GUILESS_MAIN(SessionStoreTest)
#include "tst_sessionstore.moc"
