#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store_suite.hpp"

namespace sluice::store {
namespace {

namespace fs = std::filesystem;
using suite::at_ms;
using suite::history;
using suite::kT0;
using suite::make_closed;
using suite::make_publish;

// A fresh directory for one test, removed with everything in it afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sluice-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The shared suite's harness: a database file in a directory that does not
// exist yet, so every test also covers creating it.
struct SqliteHarness {
  TempDir dir;
  fs::path file = dir.path() / "data" / "sluice.db";

  std::unique_ptr<Store> open() { return SqliteStore::open(file); }
};

}  // namespace

namespace suite {
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreSuite, ::testing::Types<SqliteHarness>);
}  // namespace suite

namespace {

// The schema and the migration counter: what opening must leave alone.
std::string schema_of(const fs::path& file) {
  sqlite::Db db(file);
  auto rows = db.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY name");
  std::string schema = "user_version " + std::to_string(db.query_int64("PRAGMA user_version"));
  while (rows->step()) {
    schema +=
        "\n" + rows->column_text(0) + " " + rows->column_text(1) + ": " + rows->column_text(2);
  }
  return schema;
}

std::string message_of_open(const fs::path& file) {
  try {
    SqliteStore::open(file);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(opened)";
}

TEST(SqliteStore, OpenCreatesTheFileAndItsParentDirectories) {
  TempDir dir;
  const fs::path file = dir.path() / "a" / "b" / "sluice.db";
  auto store = SqliteStore::open(file);
  EXPECT_TRUE(fs::is_regular_file(file));
  EXPECT_EQ(store->closed_streams(history()).total, 0u);
}

TEST(SqliteStore, UsesTheWalJournal) {
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  auto store = SqliteStore::open(file);
  store->open_publish(make_publish("cam"));
  // The journal mode is a property of the file, visible to any connection.
  EXPECT_EQ(sqlite::Db(file).query_text("PRAGMA journal_mode"), "wal");
  EXPECT_TRUE(fs::exists(dir.path() / "sluice.db-wal"));
}

TEST(SqliteStore, ReopeningAtTheCurrentVersionChangesNothing) {
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  SqliteStore::open(file)->append_closed({make_closed(7, "vh", "live", "cam", kT0)});
  const std::string before = schema_of(file);
  EXPECT_NE(before.find("user_version " + std::to_string(sqlite::schema_version())),
            std::string::npos)
      << before;
  EXPECT_NE(before.find("table closed_streams"), std::string::npos) << before;

  auto store = SqliteStore::open(file);
  EXPECT_EQ(schema_of(file), before);
  const auto page = store->closed_streams(history());
  ASSERT_EQ(page.total, 1u);
  EXPECT_EQ(page.items[0].id, 7);
}

TEST(SqliteStore, RefusesADatabaseFromANewerVersion) {
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  SqliteStore::open(file)->put_forbid(suite::make_forbid("cam", kT0, kT0 + 1000));
  const int newer = sqlite::schema_version() + 1;
  sqlite::Db(file).exec("PRAGMA user_version = " + std::to_string(newer));

  const std::string message = message_of_open(file);
  EXPECT_NE(message.find("schema version " + std::to_string(newer) + " is newer"),
            std::string::npos)
      << message;
  // Refused, not touched.
  EXPECT_EQ(sqlite::Db(file).query_int64("PRAGMA user_version"), newer);
}

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  std::ofstream(file) << "definitely not an SQLite database, but long enough to have a header\n";
  const std::string message = message_of_open(file);
  EXPECT_NE(message.find("not a database"), std::string::npos) << message;
}

// Makes every insert into the history fail, as a full disk would.
void break_history_inserts(const fs::path& file) {
  sqlite::Db(file).exec(
      "CREATE TRIGGER refuse_history BEFORE INSERT ON closed_streams"
      " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
}

TEST(SqliteStore, FailedCloseLeavesThePublishOpen) {
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  auto store = SqliteStore::open(file);
  const int64_t id = store->open_publish(make_publish("cam"));
  break_history_inserts(file);
  try {
    store->close_publish(make_closed(id, "vh", "live", "cam", kT0 + 1000));
    FAIL() << "close_publish succeeded";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos) << e.what();
  }
  // The delete of the open row was rolled back with the failed insert.
  EXPECT_EQ(sqlite::Db(file).query_int64("SELECT count(*) FROM open_publishes WHERE id = " +
                                         std::to_string(id)),
            1);
  // And the store is still usable afterwards.
  sqlite::Db(file).exec("DROP TRIGGER refuse_history");
  store->close_publish(make_closed(id, "vh", "live", "cam", kT0 + 1000));
  EXPECT_EQ(store->closed_streams(history()).total, 1u);
}

TEST(SqliteStore, FailedRecoveryChangesNothing) {
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  auto store = SqliteStore::open(file);
  store->open_publish(make_publish("a"));
  store->open_publish(make_publish("b"));
  break_history_inserts(file);
  EXPECT_THROW(store->recover_interrupted(), StoreError);
  sqlite::Db(file).exec("DROP TRIGGER refuse_history");
  EXPECT_EQ(store->recover_interrupted().size(), 2u);
}

TEST(SqliteStore, HistoryCountsFollowDeletedRecords) {
  // No store call deletes history yet, but a retention job will, straight
  // in SQL; the counts kept beside the records must follow it.
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  auto store = SqliteStore::open(file);
  std::vector<ClosedStream> records;
  for (int64_t id = 1; id <= 60; ++id) {
    records.push_back(make_closed(id, id % 2 ? "v1" : "v2", "live", "cam_" + std::to_string(id % 3),
                                  kT0 + id * 1'800'000));  // every half hour
  }
  store->append_closed(records);
  sqlite::Db(file).exec("DELETE FROM closed_streams WHERE id % 4 = 0 OR id BETWEEN 10 AND 30");

  auto all = history();
  EXPECT_EQ(store->closed_streams(all).total, 29u);
  auto v1 = history(kT0 + 5 * 1'800'000, kT0 + 50 * 1'800'000);
  v1.names.vhost = "v1";
  EXPECT_EQ(store->closed_streams(v1).total, 13u);  // odd ids 5..9 and 31..49
  auto fuzzy = history();
  fuzzy.names.stream = "_1";
  fuzzy.names.stream_match = MatchMode::kFuzzy;
  EXPECT_EQ(store->closed_streams(fuzzy).total, 10u);  // ids = 1 mod 3, kept
  // The triggers keep exactly the bucket lengths the queries read.
  EXPECT_EQ(sqlite::Db(file).query_text("SELECT group_concat(length_ms) FROM (SELECT DISTINCT"
                                        " length_ms FROM closed_stream_buckets ORDER BY 1)"),
            sqlite::Db(file).query_text("SELECT group_concat(length_ms) FROM (SELECT length_ms"
                                        " FROM closed_stream_bucket_lengths ORDER BY 1)"));
}

// A record written straight in SQL, as an older sluice (or a script) would.
void insert_in_sql(sqlite::Db& db, const ClosedStream& c) {
  auto insert = db.prepare(
      "INSERT INTO closed_streams (id, vhost, domain, app, stream, source_type, client_address,"
      " start_ms, end_ms, reason, bytes_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'normal', ?)");
  insert->bind(1, c.id);
  insert->bind(2, c.vhost);
  insert->bind(3, c.domain);
  insert->bind(4, c.app);
  insert->bind(5, c.stream);
  insert->bind(6, c.source_type);
  insert->bind(7, c.client_address);
  insert->bind(8, suite::ms_of(c.start_time));
  insert->bind(9, suite::ms_of(c.end_time));
  insert->bind(10, static_cast<int64_t>(c.bytes_in));
  insert->run();
}

ClosedStreamQuery fuzzy(const std::string& part) {
  auto q = history();
  q.names.stream = part;
  q.names.stream_match = MatchMode::kFuzzy;
  q.page.page_size = 100;
  return q;
}

// Totals and pages of a few queries of every kind against a plain scan.
void expect_history(Store& store, const std::vector<ClosedStream>& records) {
  std::vector<ClosedStreamQuery> queries{history(), fuzzy("cam"), fuzzy("_1"), fuzzy("zzz")};
  auto v1 = fuzzy("_2");
  v1.names.vhost = "v1";
  v1.end_from = at_ms(kT0 + 20 * 1'800'000 + 1);
  queries.push_back(v1);
  auto exact = history();
  exact.names.stream = "cam_0";
  queries.push_back(exact);
  for (const auto& q : queries) {
    const auto expected = suite::brute_force(records, q);
    const auto actual = store.closed_streams(q);
    EXPECT_EQ(actual.total, expected.total) << suite::describe(q);
    EXPECT_EQ(suite::ids_of(actual), suite::ids_of(expected)) << suite::describe(q);
  }
}

std::vector<ClosedStream> half_hourly(int64_t first_id, int64_t count) {
  std::vector<ClosedStream> records;
  for (int64_t id = first_id; id < first_id + count; ++id) {
    records.push_back(make_closed(id, id % 2 ? "v1" : "v2", "live", "cam_" + std::to_string(id % 3),
                                  kT0 + id * 1'800'000));
  }
  return records;
}

TEST(SqliteStore, UpgradesAVersion1DatabaseWithHistory) {
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  std::vector<ClosedStream> records = half_hourly(1, 60);
  {
    sqlite::Db db(file);
    sqlite::migrate(db, 1);
    sqlite::Transaction transaction(db, sqlite::Transaction::Kind::kWrite);  // one fsync
    for (const auto& record : records) insert_in_sql(db, record);
    transaction.commit();
  }
  ASSERT_EQ(sqlite::Db(file).query_int64("PRAGMA user_version"), 1);

  auto store = SqliteStore::open(file);
  EXPECT_EQ(sqlite::Db(file).query_int64("PRAGMA user_version"), sqlite::schema_version());
  expect_history(*store, records);
  // New records and the ones from before the upgrade are counted alike.
  const auto more = half_hourly(61, 30);
  store->append_closed(more);
  records.insert(records.end(), more.begin(), more.end());
  expect_history(*store, records);
  store.reset();
  expect_history(*SqliteStore::open(file), records);
}

TEST(SqliteStore, UpgradesAVersion2DatabaseWithAPublishInProgress) {
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  {
    sqlite::Db db(file);
    sqlite::migrate(db, 2);
    db.exec(
        "INSERT INTO open_publishes (vhost, domain, app, stream, source_type, client_address,"
        " start_ms, last_seen_ms, bytes_in) VALUES ('vh', 'd', 'live', 'old', 'push', 'a', " +
        std::to_string(kT0) + ", " + std::to_string(kT0 + 10) + ", 5)");
  }
  auto store = SqliteStore::open(file);
  // Published before callbacks existed: its push_end reports no parameters.
  std::vector<std::string> announced;
  const auto recovered = store->recover_interrupted([&](const ClosedStream& record) {
    announced.push_back(record.stream + "?" + record.url_params);
    return std::vector<CallbackMessage>{suite::make_callback("vh/live/old", "end")};
  });
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(announced, (std::vector<std::string>{"old?"}));
  EXPECT_EQ(store->pending_callbacks(), 1u);
}

TEST(SqliteStore, AFailedCallbackIsKeptMarked) {
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  auto store = SqliteStore::open(file);
  store->queue_callbacks({suite::make_callback("k", "doomed")});
  const auto due = store->due_callbacks(at_ms(kT0), 10);
  ASSERT_EQ(due.size(), 1u);
  store->callback_failed(due[0].id, 9);
  EXPECT_EQ(store->pending_callbacks(), 0u);
  EXPECT_EQ(sqlite::Db(file).query_int64("SELECT count(*) FROM callbacks WHERE failed = 1 AND"
                                         " attempts = 9 AND id = " +
                                         std::to_string(due[0].id)),
            1);
}

TEST(SqliteStore, FuzzyHistoryFollowsOtherConnections) {
  // Substring queries are answered from a copy in memory; whatever changes
  // the history elsewhere must reach it.
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  auto store = SqliteStore::open(file);
  std::vector<ClosedStream> records = half_hourly(1, 40);
  store->append_closed(records);
  expect_history(*store, records);

  const auto more = half_hourly(41, 10);
  SqliteStore::open(file)->append_closed(more);  // another store on the same file
  records.insert(records.end(), more.begin(), more.end());
  expect_history(*store, records);

  // Another writer, then this store's own write before any query: the copy
  // must take in both, not just the records this store added.
  const auto theirs = half_hourly(51, 5);
  SqliteStore::open(file)->append_closed(theirs);
  const auto ours = half_hourly(56, 4);
  store->append_closed(ours);
  records.insert(records.end(), theirs.begin(), theirs.end());
  records.insert(records.end(), ours.begin(), ours.end());
  expect_history(*store, records);

  sqlite::Db(file).exec("DELETE FROM closed_streams WHERE id % 4 = 0");  // a retention job
  std::erase_if(records, [](const ClosedStream& r) { return r.id % 4 == 0; });
  expect_history(*store, records);

  sqlite::Db(file).exec("UPDATE closed_streams SET id = 1000 WHERE id = 5");
  for (auto& r : records) r.id = r.id == 5 ? 1000 : r.id;
  expect_history(*store, records);

  // A write that fails leaves the copy as it was.
  break_history_inserts(file);
  EXPECT_THROW(store->append_closed(half_hourly(60, 5)), StoreError);
  expect_history(*store, records);
  sqlite::Db(file).exec("DROP TRIGGER refuse_history");

  // And this store's own writes, older than what it has, land in order.
  std::vector<ClosedStream> older = half_hourly(100, 15);
  for (auto& r : older) r.end_time -= std::chrono::hours(50);
  store->append_closed(older);
  records.insert(records.end(), older.begin(), older.end());
  expect_history(*store, records);
}

TEST(SqliteStore, HistoryIsAppendOnly) {
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  SqliteStore::open(file)->append_closed({make_closed(1, "vh", "live", "cam", kT0)});
  EXPECT_THROW(sqlite::Db(file).exec("UPDATE closed_streams SET end_ms = 0"), StoreError);
  // Columns nothing counts may still be corrected.
  sqlite::Db(file).exec("UPDATE closed_streams SET bytes_in = 5");
}

TEST(SqliteStore, TwoStoresShareOneFile) {
  // WAL lets a second process (or a sqlite3 shell) read while sluice writes.
  TempDir dir;
  const fs::path file = dir.path() / "sluice.db";
  auto writer = SqliteStore::open(file);
  auto reader = SqliteStore::open(file);
  writer->put_forbid(suite::make_forbid("cam", kT0, kT0 + 1000));
  EXPECT_TRUE(reader->find_forbid("vh", "live", "cam", at_ms(kT0)).has_value());
  const int64_t first = writer->open_publish(make_publish("a"));
  EXPECT_GT(reader->open_publish(make_publish("b")), first);
}

}  // namespace
}  // namespace sluice::store
