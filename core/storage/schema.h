#pragma once

#include <QList>
#include <QStringList>

// The SQL of each schema migration, in order: migrations()[0] brings user_version 0 to 1, and
// so on. A released migration never changes; a new schema is a new entry.

namespace confab::schema {

QList<QStringList> migrations();

} // namespace confab::schema
