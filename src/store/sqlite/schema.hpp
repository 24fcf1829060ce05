#pragma once
// The database layout and how to get there from any older version.
//
// PRAGMA user_version holds the number of migrations applied. Opening applies
// the missing ones in one transaction, so a database is always at a version
// the code knows; one written by a newer sluice is refused rather than
// guessed at.
#include "store/sqlite/sqlite_db.hpp"

namespace sluice::store::sqlite {

// The version this code creates and understands.
int schema_version();

// Brings the database up to schema_version(); throws StoreError when it is newer.
void migrate(Db& db);
// Brings it up to `version` only (<= schema_version()): how tests build a
// database as an older sluice left it.
void migrate(Db& db, int version);

}  // namespace sluice::store::sqlite
