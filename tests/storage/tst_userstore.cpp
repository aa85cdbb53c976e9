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

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = openDatabase(m_dir->filePath(u"confab.db"_s));
        QVERIFY(m_db);
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
};

QTEST_GUILESS_MAIN(UserStoreTest)
#include "tst_userstore.moc"
