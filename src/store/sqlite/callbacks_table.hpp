#pragma once
// SQL for the callback outbox (table callbacks). Each order key is a queue:
// its head is its lowest id not failed, and only a head is ever due, so a
// key's messages go out one at a time, in order. Callers own the transactions.
#include <cstdint>
#include <optional>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace sluice::store::sqlite {

class CallbacksTable {
 public:
  explicit CallbacksTable(Db& db) : db_(db) {}

  // Stores the message under a new id (message.id is ignored).
  void insert(const CallbackMessage& message);
  // The heads whose next_attempt <= now, lowest id first, at most `limit`.
  std::vector<CallbackMessage> due(TimePoint now, size_t limit);
  // The earliest next_attempt of any head.
  std::optional<TimePoint> next_due();
  void remove(int64_t id);
  void retry(int64_t id, uint32_t attempts, TimePoint next_attempt);
  void fail(int64_t id, uint32_t attempts);
  // Messages not failed.
  uint64_t waiting();

 private:
  Db& db_;
};

}  // namespace sluice::store::sqlite
