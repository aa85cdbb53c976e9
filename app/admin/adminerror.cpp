#include "adminerror.h"

#include "common/error.h"

using namespace Qt::StringLiterals;

namespace confab {

namespace {

QString meaning(const Error &error)
{
    const QString &code = error.serverCode;
    if (code == "conflict"_L1)
        return AdminError::tr("Conflict");
    if (code == "forbidden"_L1)
        return AdminError::tr("Only administrators may do this");
    if (code == "not_found"_L1)
        return AdminError::tr("Not found: it may have been deleted meanwhile");
    if (code == "invalid_request"_L1)
        return AdminError::tr("The server refused the values");
    if (code == "unauthorized"_L1 || code == "session_replaced"_L1 || code == "account_disabled"_L1)
        return AdminError::tr("Your session has ended; sign in again");
    if (code == "rate_limited"_L1)
        return AdminError::tr("Too many requests; try again shortly");
    if (code.isEmpty())
        return AdminError::tr("The server could not be reached");
    return AdminError::tr("The server reported an error (%1)").arg(code);
}

} // namespace

QString AdminError::describe(const Error &error)
{
    const QString headline = meaning(error);
    return error.message.isEmpty() ? headline : tr("%1: %2").arg(headline, error.message);
}

} // namespace confab
