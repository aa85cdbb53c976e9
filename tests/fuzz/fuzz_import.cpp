// libFuzzer target: the import paths that read files a user picks (ChatGPT's
// conversations.json and Confab's own conversation export) on arbitrary bytes. They must
// return a result or an error: no crash, no sanitizer report, no hang.

#include "io/chatgptimporter.h"
#include "io/conversationexporter.h"

#include <QByteArray>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace confab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));

    qsizetype lastDone = -1;
    const auto imported = ChatGptImporter::parse(bytes, [&](qsizetype done, qsizetype total) {
        if (done < lastDone || done > total) {
            std::fprintf(stderr, "fuzz_import: progress went from %lld to %lld of %lld\n",
                         qint64(lastDone), qint64(done), qint64(total));
            std::abort();
        }
        lastDone = done;
        return true;
    });
    if (imported) {
        for (const ImportedConversation &conversation : imported->conversations) {
            // The importer promises visible messages only.
            if (conversation.messages.isEmpty())
                std::abort();
            for (const Message &message : conversation.messages) {
                if (message.content.trimmed().isEmpty())
                    std::abort();
            }
        }
    }

    if (auto own = ConversationExporter::fromJson(bytes)) {
        // What we read back must survive another round trip unchanged.
        const auto again
            = ConversationExporter::fromJson(ConversationExporter::toJson(own->first, own->second));
        if (!again || again->second.size() != own->second.size())
            std::abort();
        (void)ConversationExporter::toMarkdown(own->first, own->second);
    }
    return 0;
}
