#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QStringView>
#include <QVarLengthArray>

// Compact JSON written straight into bytes, for replies where building QJsonObjects first costs
// more than the request's database work (a page of messages). The output is what
// QJsonDocument::toJson(Compact) writes for the same values when keys are written in sorted
// order, as QJsonObject keeps them.

namespace confab {

class JsonWriter final
{
public:
    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    // The next value's name: plain ASCII that needs no escaping.
    void key(QByteArrayView name);
    void string(QStringView text);
    // Plain ASCII with nothing to escape (a timestamp).
    void string(QLatin1StringView text);
    void number(qint64 value);
    void boolean(bool value);
    void null();

    QByteArray take();

private:
    // Room for `size` more bytes at the end of the output; commit() says how many were used.
    // QByteArray's own appends cost more than the bytes they write.
    char *room(qsizetype size);
    void commit(const char *end) { m_used = end - m_out.constData(); }
    void append(QByteArrayView bytes);
    // A comma before every value but the first of its container; none after a key.
    void separate();
    void open(char bracket);
    void close(char bracket);

    QByteArray m_out;
    qsizetype m_used = 0;
    QVarLengthArray<bool, 8> m_empty; // per open container: no value written yet
    bool m_afterKey = false;
};

} // namespace confab
