#pragma once

#include "common/types.h"

// A user's conversations: create, read, list (keyset pages, search), update and delete.
// Every call is scoped by the user id: another user's conversation is NotFound.

namespace confab {

class Database;

struct ConversationQuery
{
    bool archived = false;
    QString search; // over titles and message text; literal, ASCII case-insensitive
    QString cursor; // a nextCursor from the previous page, or empty for the first
    int limit = 50; // clamped to 1..200
};

class ConversationStore final
{
public:
    explicit ConversationStore(Database &db);

    // Fills id, userId, times (now) and messageCount.
    Result<Conversation> create(qint64 userId, const Conversation &conversation);
    Result<Conversation> get(qint64 userId, qint64 id);
    // Most recently updated first, each with its messageCount.
    Result<Page<Conversation>> list(qint64 userId, const ConversationQuery &query = {});
    // Title, preset, params, contextMessages and archived. Does not move the conversation in
    // the list: updatedAt tracks messages (append, finish, touch).
    Result<Conversation> update(qint64 userId, const Conversation &conversation);
    // Moves the conversation to the top of the list.
    Result<void> touch(qint64 userId, qint64 id);
    // With its messages.
    Result<void> remove(qint64 userId, qint64 id);

private:
    Database &m_db;
};

} // namespace confab
