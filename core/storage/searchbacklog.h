#pragma once

#include <QString>

#include <limits>

// The messages not yet in the search index (table search_backlog, see schema.cpp): shared by
// ImportWriter, which adds to it, SearchIndexer, which works it off, and the searches, which
// scan it.

namespace confab::searchbacklog {

// last_id of the range an import holds open until it commits: every message written inside
// the import's transaction belongs to the import.
constexpr qint64 openEnd = std::numeric_limits<qint64>::max();

// A condition on the messages aliased m: the message waits in the backlog. Its outer bounds
// are constants, so SQLite walks only the backlog's slice of the table, by rowid.
extern const QString pendingCondition;

} // namespace confab::searchbacklog
