#pragma once

#include <QCoreApplication>
#include <QString>

namespace confab {

struct Error;

// What the user can do about an error, in a sentence: shown beside the provider's own message,
// in the conversation where the error happened.
class ErrorHint final
{
    Q_DECLARE_TR_FUNCTIONS(confab::ErrorHint)

public:
    // codeName is Error::codeName() or a Message's finishReason; httpStatus may be 0.
    static QString forCode(const QString &codeName, int httpStatus = 0);
    static QString forError(const Error &error);
    // "<message> <hint>", the hint left out when there is none.
    static QString describe(const Error &error);
};

} // namespace confab
