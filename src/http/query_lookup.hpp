#pragma once
// A request query's parameters, looked up where they lie: a player's HLS
// requests (a part, a blocking reload) several times a second each carry a
// few plain parameters, and decoding every query into a map cost more
// allocations than the rest of the request. A query with escapes ('%', '+')
// is decoded once, as media::split_name does, so both give the same values.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "media/stream_name.hpp"

namespace sluice::http {

class QueryLookup {
 public:
  explicit QueryLookup(std::string_view query);

  // The first `name` parameter's value ("" for a bare `name`), nullopt when
  // there is none. A view into the query (or into this lookup when decoded).
  std::optional<std::string_view> get(std::string_view name) const;

 private:
  std::string_view raw_;
  std::optional<media::QueryParams> decoded_;
};

// The query without its `names` parameters (and without empty ones), the
// others as sent: what a redirect or a playlist's URIs carry on.
std::string query_without(std::string_view query, std::initializer_list<std::string_view> names);

}  // namespace sluice::http
