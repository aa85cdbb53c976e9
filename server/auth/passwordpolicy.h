#pragma once

#include "common/result.h"

#include <QString>

// What a new password must be (DESIGN.md §4): 8 to 128 characters, not one of the most common
// passwords, not the username.

namespace confab::PasswordPolicy {

// Counted in code points, so that a character outside the BMP (an emoji, a rare Chinese
// character) counts once.
constexpr int minLength = 8;
constexpr int maxLength = 128;

// InvalidInput with a message to show the user when the password is refused.
Result<void> check(const QString &password, const QString &username);

} // namespace confab::PasswordPolicy
