#include "auth/jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace confab;

namespace {

const QByteArray secret = "0123456789abcdef0123456789abcdef"; // 32 bytes
const QString issuer = u"confab-server"_s;
const QString audience = u"confab"_s;
const QDateTime now(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);

QByteArray part(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray part(const QJsonObject &object)
{
    return part(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Built and signed here, with Qt's HMAC rather than the signer's libsodium one: what another
// party (or an attacker who knows the secret's algorithm confusion tricks) would send.
QString forge(const QJsonObject &header, const QJsonObject &payload,
              QCryptographicHash::Algorithm hmac = QCryptographicHash::Sha256,
              const QByteArray &key = secret)
{
    const QByteArray input = part(header) + '.' + part(payload);
    return QString::fromLatin1(input + '.'
                               + part(QMessageAuthenticationCode::hash(input, key, hmac)));
}

QJsonObject hs256Header()
{
    return {{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}};
}

QJsonObject validPayload()
{
    const qint64 t = now.toSecsSinceEpoch();
    return {{u"iss"_s, issuer},      {u"aud"_s, audience},
            {u"sub"_s, u"42"_s},     {u"sid"_s, u"session-1"_s},
            {u"typ"_s, u"access"_s}, {u"iat"_s, t},
            {u"nbf"_s, t},           {u"exp"_s, t + 900}};
}

QJsonObject with(QJsonObject object, const QString &key, const QJsonValue &value)
{
    if (value.isUndefined())
        object.remove(key);
    else
        object.insert(key, value);
    return object;
}

JwtSigner signer(const QString &iss = issuer, const QString &aud = audience)
{
    return *JwtSigner::create(secret, iss, aud);
}

} // namespace

class JwtTest final : public QObject
{
    Q_OBJECT

private:
    // Refused as Unauthorized, saying why (`reason`), without echoing the token.
    static bool refused(const QString &token, const QString &reason, QDateTime at = now)
    {
        const auto verified = signer().verify(token, at);
        if (verified.ok()) {
            qWarning("accepted: %s", qPrintable(token));
            return false;
        }
        const Error &error = verified.error();
        if (error.code != ErrorCode::Unauthorized || !error.message.contains(reason)) {
            qWarning("wrong refusal: %s", qPrintable(error.toString()));
            return false;
        }
        for (const QString &piece : token.split(u'.')) {
            if (piece.size() >= 8 && error.message.contains(piece)) {
                qWarning("the message echoes the token: %s", qPrintable(error.message));
                return false;
            }
        }
        return true;
    }

private slots:
    void shouldRoundTrip()
    {
        const QString token = signer().sign(42, u"session-1"_s, 15min, now);
        QCOMPARE(token.count(u'.'), 2);
        auto claims = signer().verify(token, now.addSecs(60));
        QVERIFY2(claims.ok(), qPrintable(claims.error().toString()));
        QCOMPARE(claims->userId, 42);
        QCOMPARE(claims->sessionId, u"session-1"_s);
        QCOMPARE(claims->issuedAt, now);
        QCOMPARE(claims->notBefore, now);
        QCOMPARE(claims->expiresAt, now.addSecs(900));

        const QJsonObject header
            = QJsonDocument::fromJson(QByteArray::fromBase64(token.section(u'.', 0, 0).toLatin1(),
                                                             QByteArray::Base64UrlEncoding))
                  .object();
        QCOMPARE(header, hs256Header());
        const QJsonObject payload
            = QJsonDocument::fromJson(QByteArray::fromBase64(token.section(u'.', 1, 1).toLatin1(),
                                                             QByteArray::Base64UrlEncoding))
                  .object();
        QCOMPARE(payload, validPayload());
    }

    void shouldAcceptATokenSignedElsewhereWithTheSecret()
    {
        auto claims = signer().verify(forge(hs256Header(), validPayload()), now);
        QVERIFY2(claims.ok(), qPrintable(claims.error().toString()));
        QCOMPARE(claims->userId, 42);
        // typ is optional in the header; aud may be a list.
        QVERIFY(signer().verify(forge({{u"alg"_s, u"HS256"_s}}, validPayload()), now).ok());
        const QJsonArray audiences{u"other"_s, audience};
        QVERIFY(signer()
                    .verify(forge(hs256Header(), with(validPayload(), u"aud"_s, audiences)), now)
                    .ok());
    }

    void shouldRefuseOtherAlgorithms()
    {
        const QJsonObject payload = validPayload();
        const QByteArray unsigned_
            = part(QJsonObject{{u"alg"_s, u"none"_s}, {u"typ"_s, u"JWT"_s}}) + '.' + part(payload);
        QVERIFY(refused(QString::fromLatin1(unsigned_ + '.'), u"algorithm"_s));
        // "none" with a valid HS256 signature all the same.
        QVERIFY(refused(forge({{u"alg"_s, u"none"_s}}, payload), u"algorithm"_s));
        QVERIFY(refused(forge({{u"alg"_s, u"HS512"_s}, {u"typ"_s, u"JWT"_s}}, payload,
                              QCryptographicHash::Sha512),
                        u"algorithm"_s));
        // RS256 with the HMAC secret as the "public key": the classic confusion attack.
        QVERIFY(refused(forge({{u"alg"_s, u"RS256"_s}, {u"typ"_s, u"JWT"_s}}, payload),
                        u"algorithm"_s));
        QVERIFY(refused(forge({{u"alg"_s, u"hs256"_s}}, payload), u"algorithm"_s));
        QVERIFY(refused(forge({{u"typ"_s, u"JWT"_s}}, payload), u"algorithm"_s));
        QVERIFY(refused(forge({{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWE"_s}}, payload), u"type"_s));
        QVERIFY(refused(forge({{u"alg"_s, u"HS256"_s}, {u"crit"_s, QJsonArray{u"exp"_s}}}, payload),
                        u"critical"_s));
    }

    void shouldRefuseATamperedToken()
    {
        const QString token = signer().sign(42, u"session-1"_s, 15min, now);
        QStringList parts = token.split(u'.');
        // Another user's id under the original signature.
        parts[1] = QString::fromLatin1(part(with(validPayload(), u"sub"_s, u"1"_s)));
        QVERIFY(refused(parts.join(u'.'), u"bad signature"_s));

        parts = token.split(u'.');
        QString signature = parts[2];
        signature[5] = signature.at(5) == u'A' ? u'B' : u'A';
        parts[2] = signature;
        QVERIFY(refused(parts.join(u'.'), u"bad signature"_s));

        parts = token.split(u'.');
        parts[2].chop(4);
        QVERIFY(refused(parts.join(u'.'), u"malformed signature"_s));

        // Another secret.
        const QString foreign = forge(hs256Header(), validPayload(), QCryptographicHash::Sha256,
                                      "another secret of thirty-two bytes");
        QVERIFY(refused(foreign, u"bad signature"_s));
    }

    void shouldRefuseExpiredTokens()
    {
        const QString token = signer().sign(42, u"session-1"_s, 15min, now);
        QVERIFY(signer().verify(token, now.addSecs(900).addMSecs(-1)).ok());
        // No leeway for expiry.
        QVERIFY(refused(token, u"expired"_s, now.addSecs(900)));
        QVERIFY(refused(token, u"expired"_s, now.addDays(1)));
    }

    void shouldRefuseTokensFromTheFuture()
    {
        const qint64 t = now.toSecsSinceEpoch();
        // 30 s of clock skew are forgiven, not 31.
        QVERIFY(signer()
                    .verify(forge(hs256Header(), with(validPayload(), u"nbf"_s, t + 30)), now)
                    .ok());
        QVERIFY(refused(forge(hs256Header(), with(validPayload(), u"nbf"_s, t + 31)),
                        u"not valid yet"_s));
        QVERIFY(refused(forge(hs256Header(), with(validPayload(), u"iat"_s, t + 31)),
                        u"issued in the future"_s));
        // Signed by a clock running ahead: fine within the leeway.
        const QString ahead = signer().sign(42, u"s"_s, 15min, now.addSecs(20));
        QVERIFY(signer().verify(ahead, now).ok());
    }

    void shouldRefuseOtherIssuersAudiencesAndTypes()
    {
        QVERIFY(refused(signer(u"someone-else"_s).sign(42, u"s"_s, 15min, now), u"issuer"_s));
        QVERIFY(
            refused(signer(issuer, u"other-app"_s).sign(42, u"s"_s, 15min, now), u"audience"_s));
        QVERIFY(refused(
            forge(hs256Header(), with(validPayload(), u"aud"_s, QJsonArray{u"a"_s, u"b"_s})),
            u"audience"_s));
        QVERIFY(refused(forge(hs256Header(), with(validPayload(), u"typ"_s, u"refresh"_s)),
                        u"not an access token"_s));
        QVERIFY(refused(forge(hs256Header(), with(validPayload(), u"typ"_s, QJsonValue::Undefined)),
                        u"not an access token"_s));
    }

    void shouldRefuseMissingClaims_data()
    {
        QTest::addColumn<QString>("claim");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("reason");
        const QJsonValue missing(QJsonValue::Undefined);
        QTest::newRow("no sid") << u"sid"_s << missing << u"session"_s;
        QTest::newRow("empty sid") << u"sid"_s << QJsonValue(u""_s) << u"session"_s;
        QTest::newRow("no sub") << u"sub"_s << missing << u"subject"_s;
        QTest::newRow("sub not a number") << u"sub"_s << QJsonValue(u"alice"_s) << u"subject"_s;
        QTest::newRow("sub zero") << u"sub"_s << QJsonValue(u"0"_s) << u"subject"_s;
        QTest::newRow("sub as a number") << u"sub"_s << QJsonValue(42) << u"subject"_s;
        QTest::newRow("no exp") << u"exp"_s << missing << u"exp"_s;
        QTest::newRow("exp as text") << u"exp"_s << QJsonValue(u"tomorrow"_s) << u"exp"_s;
        QTest::newRow("no nbf") << u"nbf"_s << missing << u"nbf"_s;
        QTest::newRow("no iat") << u"iat"_s << missing << u"iat"_s;
        QTest::newRow("no iss") << u"iss"_s << missing << u"issuer"_s;
        QTest::newRow("no aud") << u"aud"_s << missing << u"audience"_s;
    }

    void shouldRefuseMissingClaims()
    {
        QFETCH(QString, claim);
        QFETCH(QJsonValue, value);
        QFETCH(QString, reason);
        QVERIFY(refused(forge(hs256Header(), with(validPayload(), claim, value)), reason));
    }

    void shouldRefuseGarbage_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("reason");
        const QString valid = signer().sign(42, u"session-1"_s, 15min, now);
        const QStringList parts = valid.split(u'.');
        QTest::newRow("empty") << QString() << u"three"_s;
        QTest::newRow("one part") << u"abcdef"_s << u"three"_s;
        QTest::newRow("two parts") << parts.mid(0, 2).join(u'.') << u"three"_s;
        QTest::newRow("four parts") << valid + u".abc"_s << u"three"_s;
        QTest::newRow("dots") << u".."_s << u"header"_s;
        QTest::newRow("empty signature") << parts[0] + u'.' + parts[1] + u'.' << u"signature"_s;
        QTest::newRow("padding") << valid + u"="_s << u"signature"_s;
        QTest::newRow("space") << u" "_s + valid << u"header"_s;
        QTest::newRow("standard base64")
            << valid.section(u'.', 0, 1) + u".ab+/"_s << u"signature"_s;
        QTest::newRow("not json") << QString::fromLatin1(part(QByteArray("not json"))) + u'.'
                + parts[1] + u'.'
                + parts[2] << u"header"_s;
        QTest::newRow("json array")
            << QString::fromLatin1(part(QByteArray("[1,2]"))) + u'.' + parts[1] + u'.' + parts[2]
            << u"header"_s;
        QTest::newRow("payload not json") << forge(hs256Header(), {}).section(u'.', 0, 0) + u'.'
                + QString::fromLatin1(part(QByteArray("{oops")))
                + u".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"_s
                                          << u"signature"_s;
        QTest::newRow("huge") << QString(100'000, u'a') + u".b.c"_s << u"too long"_s;
        QTest::newRow("unicode") << u"é.é.é"_s << u"header"_s;
    }

    void shouldRefuseGarbage()
    {
        QFETCH(QString, token);
        QFETCH(QString, reason);
        QVERIFY(refused(token, reason));
    }

    void shouldRefuseAPayloadThatIsNotJsonEvenWhenSigned()
    {
        const QByteArray input = part(hs256Header()) + '.' + part(QByteArray("[\"x\"]"));
        const QString token = QString::fromLatin1(
            input + '.'
            + part(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256)));
        QVERIFY(refused(token, u"malformed payload"_s));
    }

    void shouldRefuseAShortSecret()
    {
        auto shortOne = JwtSigner::create(QByteArray(31, 'x'), issuer, audience);
        QCOMPARE(shortOne.error().code, ErrorCode::InvalidInput);
        QVERIFY(shortOne.error().message.contains(u"32"_s));
        QCOMPARE(JwtSigner::create({}, issuer, audience).error().code, ErrorCode::InvalidInput);
        QVERIFY(JwtSigner::create(QByteArray(32, 'x'), issuer, audience).ok());
        QCOMPARE(JwtSigner::create(secret, {}, audience).error().code, ErrorCode::InvalidInput);
        QCOMPARE(JwtSigner::create(secret, issuer, {}).error().code, ErrorCode::InvalidInput);
    }
};

QTEST_GUILESS_MAIN(JwtTest)
#include "tst_jwt.moc"
