#include "storage/apitokenstore.h"
#include "storagetestutil.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;
using namespace confab;
using namespace confab::testing;

class ApiTokenStoreTest final : public StorageTestCase
{
    Q_OBJECT

private:
    IssuedApiToken create(qint64 userId, const QString &name)
    {
        auto issued = ApiTokenStore(*m_db).create(userId, name);
        if (!issued)
            qWarning("%s", qPrintable(issued.error().toString()));
        return issued ? *issued : IssuedApiToken{};
    }

    QStringList names(qint64 userId)
    {
        QStringList result;
        const auto tokens = ApiTokenStore(*m_db).list(userId);
        for (const ApiToken &token : *tokens)
            result.append(token.name);
        return result;
    }

private slots:
    void shouldCreateATokenWithARandomSecret()
    {
        const IssuedApiToken issued = create(m_alice, u"  laptop  "_s);
        QVERIFY(issued.token.id > 0);
        QCOMPARE(issued.token.userId, m_alice);
        QCOMPARE(issued.token.name, u"laptop"_s);
        QCOMPARE(issued.token.createdAt, m_clock.now());
        QCOMPARE(issued.token.lastUsedAt, std::nullopt);
        static const QRegularExpression format(u"^cfb_[A-Za-z0-9_-]{43}$"_s);
        QVERIFY2(format.match(issued.secret).hasMatch(), qPrintable(issued.secret));
        QVERIFY(create(m_alice, u"other"_s).secret != issued.secret);

        // The database holds the SHA-256 only.
        QCOMPARE(scalar(*m_db,
                        u"SELECT count(*) FROM api_tokens WHERE token_hash LIKE '%%1%'"_s.arg(
                            issued.secret.mid(4))),
                 0);
        QCOMPARE(scalar(*m_db, u"SELECT length(token_hash) FROM api_tokens LIMIT 1"_s), 64);
    }

    void shouldCheckTheName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("blank") << u"   "_s << false;
        QTest::newRow("one") << u"x"_s << true;
        QTest::newRow("100") << QString(100, u'n') << true;
        QTest::newRow("101") << QString(101, u'n') << false;
        // 100 characters outside the BMP: 200 UTF-16 units.
        QTest::newRow("100 emoji") << u"😀"_s.repeated(100) << true;
        QTest::newRow("101 emoji") << u"😀"_s.repeated(101) << false;
    }

    void shouldCheckTheName()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        auto issued = ApiTokenStore(*m_db).create(m_alice, name);
        if (valid) {
            QVERIFY2(issued.ok(), qPrintable(issued.error().toString()));
        } else {
            QCOMPARE(issued.error().code, ErrorCode::InvalidInput);
            QCOMPARE(scalar(*m_db, u"SELECT count(*) FROM api_tokens"_s), 0);
        }
    }

    void shouldRefuseAnUnknownUser()
    {
        QCOMPARE(ApiTokenStore(*m_db).create(999, u"ghost"_s).error().code, ErrorCode::NotFound);
    }

    void shouldListTheUsersOwnTokensNewestFirst()
    {
        create(m_alice, u"first"_s);
        m_clock.advance(1000);
        create(m_bob, u"bobs"_s);
        create(m_alice, u"second"_s);
        // The same millisecond: the later id first.
        create(m_alice, u"third"_s);
        QCOMPARE(names(m_alice), (QStringList{u"third"_s, u"second"_s, u"first"_s}));
        QCOMPARE(names(m_bob), QStringList{u"bobs"_s});
        QCOMPARE(names(999), QStringList{});
    }

    void shouldRevokeOnlyTheUsersOwnToken()
    {
        const IssuedApiToken alices = create(m_alice, u"laptop"_s);
        const IssuedApiToken bobs = create(m_bob, u"phone"_s);

        QCOMPARE(ApiTokenStore(*m_db).revoke(m_alice, bobs.token.id).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(names(m_bob), QStringList{u"phone"_s});
        QCOMPARE(ApiTokenStore(*m_db).revoke(m_alice, 424242).error().code, ErrorCode::NotFound);

        QVERIFY(ApiTokenStore(*m_db).revoke(m_alice, alices.token.id).ok());
        QCOMPARE(names(m_alice), QStringList{});
        QCOMPARE(ApiTokenStore(*m_db).revoke(m_alice, alices.token.id).error().code,
                 ErrorCode::NotFound);
        QVERIFY(ApiTokenStore(*m_db).authenticate(bobs.secret).ok());
    }

    void shouldAuthenticateBySecret()
    {
        const IssuedApiToken issued = create(m_alice, u"script"_s);
        m_clock.advance(5000);
        auto found = ApiTokenStore(*m_db).authenticate(issued.secret);
        QVERIFY2(found.ok(), qPrintable(found.error().toString()));
        QCOMPARE(found->id, issued.token.id);
        QCOMPARE(found->userId, m_alice);
        QCOMPARE(found->lastUsedAt, std::optional(m_clock.now()));
        QCOMPARE(ApiTokenStore(*m_db).list(m_alice)->constFirst().lastUsedAt,
                 std::optional(m_clock.now()));
    }

    void shouldRefuseUnknownAndRevokedSecrets()
    {
        const IssuedApiToken issued = create(m_alice, u"script"_s);
        QString forged = issued.secret;
        forged[10] = forged.at(10) == u'A' ? u'B' : u'A';
        const QStringList refusedSecrets{forged,
                                         QString(),
                                         u"cfb_"_s,
                                         issued.secret.mid(4),
                                         issued.secret + u"x"_s,
                                         u"xyz_"_s + issued.secret.mid(4),
                                         u"cfb_"_s + QString(1'000'000, u'a')};
        for (const QString &secret : refusedSecrets) {
            auto refused = ApiTokenStore(*m_db).authenticate(secret);
            QCOMPARE(refused.error().code, ErrorCode::Unauthorized);
        }
        QVERIFY(ApiTokenStore(*m_db).revoke(m_alice, issued.token.id).ok());
        QCOMPARE(ApiTokenStore(*m_db).authenticate(issued.secret).error().code,
                 ErrorCode::Unauthorized);
    }

    void shouldNoteTheLastUseAtMostOnceAMinute()
    {
        const IssuedApiToken issued = create(m_alice, u"busy"_s);
        const QDateTime firstUse = m_clock.now();
        QCOMPARE(ApiTokenStore(*m_db).authenticate(issued.secret)->lastUsedAt,
                 std::optional(firstUse));
        m_clock.advance(59'999);
        QCOMPARE(ApiTokenStore(*m_db).authenticate(issued.secret)->lastUsedAt,
                 std::optional(firstUse));
        QCOMPARE(ApiTokenStore(*m_db).list(m_alice)->constFirst().lastUsedAt,
                 std::optional(firstUse));
        m_clock.advance(1);
        QCOMPARE(ApiTokenStore(*m_db).authenticate(issued.secret)->lastUsedAt,
                 std::optional(m_clock.now()));
        QCOMPARE(ApiTokenStore(*m_db).list(m_alice)->constFirst().lastUsedAt,
                 std::optional(m_clock.now()));
    }

    void shouldNeverPutTheSecretInJson()
    {
        const IssuedApiToken issued = create(m_alice, u"ci"_s);
        m_clock.advance(2000);
        QVERIFY(ApiTokenStore(*m_db).authenticate(issued.secret).ok());
        const QString hash = QString::fromLatin1(
            QCryptographicHash::hash(issued.secret.toUtf8(), QCryptographicHash::Sha256).toHex());
        QCOMPARE(
            scalar(*m_db, u"SELECT count(*) FROM api_tokens WHERE token_hash = '%1'"_s.arg(hash)),
            1);

        QJsonArray listed;
        const auto tokens = ApiTokenStore(*m_db).list(m_alice);
        for (const ApiToken &token : *tokens)
            listed.append(token.toJson());
        const QByteArray text = QJsonDocument(listed).toJson(QJsonDocument::Compact);
        QVERIFY(!text.contains(issued.secret.toLatin1()));
        QVERIFY(!text.contains(issued.secret.mid(4).toLatin1()));
        QVERIFY(!text.contains(hash.toLatin1()));

        const QJsonObject json = listed.first().toObject();
        QCOMPARE(json.keys(),
                 (QStringList{u"created_at"_s, u"id"_s, u"last_used_at"_s, u"name"_s}));
        QCOMPARE(json.value("id"_L1).toString(), QString::number(issued.token.id));
        QCOMPARE(json.value("name"_L1).toString(), u"ci"_s);
        QCOMPARE(json.value("created_at"_L1).toString(), toIsoUtc(issued.token.createdAt));
        QCOMPARE(json.value("last_used_at"_L1).toString(), toIsoUtc(m_clock.now()));
        QVERIFY(create(m_alice, u"unused"_s).token.toJson().value("last_used_at"_L1).isNull());
    }
};

QTEST_GUILESS_MAIN(ApiTokenStoreTest)
#include "tst_apitokenstore.moc"
