#pragma once
// Counts of history records by end-time bucket (table closed_stream_buckets,
// kept by triggers; see schema.cpp), for one set of filters on vhost, app and
// source_type. They answer "how many match" over any range without visiting
// the records, and tell where in the range the N-th match lies.
#include <cstdint>
#include <vector>

#include "store/sqlite/sql_conditions.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace sluice::store::sqlite {

// A piece of an end-time range and the matching records whose end falls in it.
struct EndTimeSpan {
  int64_t first_ms = 0;  // inclusive
  int64_t last_ms = 0;   // inclusive
  size_t level = 0;      // index of its bucket length; the number of lengths for an exact count
  uint64_t records = 0;
};

class ClosedStreamBuckets {
 public:
  // The bucket lengths the schema keeps, longest first (each a multiple of
  // the next), as read by load_lengths().
  static std::vector<int64_t> load_lengths(Db& db);

  // `filters` may test only vhost, app and source_type: the columns buckets have.
  ClosedStreamBuckets(Db& db, const std::vector<int64_t>& lengths_ms, const SqlConditions& filters);

  // [first_ms, last_ms] as the fewest pieces: whole buckets, longest that
  // fit, and exact counts for the ends shorter than the shortest bucket.
  // Only pieces with matches, in ascending time order.
  std::vector<EndTimeSpan> tile(int64_t first_ms, int64_t last_ms);
  // The matching records in [first_ms, last_ms].
  uint64_t count(int64_t first_ms, int64_t last_ms);
  // True when reading the records of `span` visits at most one shortest
  // bucket's worth of rows.
  bool is_small(const EndTimeSpan& span) const { return span.level + 1 >= lengths_.size(); }
  // A bucket that is not small, as the buckets one length shorter.
  std::vector<EndTimeSpan> split(const EndTimeSpan& span);

 private:
  std::vector<EndTimeSpan> tile(int64_t first_ms, int64_t last_ms, size_t level);
  std::vector<EndTimeSpan> whole_buckets(size_t level, int64_t from_ms, int64_t until_ms);
  uint64_t exact_count(int64_t first_ms, int64_t last_ms);

  Db& db_;
  const std::vector<int64_t>& lengths_;
  const SqlConditions& filters_;
};

}  // namespace sluice::store::sqlite
