#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QString>

namespace confab {

// The reason phrase of a status line. Clients ignore it, but people reading traces do not; an
// unknown status gets an empty phrase, which RFC 9112 allows.
QByteArray httpReasonPhrase(int status);

// "HTTP/1.1 <status> <phrase>\r\n"
QByteArray httpStatusLine(int status);

// How an Error is answered: its HTTP status, the API's error code (DESIGN.md 4) and a message.
// Failures of the server itself get a generic message: their text (SQL, paths) is for the log.
struct HttpError
{
    int status = 500;
    QString code;
    QString message;
};
HttpError httpErrorFor(const Error &error);

} // namespace confab
