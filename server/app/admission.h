#pragma once

#include "apierror.h"

#include <memory>

// Whether a user may make one more model request now: quotas first, then the throttle (one
// request per interval), so a refused request never uses up the user's turn. The chat relay
// and the /v1 gateway both ask here.

namespace confab {

class QuotaGuard;
class QuotaTicket;
class RequestThrottle;
struct User;

// A reserved quota ticket to commit when the request ends, or 429 quota_exceeded (with the
// quota, its limit and reset time) or rate_limited (with Retry-After).
ApiResult<std::unique_ptr<QuotaTicket>> admitRequest(QuotaGuard &quota, RequestThrottle &throttle,
                                                     std::chrono::milliseconds interval,
                                                     const User &user);

} // namespace confab
