// The chat view under load, offscreen: (1) the time to show one streamed delta (the service's
// signal -> MessageListModel -> MessageDelegate layout -> paint of the visible viewport) at
// the end of a 10-message and of a 1,000-message conversation, all of whose messages are
// loaded into the view; (2) the time from opening a 5,000-message conversation to its first
// painted frame (only the newest page loads first). Prints figures; asserts nothing.

#include "api/provider.h"
#include "chat/localchatservice.h"
#include "chat/messagedelegate.h"
#include "chat/messagelistmodel.h"
#include "chat/messageview.h"
#include "corpusgenerator.h"
#include "storage/database.h"
#include "storage/messagestore.h"
#include "storage/userstore.h"
#include "timingstats.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

constexpr int DeltaCount = 400;
constexpr int OpenRuns = 7;
const QSize ViewSize(1000, 800);

// Notes whether the viewport painted with rows in it.
class FirstPaint final : public QObject
{
public:
    explicit FirstPaint(const MessageListModel &model)
        : m_model(model)
    {}
    bool painted = false;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_model.rowCount() > 0)
            painted = true;
        return QObject::eventFilter(watched, event);
    }

private:
    const MessageListModel &m_model;
};

struct Fixture
{
    QTemporaryDir dir;
    std::unique_ptr<Database> database;
    std::unique_ptr<Provider> provider;
    std::unique_ptr<LocalChatService> service;
    qint64 userId = 0;

    bool open()
    {
        auto opened = Database::open(dir.filePath(u"bench.db"_s));
        if (!opened) {
            std::fprintf(stderr, "open: %s\n", qPrintable(opened.error().toString()));
            return false;
        }
        database = std::move(opened).value();
        userId = UserStore(*database).ensureLocalUser()->id;
        ProviderConfig config; // never called: deltas are announced directly
        config.baseUrl = QUrl(u"http://127.0.0.1:9/v1"_s);
        provider = std::make_unique<Provider>(config);
        service = std::make_unique<LocalChatService>(*database, *provider, userId,
                                                     LocalChatService::Options{});
        return true;
    }

    qint64 conversationOf(const QList<Message> &messages)
    {
        Conversation conversation;
        conversation.title = u"bench"_s;
        auto imported = MessageStore(*database).importConversation(userId, conversation, messages);
        return imported ? imported->id : 0;
    }
};

bool waitLoaded(const MessageListModel &model)
{
    return QTest::qWaitFor([&] { return model.isLoaded() && !model.isLoading(); }, 30000);
}

void deltaBenchmark(Fixture &fixture, const QList<Message> &messages, bool report = true)
{
    const qint64 id = fixture.conversationOf(messages);
    MessageListModel model(*fixture.service, id);
    MessageView view;
    view.setModel(&model);
    view.resize(ViewSize);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view) || !waitLoaded(model))
        return;
    // Every message in the view, the worst case for a per-delta cost that grew with them.
    while (model.canFetchOlder()) {
        model.fetchOlder();
        waitLoaded(model);
    }
    QApplication::processEvents();
    view.scrollToBottom();

    Message answer;
    answer.id = 10'000'000;
    answer.conversationId = id;
    answer.role = Role::Assistant;
    answer.state = MessageState::Streaming;
    answer.createdAt = QDateTime::currentDateTimeUtc();
    emit fixture.service->messageAdded(answer);
    QApplication::processEvents();
    view.flushPendingChanges();
    view.viewport()->repaint();

    bench::CorpusGenerator generator(7);
    const QString text = generator.assistantMessage(false) + u"\n\n"_s
        + generator.assistantMessage(true) + u"\n\n"_s + generator.assistantMessage(false);
    QStringList pieces;
    for (qsizetype at = 0; at < text.size(); at += 6)
        pieces.append(text.mid(at, 6));
    while (pieces.size() < DeltaCount)
        pieces.append(u"more words "_s);

    QList<double> all;
    QList<double> grown; // deltas that changed the answer's height (the rows below moved)
    const int layoutsBefore = view.messageDelegate()->layoutCount();
    const int rendersBefore = view.messageDelegate()->renderCount();
    QElapsedTimer timer;
    for (int i = 0; i < DeltaCount; ++i) {
        const int max = view.verticalScrollBar()->maximum();
        timer.start();
        emit fixture.service->messageDelta(id, answer.id, pieces.at(i), {});
        view.flushPendingChanges();
        view.viewport()->repaint();
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        all.append(ms);
        if (view.verticalScrollBar()->maximum() != max)
            grown.append(ms);
        // Let posted events (there should be none of note) run between deltas.
        QApplication::processEvents();
    }
    if (!report)
        return;
    const bench::TimingStats stats = bench::TimingStats::of(all);
    const bench::TimingStats grownStats = bench::TimingStats::of(grown);
    std::printf("delta at the end of %5lld messages (%lld rows loaded): median %.3f ms, p90 "
                "%.3f ms, max %.3f ms; %lld height changes: median %.3f ms; answer %lld chars; "
                "%d renders, %d layouts for %d deltas\n",
                qlonglong(messages.size()), qlonglong(model.rowCount()), stats.median, stats.p90,
                stats.max, qlonglong(grown.size()), grownStats.median,
                qlonglong(model.messageById(answer.id)->content.size()),
                view.messageDelegate()->renderCount() - rendersBefore,
                view.messageDelegate()->layoutCount() - layoutsBefore, DeltaCount);
    std::fflush(stdout);
}

void openBenchmark(Fixture &fixture, const QList<Message> &messages)
{
    const qint64 id = fixture.conversationOf(messages);
    QList<double> times;
    for (int run = 0; run < OpenRuns; ++run) {
        QElapsedTimer timer;
        timer.start();
        MessageListModel model(*fixture.service, id);
        MessageView view;
        FirstPaint firstPaint(model);
        view.viewport()->installEventFilter(&firstPaint);
        view.setModel(&model);
        view.resize(ViewSize);
        view.show();
        if (!QTest::qWaitFor([&] { return firstPaint.painted; }, 30000)) {
            std::fprintf(stderr, "no first paint\n");
            return;
        }
        times.append(double(timer.nsecsElapsed()) / 1e6);
    }
    const bench::TimingStats stats = bench::TimingStats::of(times);
    std::printf("open a %lld-message conversation to first paint: median %.1f ms, min %.1f ms, "
                "max %.1f ms (%d runs)\n",
                qlonglong(messages.size()), stats.median, stats.min, stats.max, OpenRuns);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);

    Fixture fixture;
    if (!fixture.open())
        return 1;
    bench::CorpusGenerator generator;
    const QList<Message> corpus = generator.conversations(1, 5000).constFirst().messages;
    std::printf("bench_messageview: offscreen, view %dx%d, Qt %s\n", ViewSize.width(),
                ViewSize.height(), qVersion());

    // A first pass warms font and glyph caches, which would otherwise count against the first.
    deltaBenchmark(fixture, corpus.mid(0, 10), false);
    deltaBenchmark(fixture, corpus.mid(0, 10));
    deltaBenchmark(fixture, corpus.mid(0, 1000));
    openBenchmark(fixture, corpus);
    return 0;
}
