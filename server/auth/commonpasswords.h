#pragma once

#include <QStringView>

namespace confab {

// Whether the password, ignoring case, is one of the few thousand that guessing attacks try
// first.
bool isCommonPassword(QStringView password);

} // namespace confab
