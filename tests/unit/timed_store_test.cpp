// metrics::TimedStore: the whole store suite through it over real SQLite (it
// forwards every call unchanged), and each call timed under its operation.
#include "metrics/timed_store.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "store/sqlite/sqlite_store.hpp"
#include "store_suite.hpp"

namespace sluice::metrics {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sluice-timed-XXXXXX").string();
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

struct TimedSqliteHarness {
  TempDir dir;
  StoreMetrics metrics;
  std::unique_ptr<store::Store> open() {
    return std::make_unique<TimedStore>(store::SqliteStore::open(dir.path() / "sluice.db"),
                                        metrics);
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(TimedStore, TimesEachCallUnderItsOperation) {
  TimedSqliteHarness harness;
  auto timed = harness.open();
  const int64_t id = timed->open_publish(store::suite::make_publish("cam1"));
  auto closed =
      store::suite::make_closed(id, "__defaultVhost__", "live", "cam1", store::suite::kT0 + 1000);
  timed->close_publish(closed);
  EXPECT_FALSE(timed->find_forbid("v", "live", "cam1", store::suite::at_ms(store::suite::kT0)));
  EXPECT_FALSE(timed->find_forbid("v", "live", "cam2", store::suite::at_ms(store::suite::kT0)));

  Exposition out;
  harness.metrics.write(out);
  const std::string& text = out.text();
  EXPECT_TRUE(contains(text, "# TYPE sluice_store_query_seconds histogram\n"));
  EXPECT_TRUE(contains(text, "sluice_store_query_seconds_count{operation=\"open_publish\"} 1\n"));
  EXPECT_TRUE(contains(text, "sluice_store_query_seconds_count{operation=\"close_publish\"} 1\n"));
  EXPECT_TRUE(contains(text, "sluice_store_query_seconds_count{operation=\"find_forbid\"} 2\n"));
  EXPECT_TRUE(contains(
      text, "sluice_store_query_seconds_bucket{operation=\"find_forbid\",le=\"+Inf\"} 2\n"));
  EXPECT_FALSE(contains(text, "operation=\"forbids\""));  // not called: no series
}

TEST(TimedStore, ACallThatThrowsIsTimedToo) {
  TimedSqliteHarness harness;
  auto timed = harness.open();
  // A closed record appended again: its id is taken.
  const int64_t id = timed->open_publish(store::suite::make_publish("cam1"));
  auto closed =
      store::suite::make_closed(id, "__defaultVhost__", "live", "cam1", store::suite::kT0 + 1000);
  timed->close_publish(closed);
  EXPECT_THROW(timed->append_closed({closed}), store::StoreError);  // the same id again
  Exposition out;
  harness.metrics.write(out);
  EXPECT_TRUE(
      contains(out.text(), "sluice_store_query_seconds_count{operation=\"append_closed\"} 1\n"));
}

}  // namespace
}  // namespace sluice::metrics

namespace sluice::store::suite {
INSTANTIATE_TYPED_TEST_SUITE_P(TimedSqlite, StoreSuite,
                               ::testing::Types<sluice::metrics::TimedSqliteHarness>);
}  // namespace sluice::store::suite
