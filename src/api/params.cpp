#include "api/params.hpp"

#include <boost/json/parse.hpp>
#include <charconv>

#include "api/api_error.hpp"
#include "base/untrusted_text.hpp"
#include "media/stream_name.hpp"

namespace sluice::api {

Params Params::from_request(const ApiRequest& request) {
  Params p;
  for (const auto& [k, v] : request.query) {
    if (k != "Action" && k != "Version" && !v.empty()) p.values_[k] = v;
  }
  if (request.body.empty()) return p;
  boost::system::error_code ec;
  auto json = boost::json::parse(request.body, ec);
  if (ec || !json.is_object()) {
    // GET actions send a form body at most; only a POST body must be JSON.
    if (request.method == "POST")
      throw ApiError::invalid_param("Body", "the request body must be a JSON object");
    return p;
  }
  for (const auto& [key, value] : json.as_object()) {
    std::string name(key);
    if (value.is_string()) {
      if (!value.as_string().empty()) p.values_[name] = std::string(value.as_string());
    } else if (value.is_int64()) {
      p.values_[name] = std::to_string(value.as_int64());
    } else if (value.is_uint64()) {
      p.values_[name] = std::to_string(value.as_uint64());
    } else if (value.is_bool()) {
      p.values_[name] = value.as_bool() ? "true" : "false";
    } else if (!value.is_null()) {
      // The key is the client's, not one of ours: escaped and cut.
      const std::string shown = printable(name);
      throw ApiError::invalid_param(shown, shown + " must be a string or an integer");
    }
  }
  return p;
}

std::optional<std::string> Params::text(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Params::required_text(const std::string& name) const {
  auto v = text(name);
  if (!v) throw ApiError::invalid_param(name, name + " is required");
  return *v;
}

std::optional<int64_t> Params::integer(const std::string& name, int64_t min, int64_t max) const {
  auto v = text(name);
  if (!v) return std::nullopt;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size()) {
    throw ApiError::invalid_param(name, name + " must be an integer");
  }
  if (n < min || n > max) {
    throw ApiError::invalid_param(
        name, name + " must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return n;
}

int64_t Params::required_integer(const std::string& name, int64_t min, int64_t max) const {
  auto v = integer(name, min, max);
  if (!v) throw ApiError::invalid_param(name, name + " is required");
  return *v;
}

std::optional<WallTime> Params::time(const std::string& name) const {
  auto v = text(name);
  if (!v) return std::nullopt;
  auto t = parse_rfc3339(*v);
  if (!t) {
    throw ApiError::invalid_param(name,
                                  name +
                                      " must be an RFC 3339 time from 0001-01-01T00:00:00Z "
                                      "to 9999-12-31T23:59:59Z, such as 2024-01-01T00:00:00Z");
  }
  return t;
}

WallTime Params::required_time(const std::string& name) const {
  auto t = time(name);
  if (!t) throw ApiError::invalid_param(name, name + " is required");
  return *t;
}

std::optional<std::string> Params::optional_choice(
    const std::string& name, std::initializer_list<const char*> allowed) const {
  auto v = text(name);
  if (!v) return std::nullopt;
  std::string list;
  for (const char* a : allowed) {
    if (*v == a) return v;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  throw ApiError::invalid_param(name, name + " must be one of " + list);
}

std::string Params::choice(const std::string& name, std::initializer_list<const char*> allowed,
                           const char* fallback) const {
  return optional_choice(name, allowed).value_or(fallback);
}

std::optional<std::string> Params::app(bool required) const {
  auto v = required ? std::optional(required_text("App")) : text("App");
  if (v && !media::valid_app_name(*v)) {
    throw ApiError::invalid_param("App", "App must be " + std::string(media::kAppNameRule));
  }
  return v;
}

std::optional<std::string> Params::stream(bool required) const {
  auto v = required ? std::optional(required_text("Stream")) : text("Stream");
  if (v && !media::valid_stream_name(*v)) {
    throw ApiError::invalid_param("Stream",
                                  "Stream must be " + std::string(media::kStreamNameRule));
  }
  return v;
}

std::optional<std::string> Params::filter(const std::string& name, size_t max_length) const {
  auto v = text(name);
  if (v && v->size() > max_length) {
    throw ApiError::invalid_param(
        name, name + " must be at most " + std::to_string(max_length) + " characters");
  }
  return v;
}

}  // namespace sluice::api
