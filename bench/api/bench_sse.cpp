// bench_sse: how fast a chat stream is parsed. Builds a ~10 MB stream shaped like real
// OpenAI-compatible answers (one JSON chunk per token, English and Chinese, keep-alive
// comments, reasoning chunks, usage at the end), feeds it in 16 KiB pieces as the network
// would, and prints the median throughput of SseParser alone and of the whole
// ChatStreamDecoder (SSE + JSON + accumulation).

#include "api/chatstreamdecoder.h"
#include "api/sseparser.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

constexpr qsizetype TargetSize = 10 * 1024 * 1024;
constexpr qsizetype PieceSize = 16 * 1024;
constexpr int Runs = 7;

QByteArray chunk(const QString &field, const QString &text, int index)
{
    const QJsonObject delta{{field, text}};
    const QJsonObject object{{u"id"_s, u"chatcmpl-AbCdEf0123456789"_s},
                             {u"object"_s, u"chat.completion.chunk"_s},
                             {u"created"_s, 1731000000 + index / 50},
                             {u"model"_s, u"gpt-4o-mini-2024-07-18"_s},
                             {u"system_fingerprint"_s, u"fp_0ba0d124f1"_s},
                             {u"choices"_s,
                              QJsonArray{QJsonObject{{u"index"_s, 0},
                                                     {u"delta"_s, delta},
                                                     {u"logprobs"_s, QJsonValue()},
                                                     {u"finish_reason"_s, QJsonValue()}}}}};
    return "data: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}

QByteArray buildStream(qint64 *expectedTextChars)
{
    const QStringList words
        = {u"The"_s,  u" quick"_s,   u" answer"_s, u" is"_s,      u" 42"_s,   u"."_s,
           u"\n\n"_s, u"你好"_s,     u"，世界"_s,  u"。"_s,       u" Here"_s, u"'s"_s,
           u" the"_s, u" code"_s,    u":\n"_s,     u"```cpp\n"_s, u"int"_s,   u" main"_s,
           u"()"_s,   u" {}\n```"_s, u" 我们"_s,   u"可以"_s,     u"使用"_s,  u" Qt"_s};
    QByteArray stream;
    stream.reserve(TargetSize + 4096);
    qint64 chars = 0;
    int index = 0;
    // A little reasoning first, as DeepSeek and Qwen send it.
    for (; index < 200; ++index)
        stream += chunk(u"reasoning_content"_s, words.at(index % words.size()), index);
    while (stream.size() < TargetSize) {
        const QString &word = words.at(index % words.size());
        stream += chunk(u"content"_s, word, index);
        chars += word.size();
        if (index % 500 == 0)
            stream += ": OPENROUTER PROCESSING\n\n";
        ++index;
    }
    stream += "data: {\"id\":\"chatcmpl-AbCdEf0123456789\",\"object\":\"chat.completion.chunk\","
              "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    stream += "data: {\"id\":\"chatcmpl-AbCdEf0123456789\",\"object\":\"chat.completion.chunk\","
              "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":"
        + QByteArray::number(index) + ",\"total_tokens\":" + QByteArray::number(index + 12)
        + "}}\n\n";
    stream += "data: [DONE]\n\n";
    *expectedTextChars = chars;
    return stream;
}

// Median seconds of Runs runs of work over the stream.
double medianSeconds(const std::function<void()> &work)
{
    QList<double> seconds;
    for (int run = 0; run < Runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        work();
        seconds.append(double(timer.nsecsElapsed()) / 1e9);
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds.at(Runs / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 expectedChars = 0;
    const QByteArray stream = buildStream(&expectedChars);
    const double megabytes = double(stream.size()) / (1024.0 * 1024.0);

    qsizetype events = 0;
    const double parseSeconds = medianSeconds([&] {
        SseParser parser;
        events = 0;
        for (qsizetype at = 0; at < stream.size(); at += PieceSize)
            events += parser
                          .feed(QByteArrayView(stream).sliced(at).first(
                              std::min(PieceSize, stream.size() - at)))
                          .size();
        parser.finish();
    });

    bool correct = true;
    const double decodeSeconds = medianSeconds([&] {
        ChatStreamDecoder decoder;
        qsizetype deltas = 0;
        for (qsizetype at = 0; at < stream.size(); at += PieceSize)
            deltas += decoder
                          .feed(QByteArrayView(stream).sliced(at).first(
                              std::min(PieceSize, stream.size() - at)))
                          .size();
        decoder.finish();
        correct = correct && decoder.complete() && decoder.sawDone() && decoder.usage()
            && decoder.text().size() == expectedChars && deltas > 0;
    });

    std::printf(
        "bench_sse: %.1f MB stream, %lld events, fed in %lld KiB pieces, median of %d runs\n",
        megabytes, static_cast<long long>(events), static_cast<long long>(PieceSize / 1024), Runs);
    std::printf("  SseParser          %8.1f MB/s  (%.1f ms)\n", megabytes / parseSeconds,
                parseSeconds * 1000);
    std::printf("  ChatStreamDecoder  %8.1f MB/s  (%.1f ms)\n", megabytes / decodeSeconds,
                decodeSeconds * 1000);
    if (!correct) {
        std::fprintf(stderr, "bench_sse: the decoder did not reproduce the stream's answer\n");
        return 1;
    }
    return 0;
}
