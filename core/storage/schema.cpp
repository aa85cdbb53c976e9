#include "schema.h"

using namespace Qt::StringLiterals;

namespace confab::schema {

namespace {

// Times are INTEGER milliseconds since the epoch (UTC); NULL quota = unlimited.
QStringList version1()
{
    return {
        uR"(CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            email TEXT,
            password_hash TEXT,
            role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending', 'disabled')),
            daily_requests INTEGER,
            monthly_requests INTEGER,
            daily_tokens INTEGER,
            monthly_tokens INTEGER,
            context_messages INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ))"_s,

        // context_start_message_id: messages with a smaller id are not sent to the model
        // again ("each new login starts a fresh context").
        uR"(CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            refresh_token_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            revoked_at INTEGER,
            revoke_reason TEXT,
            user_agent TEXT,
            address TEXT,
            context_start_message_id INTEGER NOT NULL DEFAULT 0
        ))"_s,
        u"CREATE INDEX sessions_user ON sessions(user_id)"_s,

        uR"(CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            revoked_at INTEGER
        ))"_s,
        u"CREATE INDEX api_tokens_user ON api_tokens(user_id)"_s,

        // AUTOINCREMENT: ids are never reused, so a client's caches keyed by id stay valid
        // after a delete.
        uR"(CREATE TABLE conversations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            title TEXT NOT NULL DEFAULT '',
            preset_id TEXT,
            params TEXT NOT NULL DEFAULT '{}',
            context_messages INTEGER NOT NULL DEFAULT 0,
            archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ))"_s,
        uR"(CREATE INDEX conversations_list
            ON conversations(user_id, archived, updated_at DESC, id DESC))"_s,

        // usage: NULL prompt_tokens = no usage reported.
        uR"(CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
            content TEXT NOT NULL DEFAULT '',
            reasoning TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'complete'
                CHECK (state IN ('complete', 'streaming', 'incomplete')),
            finish_reason TEXT,
            error_message TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            total_tokens INTEGER,
            created_at INTEGER NOT NULL
        ))"_s,
        u"CREATE INDEX messages_conversation ON messages(conversation_id, id)"_s,
        // Keeps the startup recovery of crashed streams an index lookup.
        u"CREATE INDEX messages_streaming ON messages(state) WHERE state = 'streaming'"_s,

        // Search. A streaming answer is rewritten every second; it is indexed once, when it
        // stops streaming. detail=none: half the size of a full index and cheaper to build. It
        // cannot answer a phrase, so a search ANDs the query's trigrams to find candidates and
        // checks the substring itself with LIKE (see SearchPattern).
        //
        // An import does not index: tokenizing costs four times what storing the rows does, so
        // it records its id range in search_backlog and SearchIndexer indexes the range later,
        // in short steps. Messages inside a backlog range are never in messages_fts (the
        // triggers leave them alone; a step indexes a slice and shrinks the range in one
        // transaction); a search scans them with LIKE. last_id = max int64 is the open range of
        // an import not yet committed: every message written meanwhile belongs to it.
        uR"(CREATE TABLE search_backlog (
            first_id INTEGER PRIMARY KEY,
            last_id INTEGER NOT NULL,
            CHECK (last_id >= first_id)
        ))"_s,
        // The index's external content: the finished messages outside the backlog, which keeps
        // FTS5's integrity check truthful while a backlog waits.
        uR"(CREATE VIEW messages_indexed AS
            SELECT id, content FROM messages m
            WHERE state <> 'streaming'
              AND NOT EXISTS (SELECT 1 FROM search_backlog b
                              WHERE m.id BETWEEN b.first_id AND b.last_id))"_s,
        uR"(CREATE VIRTUAL TABLE messages_fts USING fts5(
            content, content='messages_indexed', content_rowid='id', tokenize='trigram',
            detail='none'))"_s,
        // A SearchIndexer step is one statement: its terms stay in memory until its commit,
        // which writes them as one segment (at the default 1 MiB, two or three).
        u"INSERT INTO messages_fts (messages_fts, rank) VALUES ('hashsize', 33554432)"_s,
        // FTS5 merges segments as it writes, in work units that come every few steps and cost
        // a step's time again: merging at 8 segments a level instead of 4 halves that work
        // (an import's indexing -20% CPU, its slowest steps -30%) for slightly more segments
        // to read per query.
        u"INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', 8)"_s,
        uR"(CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
            WHEN new.state <> 'streaming'
                 AND NOT EXISTS (SELECT 1 FROM search_backlog
                                 WHERE new.id BETWEEN first_id AND last_id)
            BEGIN
                INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
            END)"_s,
        uR"(CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, state ON messages
            WHEN (old.content IS NOT new.content
                  OR (old.state = 'streaming') <> (new.state = 'streaming'))
                 AND NOT EXISTS (SELECT 1 FROM search_backlog
                                 WHERE old.id BETWEEN first_id AND last_id)
            BEGIN
                INSERT INTO messages_fts (messages_fts, rowid, content)
                    SELECT 'delete', old.id, old.content WHERE old.state <> 'streaming';
                INSERT INTO messages_fts (rowid, content)
                    SELECT new.id, new.content WHERE new.state <> 'streaming';
            END)"_s,
        uR"(CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
            WHEN old.state <> 'streaming'
                 AND NOT EXISTS (SELECT 1 FROM search_backlog
                                 WHERE old.id BETWEEN first_id AND last_id)
            BEGIN
                INSERT INTO messages_fts (messages_fts, rowid, content)
                    VALUES ('delete', old.id, old.content);
            END)"_s,

        // user_id NULL: a server-wide preset, offered to every user.
        uR"(CREATE TABLE presets (
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            icon TEXT NOT NULL DEFAULT '',
            system_prompt TEXT NOT NULL DEFAULT '',
            opening_message TEXT NOT NULL DEFAULT '',
            params TEXT NOT NULL DEFAULT '{}',
            built_in INTEGER NOT NULL DEFAULT 0,
            sort_order INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ))"_s,
        // NULLs are distinct in a UNIQUE index, so server-wide presets are keyed on 0.
        u"CREATE UNIQUE INDEX presets_owner_id ON presets(ifnull(user_id, 0), id)"_s,

        uR"(CREATE TABLE usage (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            requests INTEGER NOT NULL DEFAULT 0,
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user_id, day)
        ) WITHOUT ROWID)"_s,
        u"CREATE INDEX usage_day ON usage(day)"_s,

        u"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"_s,
    };
}

// Refresh tokens rotated away, kept while they would still have been valid: presenting one
// again means it was copied, so SessionStore revokes its session (refresh token reuse).
QStringList version2()
{
    return {
        uR"(CREATE TABLE rotated_refresh_tokens (
            token_hash TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID)"_s,
        u"CREATE INDEX rotated_refresh_tokens_session ON rotated_refresh_tokens(session_id)"_s,
    };
}

} // namespace

QList<QStringList> migrations()
{
    return {version1(), version2()};
}

} // namespace confab::schema
