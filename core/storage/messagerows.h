#pragma once

#include "common/types.h"

#include <QSqlQuery>

// How a Message maps to a row of the messages table; shared by MessageStore and ImportWriter
// so the two write the same thing.

namespace confab::messagerows {

// The columns messageFromRow() reads, in order, qualified with the alias m.
extern const QString columns;
// INSERT with the placeholders bindInsert() fills.
extern const QString insertSql;

Message messageFromRow(const QSqlQuery &row);
void bindInsert(QSqlQuery &query, const Message &message, qint64 conversationId,
                qint64 createdAtMs);

} // namespace confab::messagerows
