#include "hostoptions.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace confab {

QString HostOptions::defaultDatabasePath(const QString &dataDirectory)
{
    return QDir(dataDirectory).filePath(u"team-server.db"_s);
}

} // namespace confab
