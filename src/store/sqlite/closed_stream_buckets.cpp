#include "store/sqlite/closed_stream_buckets.hpp"

#include "store/store.hpp"

namespace sluice::store::sqlite {
namespace {

// Rounding toward minus infinity, as the triggers do, also before 1970.
int64_t floor_to(int64_t ms, int64_t length) {
  return ms - ((ms % length) + length) % length;
}
int64_t ceil_to(int64_t ms, int64_t length) {
  return -floor_to(-ms, length);
}

}  // namespace

std::vector<int64_t> ClosedStreamBuckets::load_lengths(Db& db) {
  std::vector<int64_t> lengths;
  auto rows =
      db.prepare("SELECT length_ms FROM closed_stream_bucket_lengths ORDER BY length_ms DESC");
  while (rows->step()) lengths.push_back(rows->column_int64(0));
  if (lengths.empty() || lengths.back() < 1) {
    throw StoreError("sqlite: closed_stream_bucket_lengths is empty or not positive");
  }
  for (size_t i = 1; i < lengths.size(); ++i) {
    if (lengths[i - 1] % lengths[i] != 0) {
      throw StoreError("sqlite: closed_stream_bucket_lengths: " + std::to_string(lengths[i - 1]) +
                       " is not a multiple of " + std::to_string(lengths[i]));
    }
  }
  return lengths;
}

ClosedStreamBuckets::ClosedStreamBuckets(Db& db, const std::vector<int64_t>& lengths_ms,
                                         const SqlConditions& filters)
    : db_(db), lengths_(lengths_ms), filters_(filters) {}

std::vector<EndTimeSpan> ClosedStreamBuckets::tile(int64_t first_ms, int64_t last_ms) {
  return tile(first_ms, last_ms, 0);
}

uint64_t ClosedStreamBuckets::count(int64_t first_ms, int64_t last_ms) {
  uint64_t records = 0;
  for (const auto& span : tile(first_ms, last_ms)) records += span.records;
  return records;
}

std::vector<EndTimeSpan> ClosedStreamBuckets::split(const EndTimeSpan& span) {
  // Buckets are aligned, so this yields whole buckets only: no exact counts.
  return tile(span.first_ms, span.last_ms, span.level + 1);
}

std::vector<EndTimeSpan> ClosedStreamBuckets::tile(int64_t first_ms, int64_t last_ms,
                                                   size_t level) {
  std::vector<EndTimeSpan> pieces;
  if (first_ms > last_ms) return pieces;
  if (level == lengths_.size()) {
    if (const uint64_t n = exact_count(first_ms, last_ms); n > 0) {
      pieces.push_back({first_ms, last_ms, level, n});
    }
    return pieces;
  }
  const int64_t length = lengths_[level];
  const int64_t whole_from = ceil_to(first_ms, length);
  const int64_t whole_until = floor_to(last_ms + 1, length);  // exclusive
  if (whole_from >= whole_until) return tile(first_ms, last_ms, level + 1);

  pieces = tile(first_ms, whole_from - 1, level + 1);
  for (const auto& bucket : whole_buckets(level, whole_from, whole_until)) pieces.push_back(bucket);
  for (const auto& piece : tile(whole_until, last_ms, level + 1)) pieces.push_back(piece);
  return pieces;
}

std::vector<EndTimeSpan> ClosedStreamBuckets::whole_buckets(size_t level, int64_t from_ms,
                                                            int64_t until_ms) {
  const int64_t length = lengths_[level];
  SqlConditions conditions;
  conditions.add("length_ms = ?", length);
  conditions.add("start_ms >= ?", from_ms);
  conditions.add("start_ms < ?", until_ms);
  conditions.add_all(filters_);
  auto rows = db_.prepare("SELECT start_ms, sum(records) FROM closed_stream_buckets" +
                          conditions.where_clause() +
                          " GROUP BY start_ms HAVING sum(records) > 0 ORDER BY start_ms");
  conditions.bind(*rows);
  std::vector<EndTimeSpan> buckets;
  while (rows->step()) {
    const int64_t start = rows->column_int64(0);
    buckets.push_back(
        {start, start + length - 1, level, static_cast<uint64_t>(rows->column_int64(1))});
  }
  return buckets;
}

uint64_t ClosedStreamBuckets::exact_count(int64_t first_ms, int64_t last_ms) {
  SqlConditions conditions;
  conditions.add("end_ms >= ?", first_ms);
  conditions.add("end_ms <= ?", last_ms);
  conditions.add_all(filters_);
  auto count = db_.prepare("SELECT count(*) FROM closed_streams INDEXED BY closed_streams_by_end" +
                           conditions.where_clause());
  conditions.bind(*count);
  count->step();
  return static_cast<uint64_t>(count->column_int64(0));
}

}  // namespace sluice::store::sqlite
