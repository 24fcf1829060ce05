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
