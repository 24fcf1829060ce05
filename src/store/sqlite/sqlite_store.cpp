#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>

#include "store/sqlite/callbacks_table.hpp"
#include "store/sqlite/closed_stream_buckets.hpp"
#include "store/sqlite/closed_stream_index.hpp"
#include "store/sqlite/closed_streams_table.hpp"
#include "store/sqlite/forbids_table.hpp"
#include "store/sqlite/open_publishes_table.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace sluice::store {
namespace {

using sqlite::Transaction;

// How long a call waits for another process holding the write lock (another
// sluice on the same data directory, or the sqlite3 shell) before failing.
constexpr int kBusyTimeoutMs = 5000;

void configure(sqlite::Db& db) {
  db.exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
  // WAL: readers do not block the writer, and a commit is one append + fsync.
  const std::string mode = db.query_text("PRAGMA journal_mode = WAL");
  if (mode != "wal") throw StoreError("sqlite: cannot use WAL journal (got \"" + mode + "\")");
  // FULL syncs the WAL at every commit: a call that returned is on disk.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // 64 MiB of page cache (the default is 2 MiB): a history of a million
  // records has over 100 MiB of indexes, and fetching their hot pages from
  // the OS again and again costs more than the memory.
  db.exec("PRAGMA cache_size = -65536");
}

ClosedStream interrupted(const OpenPublish& p) {
  ClosedStream c;
  c.id = p.id;
  c.vhost = p.vhost;
  c.domain = p.domain;
  c.app = p.app;
  c.stream = p.stream;
  c.source_type = p.source_type;
  c.client_address = p.client_address;
  c.start_time = p.start_time;
  c.end_time = p.last_seen;  // the last moment it was known to be live
  c.reason = EndReason::kInterrupted;
  c.bytes_in = p.bytes_in;
  c.url_params = p.url_params;
  return c;
}

void queue(sqlite::Db& db, const std::vector<CallbackMessage>& messages) {
  sqlite::CallbacksTable callbacks(db);
  for (const auto& message : messages) callbacks.insert(message);
}

// A write transaction that adds to the history. Once it has committed, and
// only then, the connection's in-memory index is told what it added.
class HistoryWrite {
 public:
  HistoryWrite(sqlite::Db& db, const std::vector<int64_t>& bucket_lengths,
               sqlite::ClosedStreamIndex& index)
      : db_(db),
        index_(index),
        transaction_(db, Transaction::Kind::kWrite),
        history_(db, bucket_lengths, index),
        generation_before_(sqlite::ClosedStreamIndex::generation(db)) {}

  void insert(const ClosedStream& record) {
    history_.insert(record);
    // A store that never ran a substring query has no copy to keep.
    if (index_.built()) inserted_.push_back(record);
  }

  void commit() {
    const int64_t generation_after = sqlite::ClosedStreamIndex::generation(db_);
    transaction_.commit();
    index_.committed(inserted_, generation_before_, generation_after);
  }

 private:
  sqlite::Db& db_;
  sqlite::ClosedStreamIndex& index_;
  Transaction transaction_;
  sqlite::ClosedStreamsTable history_;
  int64_t generation_before_;
  std::vector<ClosedStream> inserted_;
};

}  // namespace

std::unique_ptr<SqliteStore> SqliteStore::open(const std::filesystem::path& file) {
  std::error_code error;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), error);
  if (error) {
    throw StoreError("sqlite: cannot create " + file.parent_path().string() + ": " +
                     error.message());
  }
  auto db = std::make_unique<sqlite::Db>(file);
  configure(*db);
  sqlite::migrate(*db);
  auto bucket_lengths = sqlite::ClosedStreamBuckets::load_lengths(*db);
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db), std::move(bucket_lengths)));
}

SqliteStore::SqliteStore(std::unique_ptr<sqlite::Db> db, std::vector<int64_t> bucket_lengths)
    : db_(std::move(db)),
      bucket_lengths_(std::move(bucket_lengths)),
      history_index_(std::make_unique<sqlite::ClosedStreamIndex>()) {
  // Build the in-memory history index now, at start-up, rather than on the
  // first fuzzy query: the server calls the store from its one event-loop
  // thread, and a build (about 1-2 s per million records) there would stall
  // every stream.
  Transaction snapshot(*db_, Transaction::Kind::kRead);
  history_index_->sync(*db_);
  snapshot.commit();
}

SqliteStore::~SqliteStore() = default;

// --- publishes ---

int64_t SqliteStore::open_publish(const OpenPublish& publish, const CallbackMaker& announce) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*db_, Transaction::Kind::kWrite);
  const int64_t id = sqlite::OpenPublishesTable(*db_).insert(publish);
  if (announce) queue(*db_, announce(id));
  transaction.commit();
  return id;
}

void SqliteStore::touch_publishes(const std::vector<std::pair<int64_t, uint64_t>>& id_and_bytes,
                                  TimePoint now) {
  if (id_and_bytes.empty()) return;  // no commit, no fsync
  std::lock_guard lock(mutex_);
  Transaction transaction(*db_, Transaction::Kind::kWrite);  // one fsync for the whole beat
  sqlite::OpenPublishesTable publishes(*db_);
  for (const auto& [id, bytes] : id_and_bytes) publishes.touch(id, bytes, now);
  transaction.commit();
}

void SqliteStore::close_publish(const ClosedStream& closed, const CallbackMaker& announce) {
  std::lock_guard lock(mutex_);
  HistoryWrite write(*db_, bucket_lengths_, *history_index_);
  sqlite::OpenPublishesTable publishes(*db_);
  publishes.remove(closed.id);
  publishes.reserve_through(closed.id);  // a no-op for an id that publishes handed out
  write.insert(closed);
  if (announce) queue(*db_, announce(closed.id));
  write.commit();
}

std::vector<ClosedStream> SqliteStore::recover_interrupted(
    const std::function<std::vector<CallbackMessage>(const ClosedStream&)>& announce) {
  std::lock_guard lock(mutex_);
  HistoryWrite write(*db_, bucket_lengths_, *history_index_);
  sqlite::OpenPublishesTable publishes(*db_);
  std::vector<ClosedStream> recovered;
  for (const OpenPublish& publish : publishes.all()) {
    recovered.push_back(interrupted(publish));
    write.insert(recovered.back());
    if (announce) queue(*db_, announce(recovered.back()));
  }
  publishes.remove_all();
  write.commit();
  return recovered;
}

// --- history ---

Page<ClosedStream> SqliteStore::closed_streams(const ClosedStreamQuery& query) {
  std::lock_guard lock(mutex_);
  Transaction snapshot(*db_, Transaction::Kind::kRead);
  auto page = sqlite::ClosedStreamsTable(*db_, bucket_lengths_, *history_index_).page(query);
  snapshot.commit();
  return page;
}

void SqliteStore::append_closed(const std::vector<ClosedStream>& records) {
  std::lock_guard lock(mutex_);
  HistoryWrite write(*db_, bucket_lengths_, *history_index_);
  sqlite::OpenPublishesTable publishes(*db_);
  // Records with an id keep it; records without (id 0 or less) get fresh ones. Either
  // way the publish id sequence moves past them, so no id is ever issued twice.
  int64_t last_id = publishes.last_id();
  for (const auto& record : records) last_id = std::max(last_id, record.id);
  for (const auto& record : records) {
    if (record.id > 0) {
      write.insert(record);
    } else {
      ClosedStream numbered = record;
      numbered.id = ++last_id;
      write.insert(numbered);
    }
  }
  publishes.reserve_through(last_id);
  write.commit();
}

// --- forbids ---

void SqliteStore::put_forbid(const Forbid& forbid) {
  std::lock_guard lock(mutex_);
  sqlite::ForbidsTable(*db_).put(forbid);
}

bool SqliteStore::delete_forbid(const std::string& vhost, const std::string& app,
                                const std::string& stream, TimePoint now) {
  std::lock_guard lock(mutex_);
  return sqlite::ForbidsTable(*db_).remove(vhost, app, stream, now);
}

std::optional<Forbid> SqliteStore::find_forbid(const std::string& vhost, const std::string& app,
                                               const std::string& stream, TimePoint now) {
  std::lock_guard lock(mutex_);
  return sqlite::ForbidsTable(*db_).find(vhost, app, stream, now);
}

Page<Forbid> SqliteStore::forbids(const ForbidQuery& query) {
  std::lock_guard lock(mutex_);
  Transaction snapshot(*db_, Transaction::Kind::kRead);
  auto page = sqlite::ForbidsTable(*db_).page(query);
  snapshot.commit();
  return page;
}

// --- callbacks ---

void SqliteStore::queue_callbacks(const std::vector<CallbackMessage>& messages) {
  if (messages.empty()) return;
  std::lock_guard lock(mutex_);
  Transaction transaction(*db_, Transaction::Kind::kWrite);
  queue(*db_, messages);
  transaction.commit();
}

std::vector<CallbackMessage> SqliteStore::due_callbacks(TimePoint now, size_t limit) {
  std::lock_guard lock(mutex_);
  return sqlite::CallbacksTable(*db_).due(now, limit);  // one statement: one snapshot
}

std::optional<TimePoint> SqliteStore::next_callback_due() {
  std::lock_guard lock(mutex_);
  return sqlite::CallbacksTable(*db_).next_due();
}

void SqliteStore::callbacks_delivered(const std::vector<int64_t>& ids) {
  if (ids.empty()) return;
  std::lock_guard lock(mutex_);
  Transaction transaction(*db_, Transaction::Kind::kWrite);  // one fsync for the batch
  sqlite::CallbacksTable callbacks(*db_);
  for (const int64_t id : ids) callbacks.remove(id);
  transaction.commit();
}

void SqliteStore::callback_retry(int64_t id, uint32_t attempts, TimePoint next_attempt) {
  std::lock_guard lock(mutex_);
  sqlite::CallbacksTable(*db_).retry(id, attempts, next_attempt);
}

void SqliteStore::callback_failed(int64_t id, uint32_t attempts) {
  std::lock_guard lock(mutex_);
  sqlite::CallbacksTable(*db_).fail(id, attempts);
}

uint64_t SqliteStore::pending_callbacks() {
  std::lock_guard lock(mutex_);
  return sqlite::CallbacksTable(*db_).waiting();
}

}  // namespace sluice::store
