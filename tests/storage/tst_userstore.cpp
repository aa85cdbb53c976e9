#include "storage/apitokenstore.h"
#include "storage/conversationstore.h"
#include "storage/sessionstore.h"
#include "storage/userstore.h"
#include "storagetestutil.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

class UserStoreTest final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    ManualClock m_clock;

    User named(const QString &username, const QString &email = {},
               UserStatus status = UserStatus::Active)
    {
        User user;
        user.username = username;
        user.email = email;
        user.status = status;
        auto created = UserStore(*m_db).create(user);
        if (!created)
            qWarning("%s", qPrintable(created.error().toString()));
        return created ? *created : User{};
    }

    static QStringList usernames(const QList<User> &users)
    {
        QStringList names;
        for (const User &user : users)
            names.append(user.username);
        return names;
    }

    QStringList listed(const UserQuery &query)
    {
        auto page = UserStore(*m_db).list(query);
        if (!page) {
            qWarning("%s", qPrintable(page.error().toString()));
            return {u"<error>"_s};
        }
        return usernames(page->items);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = openDatabase(m_dir->filePath(u"confab.db"_s));
        QVERIFY(m_db);
        m_db->setClock(m_clock.function());
    }

    void cleanup()
    {
        m_db.reset();
        m_dir.reset();
    }

    void shouldCreateAndFindAUser()
    {
        User user;
        user.username = u"Alice"_s;
        user.email = u"alice@example.org"_s;
        user.passwordHash = u"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"_s;
        user.role = UserRole::Admin;
        user.status = UserStatus::Pending;
        user.dailyRequests = 100;
        user.monthlyTokens = 1'000'000;
        user.contextMessages = 10;
        auto created = UserStore(*m_db).create(user);
        QVERIFY(created.ok());
        QVERIFY(created->id > 0);
        QVERIFY(created->createdAt.isValid());

        auto found = UserStore(*m_db).findByName(u"alice"_s);
        QVERIFY(found.ok());
        QCOMPARE(*found, *created);
        QCOMPARE(found->username, u"Alice"_s);
        QCOMPARE(found->dailyRequests, std::optional<qint64>(100));
        QCOMPARE(found->monthlyRequests, std::nullopt);
        QCOMPARE(found->contextMessages, std::optional(10));
        QCOMPARE(found->passwordHash, user.passwordHash);
        QCOMPARE(*UserStore(*m_db).get(created->id), *created);
    }

    void shouldRefuseATakenUsernameInAnyCase()
    {
        User user;
        user.username = u"alice"_s;
        QVERIFY(UserStore(*m_db).create(user).ok());
        user.username = u"ALICE"_s;
        QCOMPARE(UserStore(*m_db).create(user).error().code, ErrorCode::Conflict);
        user.username = u"  "_s;
        QCOMPARE(UserStore(*m_db).create(user).error().code, ErrorCode::InvalidInput);
    }

    void shouldSayNotFoundForUnknownUsers()
    {
        QCOMPARE(UserStore(*m_db).get(42).error().code, ErrorCode::NotFound);
        QCOMPARE(UserStore(*m_db).findByName(u"nobody"_s).error().code, ErrorCode::NotFound);
    }

    void shouldKeepTheLocalUserStable()
    {
        auto first = UserStore(*m_db).ensureLocalUser();
        QVERIFY(first.ok());
        QCOMPARE(first->role, UserRole::Admin);
        QCOMPARE(first->status, UserStatus::Active);
        auto second = UserStore(*m_db).ensureLocalUser();
        QCOMPARE(second->id, first->id);

        const qint64 id = first->id;
        m_db.reset();
        m_db = openDatabase(m_dir->filePath(u"confab.db"_s));
        QCOMPARE(UserStore(*m_db).ensureLocalUser()->id, id);
        QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM users"_s), 1);
    }

    void shouldNeverPutThePasswordHashInJson()
    {
        User user;
        user.username = u"bob"_s;
        user.passwordHash = u"$argon2id$secret-hash"_s;
        user.dailyTokens = 5000;
        const User created = *UserStore(*m_db).create(user);
        const QJsonObject json = created.toJson();
        const QByteArray text = QJsonDocument(json).toJson();
        QVERIFY(!text.contains("argon2id"));
        QVERIFY(!text.contains("secret-hash"));
        QVERIFY(!json.contains("password_hash"_L1));
        QCOMPARE(json.value("id"_L1).toString(), QString::number(created.id));
        QCOMPARE(json.value("role"_L1).toString(), u"user"_s);
        QCOMPARE(json.value("status"_L1).toString(), u"active"_s);
        QCOMPARE(json.value("quota"_L1).toObject().value("daily_tokens"_L1).toInteger(), 5000);
        QVERIFY(json.value("quota"_L1).toObject().value("daily_requests"_L1).isNull());
    }

    void shouldListUsersPageByPageInIdOrder()
    {
        const QStringList names{u"eve"_s, u"alice"_s, u"dave"_s, u"bob"_s, u"carol"_s};
        for (const QString &name : names)
            QVERIFY(named(name).id > 0);

        QStringList seen;
        UserQuery query;
        query.limit = 2;
        int pages = 0;
        do {
            auto page = UserStore(*m_db).list(query);
            QVERIFY2(page.ok(), qPrintable(page.error().toString()));
            QVERIFY(page->items.size() <= 2);
            seen += usernames(page->items);
            query.cursor = page->nextCursor;
            ++pages;
        } while (!query.cursor.isEmpty() && pages < 10);
        QCOMPARE(seen, names);
        QCOMPARE(pages, 3);

        // Exactly one page's worth: no cursor to an empty page.
        query = {};
        query.limit = 5;
        auto whole = UserStore(*m_db).list(query);
        QCOMPARE(whole->items.size(), 5);
        QVERIFY(whole->nextCursor.isEmpty());
    }

    void shouldClampTheLimit()
    {
        for (int i = 0; i < 3; ++i)
            QVERIFY(named(u"user%1"_s.arg(i)).id > 0);
        UserQuery query;
        query.limit = 0;
        QCOMPARE(UserStore(*m_db).list(query)->items.size(), 1);
        query.limit = -5;
        QCOMPARE(UserStore(*m_db).list(query)->items.size(), 1);
        query.limit = 1'000'000;
        QCOMPARE(UserStore(*m_db).list(query)->items.size(), 3);
    }

    void shouldRefuseAGarbledCursor()
    {
        UserQuery query;
        query.cursor = u"not a cursor!"_s;
        QCOMPARE(UserStore(*m_db).list(query).error().code, ErrorCode::InvalidInput);
        query.cursor = QString::fromLatin1(QByteArray("12x").toBase64(
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        QCOMPARE(UserStore(*m_db).list(query).error().code, ErrorCode::InvalidInput);
    }

    void shouldSearchUsernamesAndEmailsIgnoringCase()
    {
        named(u"Alice"_s, u"alice@home.example"_s);
        named(u"bob"_s, u"BOB@Corp.example"_s);
        named(u"carol"_s);
        named(u"100%_real"_s);

        UserQuery query;
        query.search = u"ALI"_s;
        QCOMPARE(listed(query), QStringList{u"Alice"_s});
        query.search = u"corp"_s;
        QCOMPARE(listed(query), QStringList{u"bob"_s});
        query.search = u".example"_s;
        QCOMPARE(listed(query), (QStringList{u"Alice"_s, u"bob"_s}));
        query.search = u"  carol "_s;
        QCOMPARE(listed(query), QStringList{u"carol"_s});
        // LIKE's wildcards are matched literally.
        query.search = u"%_"_s;
        QCOMPARE(listed(query), QStringList{u"100%_real"_s});
        query.search = u"_"_s;
        QCOMPARE(listed(query), QStringList{u"100%_real"_s});
        query.search = u"nobody"_s;
        QCOMPARE(listed(query), QStringList{});
    }

    void shouldFilterByStatus()
    {
        named(u"active1"_s);
        named(u"waiting"_s, {}, UserStatus::Pending);
        named(u"active2"_s, u"a2@example.org"_s);
        named(u"gone"_s, {}, UserStatus::Disabled);

        UserQuery query;
        query.status = UserStatus::Pending;
        QCOMPARE(listed(query), QStringList{u"waiting"_s});
        query.status = UserStatus::Active;
        QCOMPARE(listed(query), (QStringList{u"active1"_s, u"active2"_s}));
        query.search = u"example"_s;
        QCOMPARE(listed(query), QStringList{u"active2"_s});
        query.status = UserStatus::Disabled;
        QCOMPARE(listed(query), QStringList{});
    }

    void shouldUpdateTheEditableFieldsOnly()
    {
        User original;
        original.username = u"alice"_s;
        original.passwordHash = u"$argon2id$original"_s;
        original.dailyRequests = 10;
        const User created = *UserStore(*m_db).create(original);

        m_clock.advance(5000);
        User changed = created;
        changed.username = u"mallory"_s;
        changed.passwordHash = u"$argon2id$replaced"_s;
        changed.email = u"alice@example.org"_s;
        changed.role = UserRole::Admin;
        changed.status = UserStatus::Disabled;
        changed.dailyRequests = std::nullopt;
        changed.monthlyRequests = 300;
        changed.dailyTokens = 4000;
        changed.monthlyTokens = 90000;
        changed.contextMessages = 7;
        auto updated = UserStore(*m_db).update(changed);
        QVERIFY2(updated.ok(), qPrintable(updated.error().toString()));
        QCOMPARE(updated->username, u"alice"_s);
        QCOMPARE(updated->passwordHash, u"$argon2id$original"_s);
        QCOMPARE(updated->email, u"alice@example.org"_s);
        QCOMPARE(updated->role, UserRole::Admin);
        QCOMPARE(updated->status, UserStatus::Disabled);
        QCOMPARE(updated->dailyRequests, std::nullopt);
        QCOMPARE(updated->monthlyRequests, std::optional<qint64>(300));
        QCOMPARE(updated->dailyTokens, std::optional<qint64>(4000));
        QCOMPARE(updated->monthlyTokens, std::optional<qint64>(90000));
        QCOMPARE(updated->contextMessages, std::optional(7));
        QCOMPARE(updated->createdAt, created.createdAt);
        QCOMPARE(updated->updatedAt, created.updatedAt.addMSecs(5000));
        QCOMPARE(*UserStore(*m_db).get(created.id), *updated);

        changed = *updated;
        changed.email.clear();
        QVERIFY(UserStore(*m_db).update(changed)->email.isEmpty());
    }

    void shouldRefuseNegativeQuotas()
    {
        User user = named(u"alice"_s);
        user.monthlyTokens = -1;
        QCOMPARE(UserStore(*m_db).update(user).error().code, ErrorCode::InvalidInput);
        user.monthlyTokens = std::nullopt;
        user.contextMessages = -3;
        QCOMPARE(UserStore(*m_db).update(user).error().code, ErrorCode::InvalidInput);
        User fresh;
        fresh.username = u"bob"_s;
        fresh.dailyRequests = -10;
        QCOMPARE(UserStore(*m_db).create(fresh).error().code, ErrorCode::InvalidInput);
        QCOMPARE(UserStore(*m_db).get(user.id)->contextMessages, std::nullopt);
    }

    void shouldSetThePasswordHash()
    {
        const User user = named(u"alice"_s);
        QVERIFY(user.passwordHash.isEmpty());
        m_clock.advance(1000);
        QVERIFY(UserStore(*m_db).setPasswordHash(user.id, u"$argon2id$new"_s).ok());
        const User stored = *UserStore(*m_db).findByName(u"ALICE"_s);
        QCOMPARE(stored.passwordHash, u"$argon2id$new"_s);
        QCOMPARE(stored.updatedAt, user.updatedAt.addMSecs(1000));
    }

    void shouldSayNotFoundWhenChangingAnUnknownUser()
    {
        User ghost;
        ghost.id = 4242;
        ghost.username = u"ghost"_s;
        QCOMPARE(UserStore(*m_db).update(ghost).error().code, ErrorCode::NotFound);
        QCOMPARE(UserStore(*m_db).setPasswordHash(4242, u"x"_s).error().code, ErrorCode::NotFound);
        QCOMPARE(UserStore(*m_db).remove(4242).error().code, ErrorCode::NotFound);
    }

    void shouldRemoveAUserWithEverythingItOwns()
    {
        const User alice = named(u"alice"_s);
        const User bob = named(u"bob"_s);
        for (const User &user : {alice, bob}) {
            QVERIFY(SessionStore(*m_db)
                        .createExclusive(user.id, u"test"_s, u"127.0.0.1"_s, std::chrono::hours(1))
                        .ok());
            QVERIFY(ApiTokenStore(*m_db).create(user.id, u"laptop"_s).ok());
            QVERIFY(ConversationStore(*m_db).create(user.id, Conversation{}).ok());
        }

        QVERIFY(UserStore(*m_db).remove(alice.id).ok());
        QCOMPARE(UserStore(*m_db).get(alice.id).error().code, ErrorCode::NotFound);
        for (const QString &table : {u"sessions"_s, u"api_tokens"_s, u"conversations"_s}) {
            QCOMPARE(
                scalar(*m_db,
                       u"SELECT count(*) FROM %1 WHERE user_id = %2"_s.arg(table).arg(alice.id)),
                0);
            QCOMPARE(scalar(*m_db,
                            u"SELECT count(*) FROM %1 WHERE user_id = %2"_s.arg(table).arg(bob.id)),
                     1);
        }
        QCOMPARE(UserStore(*m_db).remove(alice.id).error().code, ErrorCode::NotFound);
    }

    void shouldCountActiveAdminsOnly()
    {
        QCOMPARE(*UserStore(*m_db).countActiveAdmins(), 0);
        User admin = named(u"root"_s);
        named(u"plain"_s);
        admin.role = UserRole::Admin;
        QVERIFY(UserStore(*m_db).update(admin).ok());
        QCOMPARE(*UserStore(*m_db).countActiveAdmins(), 1);

        User second = named(u"second"_s);
        second.role = UserRole::Admin;
        second.status = UserStatus::Pending;
        QVERIFY(UserStore(*m_db).update(second).ok());
        QCOMPARE(*UserStore(*m_db).countActiveAdmins(), 1);
        second.status = UserStatus::Active;
        QVERIFY(UserStore(*m_db).update(second).ok());
        QCOMPARE(*UserStore(*m_db).countActiveAdmins(), 2);

        admin.status = UserStatus::Disabled;
        QVERIFY(UserStore(*m_db).update(admin).ok());
        QCOMPARE(*UserStore(*m_db).countActiveAdmins(), 1);
    }
};

QTEST_GUILESS_MAIN(UserStoreTest)
#include "tst_userstore.moc"
