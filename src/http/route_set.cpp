#include "http/route_set.hpp"

#include <boost/url/parse.hpp>

namespace sluice::http {

RouteSet& RouteSet::add(std::vector<Verb> methods, std::string_view pattern,
                        OrdinaryHandler handler) {
  routes_.push_back({std::move(methods), PathPattern(pattern), std::move(handler)});
  return *this;
}

RouteSet& RouteSet::add(std::vector<Verb> methods, std::string_view pattern,
                        StreamingFactory handler) {
  routes_.push_back({std::move(methods), PathPattern(pattern), std::move(handler)});
  return *this;
}

RouteSet::Match RouteSet::match(Verb method, std::string_view path) const {
  Match result;
  for (const auto& route : routes_) {
    auto params = route.pattern.match(path);
    if (!params) continue;
    for (const Verb allowed : route.methods) {
      if (allowed == method) {
        result.route = &route;
        result.params = std::move(*params);
        result.allow.clear();
        return result;
      }
      const auto name = boost::beast::http::to_string(allowed);
      if (result.allow.find(name) == std::string::npos) {
        if (!result.allow.empty()) result.allow += ", ";
        result.allow += name;
      }
    }
  }
  return result;
}

std::optional<RequestTarget> split_target(std::string_view target, bool strict) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  if (strict) {
    auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) return std::nullopt;
    const std::string_view query = parsed->encoded_query();
    return RequestTarget{std::string(parsed->path()), query};
  }
  const auto q = target.find('?');
  RequestTarget raw{std::string(target.substr(0, q)), {}};
  if (q != std::string_view::npos) raw.query = target.substr(q + 1);
  return raw;
}

}  // namespace sluice::http
