#pragma once

#include "user.h"

#include <QSqlQuery>

// How a User maps to a row of the users table; shared by UserStore and SessionStore, which
// reads a session and its user in one statement.

namespace confab::userrows {

// The columns userFromRow() reads, in order, qualified with the alias u.
extern const QString columns;

// From the row's columns first, first + 1, ... (as listed in `columns`).
User userFromRow(const QSqlQuery &row, int first = 0);

} // namespace confab::userrows
