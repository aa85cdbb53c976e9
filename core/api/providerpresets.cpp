#include "providerpresets.h"

using namespace Qt::StringLiterals;

namespace confab {

QList<ProviderPreset> ProviderPresets::all()
{
    return {
        {u"openai"_s, u"OpenAI"_s, QUrl(u"https://api.openai.com/v1"_s), u"gpt-4o-mini"_s, true},
        // OpenRouter routes to many vendors; the user picks a model from its list.
        {u"openrouter"_s, u"OpenRouter"_s, QUrl(u"https://openrouter.ai/api/v1"_s), QString(),
         true},
        {u"deepseek"_s, u"DeepSeek"_s, QUrl(u"https://api.deepseek.com/v1"_s), u"deepseek-chat"_s,
         true},
        {u"dashscope"_s, u"DashScope (Qwen)"_s,
         QUrl(u"https://dashscope.aliyuncs.com/compatible-mode/v1"_s), u"qwen-plus"_s, true},
        // A local Ollama needs no key; its models are whatever the user has pulled.
        {u"ollama"_s, u"Ollama"_s, QUrl(u"http://localhost:11434/v1"_s), QString(), false},
        {u"custom"_s, u"Custom"_s, QUrl(), QString(), false},
    };
}

std::optional<ProviderPreset> ProviderPresets::find(QStringView id)
{
    for (const ProviderPreset &preset : all()) {
        if (preset.id == id)
            return preset;
    }
    return std::nullopt;
}

} // namespace confab
