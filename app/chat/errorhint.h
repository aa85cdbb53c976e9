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
    // "<message> <hint>", the hint left out when there is none. A confab-server's errors are
    // told in the user's language from their code and details, not in the server's English.
    static QString describe(const Error &error);
    // The sentence for a confab-server's error code; empty for codes it does not know.
    static QString forServerError(const Error &error);
};

} // namespace confab
