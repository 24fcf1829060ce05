#pragma once
// A URL taken apart with Boost.URL, working around Boost.URL 1.81 taking a
// host name that starts like an IPv4 address ("127.0.0.1.example.com",
// "10.0.0.5.nip.io") for that address followed by a path.
#include <optional>
#include <string>
#include <vector>

namespace sluice {

struct UrlParts {
  std::string scheme;  // lower-cased
  std::string host;    // as written; an IPv6 address without its brackets
  bool host_is_address = false;
  bool has_userinfo = false;
  bool has_port = false;
  std::string port;                // as written ("" for "host:")
  std::optional<int> port_number;  // 1-65535, when `port` is one
  std::string host_and_port;       // as written, brackets kept: "[::1]:1985"
  std::string encoded_path;
  std::vector<std::string> encoded_segments;
  std::vector<std::string> segments;  // percent-decoded
  bool has_query = false;
  std::string encoded_query;
  bool has_fragment = false;
};

// nullopt when `text` is not scheme://authority[/path][?query][#fragment].
std::optional<UrlParts> parse_url_parts(const std::string& text);

// Why `url` is not one sluice's HTTP client (hooks, callbacks) can POST to:
// plain http://host[:port]/path[?query], no user:password@, no #fragment.
// nullopt when it is. Config checks with it at load, the sender before
// connecting: one rule, so a URL config accepted is one the sender takes.
std::optional<std::string> plain_http_url_problem(const std::string& url);

}  // namespace sluice
