#include "store/sqlite/open_publishes_table.hpp"

#include "store/sqlite/unix_ms.hpp"

namespace sluice::store::sqlite {

int64_t OpenPublishesTable::insert(const OpenPublish& publish) {
  auto statement = db_.prepare(
      "INSERT INTO open_publishes (vhost, domain, app, stream, source_type, client_address,"
      " start_ms, last_seen_ms, bytes_in, url_params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  statement->bind(1, publish.vhost);
  statement->bind(2, publish.domain);
  statement->bind(3, publish.app);
  statement->bind(4, publish.stream);
  statement->bind(5, publish.source_type);
  statement->bind(6, publish.client_address);
  statement->bind(7, to_unix_ms(publish.start_time));
  statement->bind(8, to_unix_ms(publish.last_seen));
  // Byte counts are stored in SQLite's signed 64-bit integer; the cast back
  // on read restores the same unsigned value.
  statement->bind(9, static_cast<int64_t>(publish.bytes_in));
  statement->bind(10, publish.url_params);
  statement->run();
  return db_.last_insert_rowid();
}

void OpenPublishesTable::touch(int64_t id, uint64_t bytes_in, TimePoint now) {
  auto statement =
      db_.prepare("UPDATE open_publishes SET last_seen_ms = ?, bytes_in = ? WHERE id = ?");
  statement->bind(1, to_unix_ms(now));
  statement->bind(2, static_cast<int64_t>(bytes_in));
  statement->bind(3, id);
  statement->run();
}

void OpenPublishesTable::remove(int64_t id) {
  auto statement = db_.prepare("DELETE FROM open_publishes WHERE id = ?");
  statement->bind(1, id);
  statement->run();
}

std::vector<OpenPublish> OpenPublishesTable::all() {
  auto statement = db_.prepare(
      "SELECT id, vhost, domain, app, stream, source_type, client_address, start_ms,"
      " last_seen_ms, bytes_in, url_params FROM open_publishes ORDER BY id");
  std::vector<OpenPublish> publishes;
  while (statement->step()) {
    OpenPublish& p = publishes.emplace_back();
    p.id = statement->column_int64(0);
    p.vhost = statement->column_text(1);
    p.domain = statement->column_text(2);
    p.app = statement->column_text(3);
    p.stream = statement->column_text(4);
    p.source_type = statement->column_text(5);
    p.client_address = statement->column_text(6);
    p.start_time = from_unix_ms(statement->column_int64(7));
    p.last_seen = from_unix_ms(statement->column_int64(8));
    p.bytes_in = static_cast<uint64_t>(statement->column_int64(9));
    p.url_params = statement->column_text(10);
  }
  return publishes;
}

void OpenPublishesTable::remove_all() {
  db_.prepare("DELETE FROM open_publishes")->run();
}

int64_t OpenPublishesTable::last_id() {
  auto statement = db_.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'open_publishes'");
  return statement->step() ? statement->column_int64(0) : 0;
}

void OpenPublishesTable::reserve_through(int64_t id) {
  // The AUTOINCREMENT counter is an ordinary row that SQLite lets us update;
  // the next insert takes max(seq, largest id in the table) + 1.
  auto statement =
      db_.prepare("UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'open_publishes' AND seq < ?1");
  statement->bind(1, id);
  statement->run();
}

}  // namespace sluice::store::sqlite
