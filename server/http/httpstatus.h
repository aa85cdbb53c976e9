#pragma once

#include <QByteArray>

namespace confab {

// The reason phrase of a status line. Clients ignore it, but people reading traces do not; an
// unknown status gets an empty phrase, which RFC 9112 allows.
QByteArray httpReasonPhrase(int status);

// "HTTP/1.1 <status> <phrase>\r\n"
QByteArray httpStatusLine(int status);

} // namespace confab
