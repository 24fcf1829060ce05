#pragma once
// A route's path pattern: literal text and named placeholders.
//   "/healthz"              only that path
//   "/{app}/{stream*}.flv"  {app}: any text without '/' (may be empty);
//                           {stream*}: any text, '/' included (may be empty)
// A path matches when the whole of it does. Placeholders may be empty so the
// handler, not the router, says what is wrong with a name (400, not 404).
#include <boost/container/small_vector.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::http {

class RouteParams {
 public:
  // Empty when there is no such placeholder.
  std::string_view get(std::string_view name) const;
  void set(std::string name, std::string value);
  size_t size() const { return values_.size(); }

 private:
  // Routes have two or three placeholders: kept inline, no allocation per request.
  boost::container::small_vector<std::pair<std::string, std::string>, 3> values_;
};

class PathPattern {
 public:
  // Throws std::invalid_argument: not starting with '/', an unclosed or
  // empty placeholder, or two placeholders with no literal between them.
  explicit PathPattern(std::string_view pattern);

  std::optional<RouteParams> match(std::string_view path) const;
  const std::string& text() const { return text_; }

 private:
  struct Part {
    std::string text;  // the literal, or the placeholder's name
    bool placeholder = false;
    bool spans_slashes = false;
  };
  bool match_from(size_t part, std::string_view rest, RouteParams& params) const;

  std::string text_;
  std::vector<Part> parts_;
};

}  // namespace sluice::http
