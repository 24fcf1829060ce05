#pragma once
// An in-memory copy of what a fuzzy (substring) history query filters and
// orders by: each record's end time, id, stream name, vhost, app and
// source_type, in (end_ms, id) order.
//
// Why memory: a substring can match any share of the stream names, and
// SQLite spends ~70 ns on every row it visits. Counting the matches of one
// that hits 10-50 % of a million records took 20-200 ms, and no table of
// per-name counts helps enough: with thousands of names each has only a
// record or two per day (the benchmark history has 20,000 names, ~1.6
// records per name and day), so per-name day counts are nearly as many rows
// as the records, and per-name running totals cost two B-tree seeks
// (~0.5-1 us each) for each of up to half the names. Here the same count is
// a loop over packed entries, a few nanoseconds each (~20 bytes a record).
//
// It follows the database through closed_streams_generation (schema.cpp),
// which every change to the history bumps: this connection's own inserts are
// mirrored as they commit; anything else (another connection, a retention
// job in SQL) makes the next query rebuild the copy from the end-time index.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace sluice::store::sqlite {

class ClosedStreamIndex {
 public:
  // The history's generation as the current transaction sees it.
  static int64_t generation(Db& db);

  // Makes the copy match the history as the current transaction sees it,
  // rebuilding it when the generation differs. Call inside a transaction.
  void sync(Db& db);
  // False until the first sync(), and after a change it did not see.
  bool built() const { return generation_.has_value(); }
  // Mirrors the records this connection inserted in one committed
  // transaction, which took the history from generation `before` to `after`.
  // A copy that was not at `before` (or not built) is left to sync().
  void committed(const std::vector<ClosedStream>& records, int64_t before, int64_t after);

  struct Matches {
    uint64_t total = 0;
    std::vector<int64_t> ids;  // of the page, in query order
  };
  // The records matching `query` (its stream filter read as a substring)
  // with end times in [first_ms, last_ms]: how many, and the ids of
  // [offset, offset + limit) among them in query.sort order.
  Matches find(const ClosedStreamQuery& query, int64_t first_ms, int64_t last_ms, int64_t offset,
               int64_t limit) const;

 private:
  // What a record is filtered by, interned: the same (stream, vhost, app,
  // source_type) recurs across records, so each record holds one small key.
  struct Labels {
    uint32_t name = 0;
    uint32_t group = 0;  // (vhost, app, source_type)
  };
  struct Group {
    std::string vhost, app, source_type;
  };
  struct Record {
    int64_t end_ms = 0;
    int64_t id = 0;
    uint32_t labels = 0;
  };

  void clear();
  void append(const Record& record);
  void merge(std::vector<Record> records);
  uint32_t labels_of(const std::string& stream, const std::string& vhost, const std::string& app,
                     const std::string& source_type);
  // One flag per labels key: does a record with it match the filters?
  std::vector<uint8_t> matching_labels(const ClosedStreamQuery& query) const;

  std::optional<int64_t> generation_;  // empty until built
  // Columns, not a vector of Record: a count reads only labels_.
  std::vector<int64_t> end_ms_;
  std::vector<int64_t> ids_;
  std::vector<uint32_t> labels_;

  std::vector<std::string> names_;
  std::vector<Group> groups_;
  std::vector<Labels> label_keys_;
  std::unordered_map<std::string, uint32_t> name_ids_;
  std::unordered_map<std::string, uint32_t> group_ids_;
  std::unordered_map<uint64_t, uint32_t> label_ids_;  // by name << 32 | group
};

}  // namespace sluice::store::sqlite
