#include "store/sqlite/sql_conditions.hpp"

namespace sluice::store::sqlite {

void SqlConditions::add(std::string condition, SqlValue value) {
  conditions_.push_back(std::move(condition));
  values_.push_back(std::move(value));
}

void SqlConditions::add_names(const NameFilter& names) {
  if (names.vhost) add("vhost = ?", *names.vhost);
  if (names.app) add("app = ?", *names.app);
  if (names.stream) {
    // instr(), not LIKE: LIKE ignores ASCII case and reads '%' and '_' as
    // wildcards, while a fuzzy filter is a plain case-sensitive substring.
    add(names.stream_match == MatchMode::kFuzzy ? "instr(stream, ?) > 0" : "stream = ?",
        *names.stream);
  }
}

void SqlConditions::add_all(const SqlConditions& more) {
  conditions_.insert(conditions_.end(), more.conditions_.begin(), more.conditions_.end());
  values_.insert(values_.end(), more.values_.begin(), more.values_.end());
}

std::string SqlConditions::where_clause() const {
  std::string sql;
  for (const auto& condition : conditions_) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += condition;
  }
  return sql;
}

int SqlConditions::bind(Statement& statement) const {
  int index = 1;
  for (const auto& value : values_) statement.bind_value(index++, value);
  return index;
}

}  // namespace sluice::store::sqlite
