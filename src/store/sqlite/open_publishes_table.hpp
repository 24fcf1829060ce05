#pragma once
// SQL for the publishes in progress (table open_publishes) and for the id
// sequence they draw from. Callers own the transactions.
#include <cstdint>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace sluice::store::sqlite {

class OpenPublishesTable {
 public:
  explicit OpenPublishesTable(Db& db) : db_(db) {}

  // Stores the publish under a new id (publish.id is ignored); returns the id.
  int64_t insert(const OpenPublish& publish);
  // Refreshes a live publish; an unknown id is ignored (it has already ended).
  void touch(int64_t id, uint64_t bytes_in, TimePoint now);
  void remove(int64_t id);
  // Every row, by id.
  std::vector<OpenPublish> all();
  void remove_all();

  // The highest id handed out so far (0 when none).
  int64_t last_id();
  // Makes sure later inserts get ids above `id`, which is already taken
  // by a record that did not come through insert().
  void reserve_through(int64_t id);

 private:
  Db& db_;
};

}  // namespace sluice::store::sqlite
