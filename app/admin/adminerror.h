#pragma once

#include <QCoreApplication>

namespace confab {

struct Error;

// Turns a failed admin call into a line for the panel: what the server's code means, in the
// interface's language, followed by the server's own (English) explanation.
class AdminError
{
    Q_DECLARE_TR_FUNCTIONS(AdminError)

public:
    static QString describe(const Error &error);
};

} // namespace confab
