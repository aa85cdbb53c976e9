#pragma once

#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace confab {

struct ProviderPreset
{
    QString id; // stable, stored in settings: "openai", "openrouter", ...
    QString name;
    QUrl baseUrl;         // empty for "custom"
    QString defaultModel; // empty when the provider has no sensible default
    bool needsKey = true;
};

// The OpenAI-compatible providers Confab knows out of the box, for the connection settings.
class ProviderPresets
{
public:
    static QList<ProviderPreset> all();
    static std::optional<ProviderPreset> find(QStringView id);
};

} // namespace confab
