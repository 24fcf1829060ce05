#pragma once
// SQL for the history of ended publishes (table closed_streams). Callers own
// the transactions.
#include <cstdint>
#include <string>
#include <vector>

#include "store/sqlite/closed_stream_index.hpp"
#include "store/sqlite/sql_conditions.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace sluice::store::sqlite {

class ClosedStreamsTable {
 public:
  // bucket_lengths: ClosedStreamBuckets::load_lengths(), read once per open.
  // index: the connection's in-memory copy for substring filters; insert()
  // leaves it to the caller to tell it what committed.
  ClosedStreamsTable(Db& db, const std::vector<int64_t>& bucket_lengths, ClosedStreamIndex& index)
      : db_(db), bucket_lengths_(bucket_lengths), index_(index) {}

  // Stores the record under record.id, which must be free.
  void insert(const ClosedStream& record);
  // One page of the matches and their total. Run it in a read transaction so
  // the two agree.
  Page<ClosedStream> page(const ClosedStreamQuery& query);

 private:
  // The query after its times are converted and its filters split into what
  // the bucket counts can answer (`filters`) and the stream name.
  struct Plan {
    int64_t first_ms = 0;
    int64_t last_ms = 0;
    SqlConditions filters;
    SortOrder sort = SortOrder::kDesc;
    int64_t limit = 0;
    int64_t offset = 0;
  };

  Page<ClosedStream> page_by_buckets(const Plan& plan);
  Page<ClosedStream> page_by_stream(const Plan& plan, const std::string& stream);
  Page<ClosedStream> page_by_substring(const Plan& plan, const ClosedStreamQuery& query);
  uint64_t count(const char* index, const Plan& plan, const SqlConditions& stream_filter);
  // Matching rows in [first_ms, last_ms], in `plan.sort` order.
  std::vector<ClosedStream> read(const char* index, const Plan& plan,
                                 const SqlConditions& stream_filter, int64_t first_ms,
                                 int64_t last_ms, int64_t limit, int64_t offset);
  ClosedStream read_by_id(int64_t id);

  Db& db_;
  const std::vector<int64_t>& bucket_lengths_;
  ClosedStreamIndex& index_;
};

}  // namespace sluice::store::sqlite
