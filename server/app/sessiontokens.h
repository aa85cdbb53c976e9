#pragma once

#include "http/httpexchange.h"

// The login reply: a new session for the user (ending the others: single-device login) and
// {"access_token","refresh_token","token_type","expires_in","user"}.

namespace confab {

struct IssuedSession;
struct Services;
struct User;

namespace SessionTokens {

// Starts a session that replaces the user's others, then replies with its tokens.
void issue(Services &services, const HttpExchangePtr &exchange, const User &user, int status);
// Replies with the tokens of an issued (new or rotated) session.
void reply(Services &services, const HttpExchangePtr &exchange, const User &user,
           const IssuedSession &issued, int status);

} // namespace SessionTokens

} // namespace confab
