// Fuzzes the HTTP request framer that guards QtHttpServer: the input (after its first byte) is
// a byte stream fed in pieces whose size the first byte chooses, with the framer reset after
// each complete request as on a keep-alive connection. Besides not crashing, the framing must
// not depend on where the stream was cut (a split request must not be framed differently from
// a whole one: that is how smuggling starts), and each verdict must be self-consistent.

// ./dev fuzz builds without the server (CONFAB_BUILD_SERVER=OFF): the framer needs only
// QtCore, so the fuzzer compiles it in and includes it by its path.
#include "../../server/http/httpframer.h"

#include <QList>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace confab;

namespace {

// Small, so the fuzzer reaches every limit.
constexpr HttpLimits Limits{.maxHeaderBytes = 512, .maxHeaderFields = 8, .maxBodyBytes = 1024};

struct Event
{
    std::optional<HttpRequestHead> head;
    qsizetype completedAt = -1; // absolute offset just past a complete request
    int status = 0;             // a rejection
    QString reason;

    bool operator==(const Event &) const = default;
};

void check(bool condition)
{
    if (!condition)
        std::abort();
}

QList<Event> frameInPieces(QByteArrayView input, qsizetype piece)
{
    HttpFramer framer(Limits);
    QList<Event> events;
    qsizetype offset = 0;
    for (qsizetype at = 0; at < input.size(); at += piece) {
        QByteArrayView slice = input.sliced(at, std::min(piece, input.size() - at));
        while (!slice.isEmpty()) {
            const HttpFrameVerdict verdict = framer.feed(slice);
            check(verdict.consumed >= 0 && verdict.consumed <= slice.size());
            if (verdict.head) {
                const HttpRequestHead &head = *verdict.head;
                check(head.contentLength >= 0 && head.contentLength <= Limits.maxBodyBytes);
                check(!(head.chunked && head.contentLength));
                check(head.headers.size() <= Limits.maxHeaderFields);
                events.append({head, -1, 0, {}});
            }
            switch (verdict.kind) {
            case HttpFrameVerdict::Kind::Reject:
                check(verdict.status == 400 || verdict.status == 413 || verdict.status == 431);
                check(!verdict.reason.isEmpty());
                check(framer.phase() == HttpFramer::Phase::Rejected);
                events.append({std::nullopt, -1, verdict.status, verdict.reason});
                return events;
            case HttpFrameVerdict::Kind::Continue:
            case HttpFrameVerdict::Kind::RequestHeadComplete:
                // Short of the end of a request, every byte belongs to it.
                check(verdict.consumed == slice.size());
                break;
            case HttpFrameVerdict::Kind::RequestComplete:
                check(framer.phase() == HttpFramer::Phase::Complete);
                events.append({std::nullopt, offset + verdict.consumed, 0, {}});
                framer.reset();
                break;
            }
            offset += verdict.consumed;
            slice = slice.sliced(verdict.consumed);
        }
    }
    return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    check(frameInPieces(input, piece) == frameInPieces(input, input.size() + 1));
    return 0;
}
