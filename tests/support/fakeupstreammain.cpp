// confab-fake-upstream: FakeUpstream as its own process, for black-box tests and benchmarks
// of confab-server. Prints the port it listens on as the first line of stdout.

#include "fakeupstream.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace confab;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"confab-fake-upstream"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A fake OpenAI-compatible provider for tests and benchmarks. Scenario specs: "
        "KIND[:ARG][;OPTION=VALUE]..., KIND one of stream, fixture:NAME|PATH, tokens:N, "
        "completion:TEXT, error:STATUS, redirect:URL, stall-headers, keepalive, models:A,B; "
        "OPTION one of interval, write-size, write-delay, header-delay, stall-after, drop-after, "
        "drop-after-bytes, retry-after, message, token, model. Control routes: GET|DELETE "
        "/__fake/requests, POST /__fake/enqueue[?endpoint=models] (specs, one per line), "
        "GET /__fake/stats."_s);
    parser.addHelpOption();
    const QCommandLineOption hostOption(u"host"_s, u"Address to listen on (127.0.0.1)."_s,
                                        u"address"_s, u"127.0.0.1"_s);
    const QCommandLineOption portOption(u"port"_s, u"Port to listen on (0: any free one)."_s,
                                        u"port"_s, u"0"_s);
    const QCommandLineOption scenarioOption(
        u"scenario"_s, u"Queue a chat answer (repeatable; used in order)."_s, u"spec"_s);
    const QCommandLineOption defaultOption(
        u"default"_s, u"The chat answer once the queue is empty (default: stream)."_s, u"spec"_s);
    const QCommandLineOption keyOption(u"api-key"_s, u"Require this Bearer key."_s, u"key"_s);
    const QCommandLineOption modelsOption(u"models"_s, u"Comma-separated ids for GET /models."_s,
                                          u"ids"_s);
    const QCommandLineOption logOption(u"log-requests"_s, u"Print each request line to stderr."_s);
    const QCommandLineOption stdinOption(u"exit-on-stdin-close"_s,
                                         u"Exit when stdin closes (the parent went away)."_s);
    parser.addOptions({hostOption, portOption, scenarioOption, defaultOption, keyOption,
                       modelsOption, logOption, stdinOption});
    parser.process(app);

    FakeUpstream upstream;
    for (const QString &spec : parser.values(scenarioOption)) {
        QString error;
        auto response = FakeResponse::fromSpec(spec, &error);
        if (!response) {
            std::fprintf(stderr, "bad --scenario %s: %s\n", qPrintable(spec), qPrintable(error));
            return 2;
        }
        upstream.enqueue(std::move(*response));
    }
    if (parser.isSet(defaultOption)) {
        QString error;
        auto response = FakeResponse::fromSpec(parser.value(defaultOption), &error);
        if (!response) {
            std::fprintf(stderr, "bad --default: %s\n", qPrintable(error));
            return 2;
        }
        upstream.setDefaultResponse(std::move(*response));
    }
    if (parser.isSet(keyOption))
        upstream.setRequiredApiKey(parser.value(keyOption));
    if (parser.isSet(modelsOption))
        upstream.setModels(parser.value(modelsOption).split(u',', Qt::SkipEmptyParts));
    if (parser.isSet(logOption)) {
        QObject::connect(&upstream, &FakeUpstream::requestReceived, &app,
                         [](const FakeRequest &request) {
                             std::fprintf(stderr, "%s %s\n", request.method.constData(),
                                          request.target.constData());
                         });
    }

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    const QHostAddress host(parser.value(hostOption));
    if (!portOk || port > 65535 || host.isNull()) {
        std::fprintf(stderr, "bad --host or --port\n");
        return 2;
    }
    if (!upstream.listen(host, quint16(port))) {
        std::fprintf(stderr, "cannot listen on %s:%u\n", qPrintable(host.toString()), port);
        return 1;
    }
    std::printf("%u\n", unsigned(upstream.port()));
    std::fflush(stdout);

    if (parser.isSet(stdinOption)) {
        auto *notifier = new QSocketNotifier(0, QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [notifier] {
            char buffer[256];
            if (std::fread(buffer, 1, 1, stdin) == 0) { // EOF
                notifier->setEnabled(false);
                QCoreApplication::quit();
            }
        });
    }
    return app.exec();
}
