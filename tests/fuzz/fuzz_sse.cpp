// Fuzzes the SSE parser and the chat stream decoder: the input (after its first byte) is fed
// in pieces whose size the first byte chooses. Besides not crashing, two properties must hold:
// the parser yields the same events however the bytes are cut, and the decoder's deltas add
// up to the text it accumulated.

#include "api/chatstreamdecoder.h"
#include "api/sseparser.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace confab;

namespace {

// Small, so the fuzzer reaches the line and event size limits too.
constexpr qsizetype MaxEventSize = 4096;

QList<SseEvent> parseInPieces(QByteArrayView input, qsizetype piece)
{
    SseParser parser(MaxEventSize);
    QList<SseEvent> events;
    for (qsizetype at = 0; at < input.size(); at += piece)
        events += parser.feed(input.sliced(at, std::min(piece, input.size() - at)));
    events += parser.finish();
    return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);

    if (parseInPieces(input, piece) != parseInPieces(input, input.size() + 1))
        std::abort(); // the events depend on where the stream was cut

    ChatStreamDecoder decoder;
    QString text;
    QString reasoning;
    for (qsizetype at = 0; at < input.size(); at += piece) {
        for (const ChatDelta &delta :
             decoder.feed(input.sliced(at, std::min(piece, input.size() - at)))) {
            if (delta.content.isEmpty() && delta.reasoning.isEmpty())
                std::abort(); // empty deltas are never handed out
            text += delta.content;
            reasoning += delta.reasoning;
        }
    }
    decoder.finish();
    if (text != decoder.text() || reasoning != decoder.reasoning())
        std::abort();
    if (decoder.complete() && decoder.finishReason().isEmpty())
        std::abort();
    return 0;
}
