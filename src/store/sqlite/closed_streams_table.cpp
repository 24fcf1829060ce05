#include "store/sqlite/closed_streams_table.hpp"

#include <algorithm>
#include <deque>
#include <string>

#include "store/sqlite/closed_stream_buckets.hpp"
#include "store/sqlite/paging.hpp"
#include "store/sqlite/unix_ms.hpp"

namespace sluice::store::sqlite {
namespace {

constexpr const char* kByEnd = "closed_streams_by_end";
constexpr const char* kByStream = "closed_streams_by_stream";

constexpr const char* kColumns =
    "id, vhost, domain, app, stream, source_type, client_address, start_ms, end_ms, reason,"
    " bytes_in, url_params";

ClosedStream read_record(const Statement& row) {
  ClosedStream r;
  r.id = row.column_int64(0);
  r.vhost = row.column_text(1);
  r.domain = row.column_text(2);
  r.app = row.column_text(3);
  r.stream = row.column_text(4);
  r.source_type = row.column_text(5);
  r.client_address = row.column_text(6);
  r.start_time = from_unix_ms(row.column_int64(7));
  r.end_time = from_unix_ms(row.column_int64(8));
  const std::string reason = row.column_text(9);
  const auto parsed = end_reason_from_string(reason);
  if (!parsed) {
    throw StoreError("sqlite: closed stream " + std::to_string(r.id) +
                     " has an unknown end reason \"" + reason + "\"");
  }
  r.reason = *parsed;
  r.bytes_in = static_cast<uint64_t>(row.column_int64(10));
  r.url_params = row.column_text(11);
  return r;
}

const char* order_by(SortOrder sort) {
  return sort == SortOrder::kAsc ? " ORDER BY end_ms, id" : " ORDER BY end_ms DESC, id DESC";
}

}  // namespace

void ClosedStreamsTable::insert(const ClosedStream& r) {
  auto statement = db_.prepare(std::string("INSERT INTO closed_streams (") + kColumns +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  statement->bind(1, r.id);
  statement->bind(2, r.vhost);
  statement->bind(3, r.domain);
  statement->bind(4, r.app);
  statement->bind(5, r.stream);
  statement->bind(6, r.source_type);
  statement->bind(7, r.client_address);
  statement->bind(8, to_unix_ms(r.start_time));
  statement->bind(9, to_unix_ms(r.end_time));
  statement->bind(10, to_string(r.reason));
  statement->bind(11, static_cast<int64_t>(r.bytes_in));  // read back with the inverse cast
  statement->bind(12, r.url_params);
  statement->run();
}

Page<ClosedStream> ClosedStreamsTable::page(const ClosedStreamQuery& query) {
  // The access path is chosen here, from what the store knows of the data
  // (bucket and name counts), rather than left to SQLite's planner, which
  // knows nothing of value distributions without ANALYZE.
  Plan plan;
  plan.first_ms = to_unix_ms(query.end_from);
  plan.last_ms = to_unix_ms(query.end_to);
  plan.sort = query.sort;
  const PageWindow window = window_of(query.page);
  plan.limit = window.limit;
  plan.offset = window.offset;
  if (query.names.vhost) plan.filters.add("vhost = ?", *query.names.vhost);
  if (query.names.app) plan.filters.add("app = ?", *query.names.app);
  if (query.source_type) plan.filters.add("source_type = ?", *query.source_type);
  if (plan.first_ms > plan.last_ms) return {};

  if (!query.names.stream) return page_by_buckets(plan);
  if (query.names.stream_match == MatchMode::kStrict) {
    return page_by_stream(plan, *query.names.stream);
  }
  return page_by_substring(plan, query);
}

Page<ClosedStream> ClosedStreamsTable::page_by_buckets(const Plan& plan) {
  ClosedStreamBuckets buckets(db_, bucket_lengths_, plan.filters);
  std::vector<EndTimeSpan> spans = buckets.tile(plan.first_ms, plan.last_ms);
  Page<ClosedStream> page;
  for (const auto& span : spans) page.total += span.records;

  // Walk the pieces in page order, stepping over whole pieces by their
  // counts, splitting a big one that holds part of the page, and reading
  // rows only from small ones.
  const bool descending = plan.sort == SortOrder::kDesc;
  if (descending) std::reverse(spans.begin(), spans.end());
  std::deque<EndTimeSpan> pending(spans.begin(), spans.end());
  uint64_t skip = static_cast<uint64_t>(plan.offset);
  const SqlConditions no_stream_filter;
  while (!pending.empty() && page.items.size() < static_cast<size_t>(plan.limit)) {
    const EndTimeSpan span = pending.front();
    pending.pop_front();
    if (skip >= span.records) {
      skip -= span.records;
      continue;
    }
    if (!buckets.is_small(span)) {
      std::vector<EndTimeSpan> parts = buckets.split(span);
      if (descending) std::reverse(parts.begin(), parts.end());
      pending.insert(pending.begin(), parts.begin(), parts.end());
      continue;
    }
    const int64_t wanted = plan.limit - static_cast<int64_t>(page.items.size());
    for (auto& record : read(kByEnd, plan, no_stream_filter, span.first_ms, span.last_ms, wanted,
                             static_cast<int64_t>(skip))) {
      page.items.push_back(std::move(record));
    }
    skip = 0;
  }
  return page;
}

Page<ClosedStream> ClosedStreamsTable::page_by_stream(const Plan& plan, const std::string& stream) {
  // One stream's records are few, and the index lists them in page order.
  SqlConditions named;
  named.add("stream = ?", stream);
  Page<ClosedStream> page;
  page.total = count(kByStream, plan, named);
  if (static_cast<uint64_t>(plan.offset) < page.total) {
    page.items = read(kByStream, plan, named, plan.first_ms, plan.last_ms, plan.limit, plan.offset);
  }
  return page;
}

Page<ClosedStream> ClosedStreamsTable::page_by_substring(const Plan& plan,
                                                         const ClosedStreamQuery& query) {
  // Whatever share of the records the substring matches, the in-memory copy
  // counts them and finds the page's ids in a few milliseconds per million
  // records in range (see closed_stream_index.hpp); only the page's own rows
  // are then read from the table.
  index_.sync(db_);
  const auto matches = index_.find(query, plan.first_ms, plan.last_ms, plan.offset, plan.limit);
  Page<ClosedStream> page;
  page.total = matches.total;
  for (const int64_t id : matches.ids) page.items.push_back(read_by_id(id));
  return page;
}

uint64_t ClosedStreamsTable::count(const char* index, const Plan& plan,
                                   const SqlConditions& stream_filter) {
  SqlConditions conditions;
  conditions.add("end_ms >= ?", plan.first_ms);
  conditions.add("end_ms <= ?", plan.last_ms);
  conditions.add_all(plan.filters);
  conditions.add_all(stream_filter);
  auto count = db_.prepare(std::string("SELECT count(*) FROM closed_streams INDEXED BY ") + index +
                           conditions.where_clause());
  conditions.bind(*count);
  count->step();
  return static_cast<uint64_t>(count->column_int64(0));
}

std::vector<ClosedStream> ClosedStreamsTable::read(const char* index, const Plan& plan,
                                                   const SqlConditions& stream_filter,
                                                   int64_t first_ms, int64_t last_ms, int64_t limit,
                                                   int64_t offset) {
  SqlConditions conditions;
  conditions.add("end_ms >= ?", first_ms);
  conditions.add("end_ms <= ?", last_ms);
  conditions.add_all(plan.filters);
  conditions.add_all(stream_filter);
  // The ids of the page come from the index alone; only the page's own rows
  // are then read from the table (a sort over many matches would otherwise
  // carry every column of every match).
  const std::string sql = std::string("SELECT ") + kColumns +
                          " FROM closed_streams WHERE id IN (SELECT id FROM closed_streams"
                          " INDEXED BY " +
                          index + conditions.where_clause() + order_by(plan.sort) +
                          " LIMIT ? OFFSET ?)" + order_by(plan.sort);
  auto select = db_.prepare(sql);
  const int next = conditions.bind(*select);
  select->bind(next, limit);
  select->bind(next + 1, offset);
  std::vector<ClosedStream> records;
  while (select->step()) records.push_back(read_record(*select));
  return records;
}

ClosedStream ClosedStreamsTable::read_by_id(int64_t id) {
  auto select =
      db_.prepare(std::string("SELECT ") + kColumns + " FROM closed_streams WHERE id = ?");
  select->bind(1, id);
  if (!select->step()) {
    throw StoreError("sqlite: closed stream " + std::to_string(id) +
                     " is in the in-memory index but not in the table");
  }
  return read_record(*select);
}

}  // namespace sluice::store::sqlite
