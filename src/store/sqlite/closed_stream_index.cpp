#include "store/sqlite/closed_stream_index.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "store/sqlite/unix_ms.hpp"

namespace sluice::store::sqlite {
namespace {

// Length-prefixed parts, so no choice of names can make two groups collide.
std::string group_key(const std::string& vhost, const std::string& app,
                      const std::string& source_type) {
  return std::to_string(vhost.size()) + ':' + vhost + std::to_string(app.size()) + ':' + app +
         source_type;
}

// The id of `key`, or `next` for a key not seen before.
template <typename Map>
uint32_t intern(Map& ids, const typename Map::key_type& key, uint32_t next) {
  const auto found = ids.find(key);
  if (found != ids.end()) return found->second;
  ids.emplace(key, next);
  return next;
}

}  // namespace

int64_t ClosedStreamIndex::generation(Db& db) {
  return db.query_int64("SELECT generation FROM closed_streams_generation");
}

void ClosedStreamIndex::sync(Db& db) {
  const int64_t current = generation(db);
  if (generation_ == current) return;
  clear();
  // The end-time index holds every column needed, already in (end_ms, id)
  // order: one sequential pass, no sort, no table reads.
  auto rows = db.prepare(
      "SELECT end_ms, id, stream, vhost, app, source_type"
      " FROM closed_streams INDEXED BY closed_streams_by_end ORDER BY end_ms, id");
  while (rows->step()) {
    append({rows->column_int64(0), rows->column_int64(1),
            labels_of(rows->column_text(2), rows->column_text(3), rows->column_text(4),
                      rows->column_text(5))});
  }
  generation_ = current;
}

void ClosedStreamIndex::committed(const std::vector<ClosedStream>& records, int64_t before,
                                  int64_t after) {
  if (generation_ != before) {
    generation_.reset();  // someone else changed the history first: rebuild at the next sync
    return;
  }
  std::vector<Record> added;
  added.reserve(records.size());
  for (const auto& r : records) {
    added.push_back(
        {to_unix_ms(r.end_time), r.id, labels_of(r.stream, r.vhost, r.app, r.source_type)});
  }
  merge(std::move(added));
  generation_ = after;
}

ClosedStreamIndex::Matches ClosedStreamIndex::find(const ClosedStreamQuery& query, int64_t first_ms,
                                                   int64_t last_ms, int64_t offset,
                                                   int64_t limit) const {
  const std::vector<uint8_t> matching = matching_labels(query);
  const auto begin = static_cast<size_t>(
      std::lower_bound(end_ms_.begin(), end_ms_.end(), first_ms) - end_ms_.begin());
  const auto end = static_cast<size_t>(std::upper_bound(end_ms_.begin(), end_ms_.end(), last_ms) -
                                       end_ms_.begin());
  Matches matches;
  const auto first = static_cast<uint64_t>(offset);
  const auto wanted = static_cast<size_t>(limit);
  // Branch-free counting: whether a record matches is a coin toss at a
  // middle share, and a mispredicted branch per record would cost more than
  // the rest of the loop. Only while the page fills is the match tested.
  const auto visit = [&](size_t i) {
    const uint8_t match = matching[labels_[i]];
    if (matches.total >= first && matches.ids.size() < wanted && match) {
      matches.ids.push_back(ids_[i]);
    }
    matches.total += match;
  };
  if (query.sort == SortOrder::kAsc) {
    for (size_t i = begin; i < end; ++i) visit(i);
  } else {
    for (size_t i = end; i > begin; --i) visit(i - 1);
  }
  return matches;
}

void ClosedStreamIndex::clear() {
  *this = ClosedStreamIndex();
}

void ClosedStreamIndex::append(const Record& record) {
  end_ms_.push_back(record.end_ms);
  ids_.push_back(record.id);
  labels_.push_back(record.labels);
}

void ClosedStreamIndex::merge(std::vector<Record> records) {
  const auto key = [](const Record& r) { return std::make_pair(r.end_ms, r.id); };
  std::sort(records.begin(), records.end(),
            [&](const Record& a, const Record& b) { return key(a) < key(b); });
  if (records.empty()) return;
  // Publishes close in end-time order, so new records almost always go
  // after the last one; anything else (a recovery, a bulk load of older
  // history) rewrites the columns once per transaction, not once per record.
  if (end_ms_.empty() || key(records.front()) > std::make_pair(end_ms_.back(), ids_.back())) {
    for (const auto& r : records) append(r);
    return;
  }
  const std::vector<int64_t> old_end_ms = std::exchange(end_ms_, {});
  const std::vector<int64_t> old_ids = std::exchange(ids_, {});
  const std::vector<uint32_t> old_labels = std::exchange(labels_, {});
  end_ms_.reserve(old_end_ms.size() + records.size());
  ids_.reserve(end_ms_.capacity());
  labels_.reserve(end_ms_.capacity());
  size_t old = 0;
  const auto copy_old_before = [&](std::pair<int64_t, int64_t> limit) {
    for (; old < old_end_ms.size() && std::make_pair(old_end_ms[old], old_ids[old]) < limit;
         ++old) {
      append({old_end_ms[old], old_ids[old], old_labels[old]});
    }
  };
  for (const auto& r : records) {
    copy_old_before(key(r));
    append(r);
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  copy_old_before({kMax, kMax});
}

uint32_t ClosedStreamIndex::labels_of(const std::string& stream, const std::string& vhost,
                                      const std::string& app, const std::string& source_type) {
  // Interned in parts: few names and fewer groups, so these small tables
  // stay in cache while a rebuild interns a million records.
  const uint32_t name = intern(name_ids_, stream, static_cast<uint32_t>(names_.size()));
  if (name == names_.size()) names_.push_back(stream);
  const uint32_t group =
      intern(group_ids_, group_key(vhost, app, source_type), static_cast<uint32_t>(groups_.size()));
  if (group == groups_.size()) groups_.push_back({vhost, app, source_type});
  const uint64_t pair = (uint64_t{name} << 32) | group;
  const uint32_t labels = intern(label_ids_, pair, static_cast<uint32_t>(label_keys_.size()));
  if (labels == label_keys_.size()) label_keys_.push_back({name, group});
  return labels;
}

std::vector<uint8_t> ClosedStreamIndex::matching_labels(const ClosedStreamQuery& query) const {
  // Test each distinct name and group once (~20,000 names: well under a
  // millisecond), then each record costs one table lookup.
  std::vector<uint8_t> names(names_.size(), 1);
  if (query.names.stream) {
    for (size_t i = 0; i < names_.size(); ++i) {
      names[i] = names_[i].find(*query.names.stream) != std::string::npos;
    }
  }
  const auto accepts = [](const std::optional<std::string>& filter, const std::string& value) {
    return !filter || *filter == value;
  };
  std::vector<uint8_t> groups(groups_.size());
  for (size_t i = 0; i < groups_.size(); ++i) {
    groups[i] = accepts(query.names.vhost, groups_[i].vhost) &&
                accepts(query.names.app, groups_[i].app) &&
                accepts(query.source_type, groups_[i].source_type);
  }
  std::vector<uint8_t> matching(label_keys_.size());
  for (size_t i = 0; i < label_keys_.size(); ++i) {
    matching[i] = names[label_keys_[i].name] & groups[label_keys_[i].group];
  }
  return matching;
}

}  // namespace sluice::store::sqlite
