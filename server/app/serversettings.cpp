#include "serversettings.h"

#include "storage/settingsstore.h"

#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

const QString StoreKey = u"server.live_settings"_s;

Error invalid(const QString &message)
{
    return Error{ErrorCode::InvalidInput, message};
}

// An integer within min..max, or an error naming the key.
Result<qint64> boundedInteger(const QJsonValue &value, const QString &key, qint64 min, qint64 max)
{
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number != std::floor(number) || number < double(min)
        || number > double(max))
        return invalid(u"%1 must be a whole number from %2 to %3."_s.arg(key).arg(min).arg(max));
    return qint64(number);
}

} // namespace

QJsonObject LiveSettings::toJson() const
{
    return {{u"context_messages"_s, contextMessages},
            {u"min_interval_seconds"_s, double(minInterval.count()) / 1000.0},
            {u"registration"_s, registrationModeName(registration)},
            {u"max_live_conversations"_s, maxLiveConversations}};
}

ServerSettings::ServerSettings(SettingsStore &store, const ServerConfig &defaults, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    m_values.contextMessages = defaults.contextMessages;
    m_values.minInterval = defaults.minInterval;
    m_values.registration = defaults.registration;
    m_values.maxLiveConversations = defaults.maxLiveConversations;
}

Result<void> ServerSettings::load()
{
    const auto stored = m_store.get(StoreKey);
    if (!stored)
        return stored.error();
    if (!stored->has_value())
        return {};
    const QJsonObject patch = QJsonDocument::fromJson(stored->value().toUtf8()).object();
    auto values = merged(m_values, patch);
    if (!values)
        return values.error();
    m_values = *values;
    m_stored = patch;
    return {};
}

Result<LiveSettings> ServerSettings::apply(const QJsonObject &patch)
{
    auto values = merged(m_values, patch);
    if (!values)
        return values;
    QJsonObject stored = m_stored;
    const QJsonObject normalized = values->toJson();
    for (auto it = patch.constBegin(); it != patch.constEnd(); ++it)
        stored.insert(it.key(), normalized.value(it.key()));
    const QByteArray json = QJsonDocument(stored).toJson(QJsonDocument::Compact);
    if (auto saved = m_store.set(StoreKey, QString::fromUtf8(json)); !saved)
        return saved.error();
    m_values = *values;
    m_stored = stored;
    emit changed(m_values);
    return m_values;
}

Result<LiveSettings> ServerSettings::merged(LiveSettings base, const QJsonObject &patch)
{
    for (auto it = patch.constBegin(); it != patch.constEnd(); ++it) {
        const QString &key = it.key();
        if (key == "context_messages"_L1) {
            auto n = boundedInteger(*it, key, 1, 200);
            if (!n)
                return n.error();
            base.contextMessages = int(*n);
        } else if (key == "min_interval_seconds"_L1) {
            const double seconds = it->toDouble(-1);
            if (!it->isDouble() || seconds < 0 || seconds > 3600)
                return invalid(u"min_interval_seconds must be from 0 to 3600."_s);
            base.minInterval = std::chrono::milliseconds(qint64(seconds * 1000.0));
        } else if (key == "registration"_L1) {
            const auto mode = registrationModeFromName(it->toString());
            if (!mode)
                return invalid(u"registration must be open, approval or closed."_s);
            base.registration = *mode;
        } else if (key == "max_live_conversations"_L1) {
            auto n = boundedInteger(*it, key, 1, 100);
            if (!n)
                return n.error();
            base.maxLiveConversations = int(*n);
        } else {
            return invalid(u"Unknown setting: %1."_s.arg(key));
        }
    }
    return base;
}

} // namespace confab
