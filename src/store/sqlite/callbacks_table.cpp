#include "store/sqlite/callbacks_table.hpp"

#include <limits>
#include <string>

#include "store/sqlite/unix_ms.hpp"

namespace sluice::store::sqlite {
namespace {

// The head of every key's queue, from the partial index alone.
constexpr const char* kHeads =
    "SELECT min(id) FROM callbacks INDEXED BY callbacks_waiting WHERE failed = 0"
    " GROUP BY order_key";

CallbackMessage read_message(const Statement& row) {
  CallbackMessage m;
  m.id = row.column_int64(0);
  m.order_key = row.column_text(1);
  m.url = row.column_text(2);
  m.payload = row.column_text(3);
  m.created = from_unix_ms(row.column_int64(4));
  m.next_attempt = from_unix_ms(row.column_int64(5));
  m.attempts = static_cast<uint32_t>(row.column_int64(6));
  m.failed = row.column_int64(7) != 0;
  return m;
}

}  // namespace

void CallbacksTable::insert(const CallbackMessage& m) {
  auto statement = db_.prepare(
      "INSERT INTO callbacks (order_key, url, payload, created_ms, next_attempt_ms, attempts,"
      " failed) VALUES (?, ?, ?, ?, ?, ?, ?)");
  statement->bind(1, m.order_key);
  statement->bind(2, m.url);
  statement->bind(3, m.payload);
  statement->bind(4, to_unix_ms(m.created));
  statement->bind(5, to_unix_ms(m.next_attempt));
  statement->bind(6, int64_t{m.attempts});
  statement->bind(7, int64_t{m.failed ? 1 : 0});
  statement->run();
}

std::vector<CallbackMessage> CallbacksTable::due(TimePoint now, size_t limit) {
  auto statement = db_.prepare(
      std::string("SELECT id, order_key, url, payload, created_ms, next_attempt_ms, attempts,"
                  " failed FROM callbacks WHERE id IN (") +
      kHeads + ") AND next_attempt_ms <= ? ORDER BY id LIMIT ?");
  statement->bind(1, to_unix_ms(now));
  const auto max = static_cast<size_t>(std::numeric_limits<int64_t>::max());
  statement->bind(2, static_cast<int64_t>(limit < max ? limit : max));
  std::vector<CallbackMessage> messages;
  while (statement->step()) messages.push_back(read_message(*statement));
  return messages;
}

std::optional<TimePoint> CallbacksTable::next_due() {
  // The count tells "no heads" from a time of 0 ms (min() of no rows is NULL).
  auto statement = db_.prepare(
      std::string("SELECT count(*), min(next_attempt_ms) FROM callbacks WHERE id IN (") + kHeads +
      ")");
  statement->step();
  if (statement->column_int64(0) == 0) return std::nullopt;
  return from_unix_ms(statement->column_int64(1));
}

void CallbacksTable::remove(int64_t id) {
  auto statement = db_.prepare("DELETE FROM callbacks WHERE id = ?");
  statement->bind(1, id);
  statement->run();
}

void CallbacksTable::retry(int64_t id, uint32_t attempts, TimePoint next_attempt) {
  auto statement =
      db_.prepare("UPDATE callbacks SET attempts = ?, next_attempt_ms = ? WHERE id = ?");
  statement->bind(1, int64_t{attempts});
  statement->bind(2, to_unix_ms(next_attempt));
  statement->bind(3, id);
  statement->run();
}

void CallbacksTable::fail(int64_t id, uint32_t attempts) {
  auto statement = db_.prepare("UPDATE callbacks SET attempts = ?, failed = 1 WHERE id = ?");
  statement->bind(1, int64_t{attempts});
  statement->bind(2, id);
  statement->run();
}

uint64_t CallbacksTable::waiting() {
  auto statement = db_.prepare("SELECT count(*) FROM callbacks WHERE failed = 0");
  statement->step();
  return static_cast<uint64_t>(statement->column_int64(0));
}

}  // namespace sluice::store::sqlite
