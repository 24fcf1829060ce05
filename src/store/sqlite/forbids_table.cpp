#include "store/sqlite/forbids_table.hpp"

#include "store/sqlite/paging.hpp"
#include "store/sqlite/sql_conditions.hpp"
#include "store/sqlite/unix_ms.hpp"

namespace sluice::store::sqlite {
namespace {

constexpr const char* kColumns = "vhost, app, stream, domain, create_ms, end_ms";

Forbid read_forbid(const Statement& row) {
  Forbid f;
  f.vhost = row.column_text(0);
  f.app = row.column_text(1);
  f.stream = row.column_text(2);
  f.domain = row.column_text(3);
  f.create_time = from_unix_ms(row.column_int64(4));
  f.end_time = from_unix_ms(row.column_int64(5));
  return f;
}

}  // namespace

void ForbidsTable::put(const Forbid& forbid) {
  // In SET, forbids.* is the row as it was before this statement.
  auto statement = db_.prepare(
      "INSERT INTO forbids (vhost, app, stream, domain, create_ms, end_ms)"
      " VALUES (?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (vhost, app, stream) DO UPDATE SET"
      " domain = excluded.domain,"
      " create_ms = CASE WHEN forbids.end_ms > excluded.create_ms"
      " THEN forbids.create_ms ELSE excluded.create_ms END,"
      " end_ms = excluded.end_ms");
  statement->bind(1, forbid.vhost);
  statement->bind(2, forbid.app);
  statement->bind(3, forbid.stream);
  statement->bind(4, forbid.domain);
  statement->bind(5, to_unix_ms(forbid.create_time));
  statement->bind(6, to_unix_ms(forbid.end_time));
  statement->run();
}

bool ForbidsTable::remove(const std::string& vhost, const std::string& app,
                          const std::string& stream, TimePoint now) {
  // Expired rows are deleted too (nothing refers to them), but only one in
  // force counts as lifted.
  auto statement = db_.prepare(
      "DELETE FROM forbids WHERE vhost = ? AND app = ? AND stream = ? RETURNING end_ms");
  statement->bind(1, vhost);
  statement->bind(2, app);
  statement->bind(3, stream);
  bool was_in_force = false;
  while (statement->step()) was_in_force = statement->column_int64(0) > to_unix_ms(now);
  return was_in_force;
}

std::optional<Forbid> ForbidsTable::find(const std::string& vhost, const std::string& app,
                                         const std::string& stream, TimePoint now) {
  auto statement = db_.prepare(std::string("SELECT ") + kColumns +
                               " FROM forbids WHERE vhost = ? AND app = ? AND stream = ?"
                               " AND end_ms > ?");
  statement->bind(1, vhost);
  statement->bind(2, app);
  statement->bind(3, stream);
  statement->bind(4, to_unix_ms(now));
  if (!statement->step()) return std::nullopt;
  return read_forbid(*statement);
}

Page<Forbid> ForbidsTable::page(const ForbidQuery& query) {
  SqlConditions conditions;
  conditions.add("end_ms > ?", to_unix_ms(query.now));
  conditions.add_names(query.names);
  const std::string where = conditions.where_clause();
  Page<Forbid> page;

  auto count = db_.prepare("SELECT count(*) FROM forbids" + where);
  conditions.bind(*count);
  count->step();
  page.total = static_cast<uint64_t>(count->column_int64(0));

  const PageWindow window = window_of(query.page);
  if (static_cast<uint64_t>(window.offset) >= page.total) return page;

  // Ties on create time follow the same direction, so the order is total.
  const char* order = query.sort == SortOrder::kAsc
                          ? " ORDER BY create_ms, vhost, app, stream"
                          : " ORDER BY create_ms DESC, vhost DESC, app DESC, stream DESC";
  auto select = db_.prepare(std::string("SELECT ") + kColumns + " FROM forbids" + where + order +
                            " LIMIT ? OFFSET ?");
  const int next = conditions.bind(*select);
  select->bind(next, window.limit);
  select->bind(next + 1, window.offset);
  while (select->step()) page.items.push_back(read_forbid(*select));
  return page;
}

}  // namespace sluice::store::sqlite
