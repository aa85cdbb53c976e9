#include "auth/passwordpolicy.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab;

class PasswordPolicyTest final : public QObject
{
    Q_OBJECT

private slots:
    void shouldCountCodePoints_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("7 ASCII") << u"Zq7#kLm"_s << false;
        QTest::newRow("8 ASCII") << u"Zq7#kLmP"_s << true;
        QTest::newRow("128 ASCII") << u"Zq7#kLmP"_s.repeated(16) << true;
        QTest::newRow("129 ASCII") << u"Zq7#kLmP"_s.repeated(16) + u"x"_s << false;
        QTest::newRow("7 Chinese") << u"我的密码很安全"_s << false;
        QTest::newRow("8 Chinese") << u"我的密码非常安全"_s << true;
        QTest::newRow("128 Chinese") << u"汉字密码"_s.repeated(32) << true;
        QTest::newRow("129 Chinese") << u"汉字密码"_s.repeated(32) + u"字"_s << false;
        // Outside the BMP: two UTF-16 units, one character.
        QTest::newRow("7 emoji") << u"🔑🐼🚀🌙🎲🧩🍵"_s << false;
        QTest::newRow("8 emoji") << u"🔑🐼🚀🌙🎲🧩🍵🦊"_s << true;
        QTest::newRow("128 emoji") << u"🔑🐼🚀🌙🎲🧩🍵🦊"_s.repeated(16) << true;
        QTest::newRow("129 emoji")
            << u"🔑🐼🚀🌙🎲🧩🍵🦊"_s.repeated(16) + u"🦊"_s << false;
        QTest::newRow("empty") << QString() << false;
    }

    void shouldCountCodePoints()
    {
        QFETCH(QString, password);
        QFETCH(bool, accepted);
        const auto checked = PasswordPolicy::check(password, u"alice"_s);
        if (accepted) {
            QVERIFY2(checked.ok(), qPrintable(checked.error().toString()));
        } else {
            QCOMPARE(checked.error().code, ErrorCode::InvalidInput);
            QVERIFY2(checked.error().message.contains(u"too short"_s)
                         || checked.error().message.contains(u"too long"_s),
                     qPrintable(checked.error().message));
        }
    }

    void shouldRefuseCommonPasswords_data()
    {
        QTest::addColumn<QString>("password");
        for (const QString &password :
             {u"password"_s,    u"Password1"_s,  u"PASSWORD123"_s, u"P@ssw0rd"_s,   u"12345678"_s,
              u"123456789"_s,   u"qwertyuiop"_s, u"1q2w3e4r"_s,    u"iloveyou"_s,   u"Sunshine1"_s,
              u"football123"_s, u"11111111"_s,   u"abcd1234"_s,    u"woaini1314"_s, u"Letmein!"_s,
              u"qwerty123"_s,   u"trustno1"_s,   u"zaq12wsx"_s,    u"dragon2024"_s, u"01011990"_s})
            QTest::newRow(qPrintable(password)) << password;
    }

    void shouldRefuseCommonPasswords()
    {
        QFETCH(QString, password);
        const auto checked = PasswordPolicy::check(password, u"someone"_s);
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code, ErrorCode::InvalidInput);
        QVERIFY2(checked.error().message.contains(u"common"_s),
                 qPrintable(checked.error().message));
    }

    void shouldAcceptUncommonOnes()
    {
        for (const QString &password :
             {u"correct horse battery staple"_s, u"password-is-long-enough"_s, u"Tr0ub4dor&3x"_s,
              u"qwertyuiop[]zz"_s})
            QVERIFY2(PasswordPolicy::check(password, u"alice"_s).ok(), qPrintable(password));
    }

    void shouldRefuseTheUsername()
    {
        const QList<std::pair<QString, QString>> cases{
            {u"AliceSmith"_s, u"alicesmith"_s},
            {u"alicesmith"_s, u"AliceSmith"_s},
            {u"bob-the-builder"_s, u" bob-the-builder "_s},
            {u"张伟的账号名称X"_s, u"张伟的账号名称x"_s}};
        for (const auto &[password, username] : cases) {
            const auto checked = PasswordPolicy::check(password, username);
            QCOMPARE(checked.error().code, ErrorCode::InvalidInput);
            QVERIFY2(checked.error().message.contains(u"username"_s),
                     qPrintable(checked.error().message));
        }
        QVERIFY(PasswordPolicy::check(u"alicesmith2"_s, u"alicesmith"_s).ok());
    }
};

QTEST_GUILESS_MAIN(PasswordPolicyTest)
#include "tst_passwordpolicy.moc"
