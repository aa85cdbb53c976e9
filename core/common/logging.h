#pragma once

#include <QLoggingCategory>

// Every logging category of Confab, in one place. Secrets (keys, tokens, passwords) are never
// logged, in any category.
Q_DECLARE_LOGGING_CATEGORY(lcApi)      // confab.core.api: provider requests and streams
Q_DECLARE_LOGGING_CATEGORY(lcDb)       // confab.core.db: storage and migrations
Q_DECLARE_LOGGING_CATEGORY(lcMarkdown) // confab.core.markdown
Q_DECLARE_LOGGING_CATEGORY(lcChat)     // confab.core.chat: chat services
Q_DECLARE_LOGGING_CATEGORY(lcIo)       // confab.core.io: import and export
Q_DECLARE_LOGGING_CATEGORY(lcClient)   // confab.core.client: the client of confab-server
Q_DECLARE_LOGGING_CATEGORY(lcHttp)     // confab.server.http
Q_DECLARE_LOGGING_CATEGORY(lcAuth)     // confab.server.auth
Q_DECLARE_LOGGING_CATEGORY(lcGui)      // confab.app
