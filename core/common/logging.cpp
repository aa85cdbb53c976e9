#include "logging.h"

Q_LOGGING_CATEGORY(lcApi, "confab.core.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDb, "confab.core.db", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMarkdown, "confab.core.markdown", QtInfoMsg)
Q_LOGGING_CATEGORY(lcChat, "confab.core.chat", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIo, "confab.core.io", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClient, "confab.core.client", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "confab.server.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "confab.server.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcGui, "confab.app", QtInfoMsg)
