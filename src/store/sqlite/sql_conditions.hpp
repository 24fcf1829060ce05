#pragma once
// A WHERE clause assembled from the filters a listing was given, with the
// values for its '?' parameters in order. Filter values are always bound,
// never spliced into the SQL, and the SQL text depends only on which filters
// are present, so each combination compiles once into the statement cache.
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace sluice::store::sqlite {

class SqlConditions {
 public:
  // `condition` has exactly one '?', for `value`.
  void add(std::string condition, SqlValue value);
  // vhost, app (exact) and stream (exact, or containing the filter text).
  void add_names(const NameFilter& names);
  // Appends another set's conditions after these.
  void add_all(const SqlConditions& more);

  // " WHERE a AND b", or "" when there are no conditions.
  std::string where_clause() const;
  // Binds the values from parameter 1; returns the next free parameter index.
  int bind(Statement& statement) const;

 private:
  std::vector<std::string> conditions_;
  std::vector<SqlValue> values_;
};

}  // namespace sluice::store::sqlite
