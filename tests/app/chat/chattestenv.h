#pragma once

#include "api/provider.h"
#include "awaitresult.h"
#include "chat/localchatservice.h"
#include "fakeupstream.h"
#include "settings/settings.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/messagestore.h"
#include "storage/userstore.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <memory>
#include <optional>

// The real thing for the chat GUI's tests: LocalChatService on a temporary SQLite file,
// answering through Provider from a FakeUpstream on loopback, and temporary Settings.

namespace confab::testing {

class ChatTestEnv
{
public:
    // Whether setUp() worked; QVERIFY it.
    bool setUp(QString *error = nullptr)
    {
        using namespace std::chrono_literals;
        m_dir = std::make_unique<QTemporaryDir>();
        auto database = Database::open(m_dir->filePath(QStringLiteral("confab.db")));
        if (!database) {
            if (error)
                *error = database.error().toString();
            return false;
        }
        m_database = std::move(database).value();
        auto user = UserStore(*m_database).ensureLocalUser();
        if (!user)
            return false;
        m_userId = user->id;

        m_upstream = std::make_unique<FakeUpstream>();
        if (!m_upstream->listen())
            return false;
        ProviderConfig config;
        config.baseUrl = m_upstream->baseUrl();
        config.apiKey = QStringLiteral("sk-test");
        config.defaultModel = QStringLiteral("fake-model");
        config.connectTimeout = 2s;
        config.firstByteTimeout = 3s;
        config.idleTimeout = 3s;
        config.maxRetries = 0;
        m_provider = std::make_unique<Provider>(config);

        LocalChatService::Options options;
        options.generateTitles = false; // tests count the requests upstream
        options.saveInterval = 100ms;
        m_service = std::make_unique<LocalChatService>(*m_database, *m_provider, m_userId, options);
        m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
        return true;
    }

    ~ChatTestEnv()
    {
        m_service.reset();
        m_provider.reset();
        m_upstream.reset();
        m_settings.reset();
        m_database.reset();
    }

    LocalChatService &service() { return *m_service; }
    FakeUpstream &upstream() { return *m_upstream; }
    Database &database() { return *m_database; }
    Settings &settings() { return *m_settings; }
    qint64 userId() const { return m_userId; }

    qint64 newConversation(const QString &title = QStringLiteral("Test"))
    {
        NewConversation spec;
        spec.title = title;
        auto created = await<Conversation>([&](QObject *context, auto handler) {
            m_service->createConversation(spec, context, handler);
        });
        return created ? created->id : 0;
    }

    // Stores messages directly (one transaction), as an import would: fast for big histories.
    qint64 conversationWith(const QList<Message> &messages,
                            const QString &title = QStringLiteral("Imported"))
    {
        Conversation conversation;
        conversation.title = title;
        auto imported
            = MessageStore(*m_database).importConversation(m_userId, conversation, messages);
        return imported ? imported->id : 0;
    }

    QList<Message> rows(qint64 conversationId)
    {
        auto all = MessageStore(*m_database).all(m_userId, conversationId);
        return all ? *all : QList<Message>{};
    }

    Conversation conversation(qint64 id)
    {
        auto found = ConversationStore(*m_database).get(m_userId, id);
        return found ? *found : Conversation{};
    }

    bool waitIdle(qint64 conversationId, int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] { return !m_service->isStreaming(conversationId); }, timeoutMs);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<FakeUpstream> m_upstream;
    std::unique_ptr<Provider> m_provider;
    std::unique_ptr<LocalChatService> m_service;
    std::unique_ptr<Settings> m_settings;
    qint64 m_userId = 0;
};

inline Message makeMessage(Role role, const QString &content,
                           MessageState state = MessageState::Complete)
{
    Message message;
    message.role = role;
    message.content = content;
    message.state = state;
    return message;
}

} // namespace confab::testing
