#include "http/path_pattern.hpp"

#include <stdexcept>

namespace sluice::http {

std::string_view RouteParams::get(std::string_view name) const {
  for (const auto& [key, value] : values_)
    if (key == name) return value;
  return {};
}

void RouteParams::set(std::string name, std::string value) {
  values_.emplace_back(std::move(name), std::move(value));
}

PathPattern::PathPattern(std::string_view pattern) : text_(pattern) {
  auto bad = [&](const std::string& why) {
    return std::invalid_argument("route pattern \"" + text_ + "\": " + why);
  };
  if (pattern.empty() || pattern.front() != '/') throw bad("does not start with '/'");
  size_t pos = 0;
  while (pos < pattern.size()) {
    const size_t open = pattern.find('{', pos);
    if (open != pos) {
      const auto literal = pattern.substr(pos, open - pos);
      if (literal.find('}') != std::string_view::npos) throw bad("'}' without '{'");
      parts_.push_back({std::string(literal)});
      if (open == std::string_view::npos) break;
    }
    const size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) throw bad("unclosed placeholder");
    std::string_view name = pattern.substr(open + 1, close - open - 1);
    Part part;
    part.placeholder = true;
    if (name.ends_with('*')) {
      part.spans_slashes = true;
      name.remove_suffix(1);
    }
    if (name.empty() || name.find('{') != std::string_view::npos) throw bad("bad placeholder name");
    if (!parts_.empty() && parts_.back().placeholder) throw bad("two placeholders side by side");
    part.text = std::string(name);
    parts_.push_back(std::move(part));
    pos = close + 1;
  }
}

std::optional<RouteParams> PathPattern::match(std::string_view path) const {
  RouteParams params;
  if (!match_from(0, path, params)) return std::nullopt;
  return params;
}

// Backtracks only at placeholders, and only to where the next literal
// occurs, so a pattern with k placeholders costs O(k * path) finds.
bool PathPattern::match_from(size_t index, std::string_view rest, RouteParams& params) const {
  if (index == parts_.size()) return rest.empty();
  const Part& part = parts_[index];
  if (!part.placeholder) {
    return rest.starts_with(part.text) &&
           match_from(index + 1, rest.substr(part.text.size()), params);
  }
  auto fits = [&](std::string_view value) {
    return part.spans_slashes || value.find('/') == std::string_view::npos;
  };
  if (index + 1 == parts_.size()) {
    if (!fits(rest)) return false;
    params.set(part.text, std::string(rest));
    return true;
  }
  const std::string& next = parts_[index + 1].text;
  for (size_t at = rest.find(next); at != std::string_view::npos; at = rest.find(next, at + 1)) {
    const auto value = rest.substr(0, at);
    if (!fits(value)) return false;  // every later candidate holds the same '/'
    if (match_from(index + 1, rest.substr(at), params)) {
      params.set(part.text, std::string(value));
      return true;
    }
  }
  return false;
}

}  // namespace sluice::http
