#include "admission.h"

#include "ops/quotaguard.h"
#include "ops/requestthrottle.h"
#include "storage/user.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace confab {

ApiResult<std::unique_ptr<QuotaTicket>> admitRequest(QuotaGuard &quota, RequestThrottle &throttle,
                                                     std::chrono::milliseconds interval,
                                                     const User &user)
{
    QuotaDenial denial;
    auto ticket = quota.reserve(user, &denial);
    if (!ticket) {
        if (ticket.error().code != ErrorCode::QuotaExceeded)
            return ApiError::fromError(ticket.error());
        ApiError error = ApiError::make(429, u"quota_exceeded"_s, ticket.error().message);
        error.details = denial.toJson();
        const qint64 wait = QDateTime::currentDateTimeUtc().secsTo(denial.resetsAt);
        error.retryAfterSeconds = int(std::clamp<qint64>(wait, 1, 31 * 24 * 3600));
        return error;
    }
    if (const auto wait = throttle.tryAcquire(user.id)) {
        const int seconds = std::max(1, int(std::ceil(double(wait->count()) / 1000.0)));
        ApiError error = ApiError::make(429, u"rate_limited"_s,
                                        u"One message every %1 seconds: wait a moment."_s.arg(
                                            double(interval.count()) / 1000.0));
        error.retryAfterSeconds = seconds;
        error.details = {{u"retry_after_ms"_s, qint64(wait->count())}};
        return error;
    }
    return std::make_unique<QuotaTicket>(std::move(ticket).value());
}

} // namespace confab
