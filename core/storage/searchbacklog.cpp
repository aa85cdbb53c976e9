#include "searchbacklog.h"

using namespace Qt::StringLiterals;

namespace confab::searchbacklog {

const QString pendingCondition
    = u"m.id BETWEEN (SELECT min(first_id) FROM search_backlog) "
      "AND (SELECT max(last_id) FROM search_backlog) "
      "AND EXISTS (SELECT 1 FROM search_backlog b WHERE m.id BETWEEN b.first_id AND b.last_id)"_s;

} // namespace confab::searchbacklog
