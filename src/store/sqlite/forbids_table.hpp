#pragma once
// SQL for the forbids (table forbids). A row whose end_ms has passed is an
// expired forbid: it is never returned, and the next put replaces it as new.
#include <optional>
#include <string>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace sluice::store::sqlite {

class ForbidsTable {
 public:
  explicit ForbidsTable(Db& db) : db_(db) {}

  // Inserts, or updates the row of the same name. A forbid still in force at
  // forbid.create_time (the moment of this call) keeps its create time.
  void put(const Forbid& forbid);
  // Deletes the row; true when it was in force at `now`.
  bool remove(const std::string& vhost, const std::string& app, const std::string& stream,
              TimePoint now);
  std::optional<Forbid> find(const std::string& vhost, const std::string& app,
                             const std::string& stream, TimePoint now);
  // Run it in a read transaction so the page and its total agree.
  Page<Forbid> page(const ForbidQuery& query);

 private:
  Db& db_;
};

}  // namespace sluice::store::sqlite
