// confab-remote-probe: a teammate in another process. Signs in to a confab-server, starts a
// conversation, sends one message and prints the streamed answer as JSON on stdout:
//   {"conversation_id","answer","streamed","state"}
// Usage: confab-remote-probe SERVER_URL USERNAME MESSAGE (the password is one line on stdin).

#include "remote/remotechatservice.h"
#include "remote/serverclient.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "confab-remote-probe: %s\n", qUtf8Printable(message));
    std::exit(1);
}

// One exchange, step by step: sign in, wait for the WebSocket, create, send, collect.
class Probe final : public QObject
{
public:
    Probe(const QUrl &server, QString message)
        : m_client(server)
        , m_message(std::move(message))
    {}

    void run(const QString &username, const QString &password)
    {
        m_client.login(username, password, this, [this](Result<ServerUser> user) {
            if (!user)
                fail(u"sign-in: "_s + user.error().message);
            m_service = std::make_unique<RemoteChatService>(m_client);
            connect(&m_service->socket(), &ServerSocket::stateChanged, this,
                    [this](ServerSocket::State state) {
                        if (state == ServerSocket::State::Online && !m_started)
                            createConversation();
                    });
            connect(m_service.get(), &ChatService::messageDelta, this,
                    [this](qint64, qint64, const QString &content) { m_streamed += content; });
            connect(m_service.get(), &ChatService::messageUpdated, this, &Probe::onUpdated);
        });
    }

private:
    void createConversation()
    {
        m_started = true;
        m_service->createConversation({u"Probe"_s, {}, {}, 0}, this, [this](auto conversation) {
            if (!conversation)
                fail(u"create: "_s + conversation.error().message);
            m_conversationId = conversation->id;
            m_service->sendMessage(m_conversationId, m_message, this, [](Result<Message> sent) {
                if (!sent)
                    fail(u"send: "_s + sent.error().message);
            });
        });
    }

    void onUpdated(const Message &message)
    {
        if (message.role != Role::Assistant || message.state == MessageState::Streaming)
            return;
        const QJsonObject out{{"conversation_id"_L1, QString::number(m_conversationId)},
                              {"answer"_L1, message.content},
                              {"streamed"_L1, m_streamed},
                              {"state"_L1, message.incomplete() ? u"incomplete"_s : u"complete"_s}};
        std::fprintf(stdout, "%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        QCoreApplication::quit();
    }

    ServerClient m_client;
    std::unique_ptr<RemoteChatService> m_service;
    QString m_message;
    QString m_streamed;
    qint64 m_conversationId = 0;
    bool m_started = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 4)
        fail(u"usage: confab-remote-probe SERVER_URL USERNAME MESSAGE < password"_s);
    const QString password = QTextStream(stdin).readLine();
    Probe probe(QUrl(args.at(1)), args.at(3));
    probe.run(args.at(2), password);
    QTimer::singleShot(30000, &app, [] { fail(u"no answer within 30 s"_s); });
    return QCoreApplication::exec();
}
