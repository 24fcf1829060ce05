#pragma once
// store::Store on an embedded SQLite database: one file in the data directory,
// WAL journal, every commit synced (synchronous=FULL) before a call returns.
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "store/store.hpp"

namespace sluice::store {

namespace sqlite {
class Db;
class ClosedStreamIndex;
}  // namespace sqlite

class SqliteStore final : public Store {
 public:
  // Opens the database at `file`, creating it and its parent directories,
  // and brings its schema up to date. Throws StoreError.
  static std::unique_ptr<SqliteStore> open(const std::filesystem::path& file);
  ~SqliteStore() override;

  int64_t open_publish(const OpenPublish& publish, const CallbackMaker& announce = {}) override;
  void touch_publishes(const std::vector<std::pair<int64_t, uint64_t>>& id_and_bytes,
                       TimePoint now) override;
  void close_publish(const ClosedStream& closed, const CallbackMaker& announce = {}) override;
  std::vector<ClosedStream> recover_interrupted(
      const std::function<std::vector<CallbackMessage>(const ClosedStream&)>& announce = {})
      override;

  Page<ClosedStream> closed_streams(const ClosedStreamQuery& query) override;
  void append_closed(const std::vector<ClosedStream>& records) override;

  void put_forbid(const Forbid& forbid) override;
  bool delete_forbid(const std::string& vhost, const std::string& app, const std::string& stream,
                     TimePoint now) override;
  std::optional<Forbid> find_forbid(const std::string& vhost, const std::string& app,
                                    const std::string& stream, TimePoint now) override;
  Page<Forbid> forbids(const ForbidQuery& query) override;

  void queue_callbacks(const std::vector<CallbackMessage>& messages) override;
  std::vector<CallbackMessage> due_callbacks(TimePoint now, size_t limit) override;
  std::optional<TimePoint> next_callback_due() override;
  void callbacks_delivered(const std::vector<int64_t>& ids) override;
  void callback_retry(int64_t id, uint32_t attempts, TimePoint next_attempt) override;
  void callback_failed(int64_t id, uint32_t attempts) override;
  uint64_t pending_callbacks() override;

 private:
  SqliteStore(std::unique_ptr<sqlite::Db> db, std::vector<int64_t> bucket_lengths);

  // One connection and its statement cache serve every caller; calls take
  // turns rather than share them.
  std::mutex mutex_;
  std::unique_ptr<sqlite::Db> db_;
  // The history's count bucket lengths, fixed by the schema.
  std::vector<int64_t> bucket_lengths_;
  // The history's filter columns in memory, for substring filters; built at
  // the first such query, then kept in step with the database.
  std::unique_ptr<sqlite::ClosedStreamIndex> history_index_;
};

}  // namespace sluice::store
