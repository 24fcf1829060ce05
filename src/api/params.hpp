#pragma once
// An action's parameters, from the query string (GET actions) and the JSON
// body (POST actions) alike, with validation that names the field and the
// rule in an InvalidParam.<Field> error. Empty values ("Key=") mean "not
// given", as the SDKs send them.
#include <boost/json/object.hpp>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>

#include "api/api_request.hpp"
#include "base/rfc3339.hpp"

namespace sluice::api {

class Params {
 public:
  // Throws InvalidParam.Body when a POST body is not a JSON object.
  static Params from_request(const ApiRequest& request);

  std::optional<std::string> text(const std::string& name) const;
  std::string required_text(const std::string& name) const;
  std::optional<int64_t> integer(const std::string& name, int64_t min, int64_t max) const;
  int64_t required_integer(const std::string& name, int64_t min, int64_t max) const;
  std::optional<WallTime> time(const std::string& name) const;
  WallTime required_time(const std::string& name) const;
  // One of `allowed`, or `fallback` when not given.
  std::string choice(const std::string& name, std::initializer_list<const char*> allowed,
                     const char* fallback) const;
  std::optional<std::string> optional_choice(const std::string& name,
                                             std::initializer_list<const char*> allowed) const;
  // App and Stream names by Volcengine's rules (1-30 / 1-100 of A-Z a-z 0-9 _ - .,
  // not . or ..).
  std::optional<std::string> app(bool required) const;
  std::optional<std::string> stream(bool required) const;
  // A filter value only needs a sane length: a name outside the naming
  // rules simply matches nothing (and fuzzy search takes any substring).
  std::optional<std::string> filter(const std::string& name, size_t max_length) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace sluice::api
