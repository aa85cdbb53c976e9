#include "passwordpolicy.h"

#include "commonpasswords.h"

#include <QList>

using namespace Qt::StringLiterals;

namespace confab::PasswordPolicy {

Result<void> check(const QString &password, const QString &username)
{
    const qsizetype length = QStringView(password).toUcs4().size();
    if (length < minLength) {
        return Error{ErrorCode::InvalidInput,
                     u"The password is too short: use at least %1 characters."_s.arg(minLength)};
    }
    if (length > maxLength) {
        return Error{ErrorCode::InvalidInput,
                     u"The password is too long: use at most %1 characters."_s.arg(maxLength)};
    }
    if (password.compare(username.trimmed(), Qt::CaseInsensitive) == 0) {
        return Error{ErrorCode::InvalidInput, u"The password must not be the username."_s};
    }
    if (isCommonPassword(password)) {
        return Error{ErrorCode::InvalidInput,
                     u"This password is one of the most common ones, which attackers try "
                     "first: choose another."_s};
    }
    return {};
}

} // namespace confab::PasswordPolicy
