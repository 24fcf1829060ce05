#include "base/url_parts.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>

namespace sluice {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// From the digits: Boost.URL 1.81's port_number() wraps 99999 into 16 bits.
std::optional<int> port_number(const std::string& digits) {
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const int port = std::stoi(digits);
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

// The authority alone; when Boost.URL 1.81 refuses a name such as
// "127.0.0.1.example.com", it is parsed again behind one letter, which keeps
// a name a name and an invalid authority invalid.
bool parse_authority_into(const std::string& authority, UrlParts& out) {
  size_t letters = 0;
  std::string lettered;
  auto parsed = boost::urls::parse_authority(authority);
  if (!parsed) {
    lettered.reserve(authority.size() + 1);
    lettered.push_back('x');
    lettered.append(authority);
    letters = 1;
    parsed = boost::urls::parse_authority(lettered);
    if (!parsed || parsed->host_type() != boost::urls::host_type::name) return false;
  }
  out.has_userinfo = parsed->has_userinfo();
  out.host_is_address = parsed->host_type() != boost::urls::host_type::name &&
                        parsed->host_type() != boost::urls::host_type::none;
  out.host =
      out.host_is_address ? std::string(parsed->host_address()) : std::string(parsed->host());
  out.host.erase(0, letters);
  out.host_and_port = std::string(parsed->encoded_host_and_port());
  out.host_and_port.erase(0, letters);
  out.has_port = parsed->has_port();
  out.port = std::string(parsed->port());
  out.port_number = port_number(out.port);
  return true;
}

}  // namespace

std::optional<UrlParts> parse_url_parts(const std::string& text) {
  const auto sep = text.find("://");
  if (sep == std::string::npos || sep == 0) return std::nullopt;
  const auto authority_end = text.find_first_of("/?#", sep + 3);
  const std::string authority = text.substr(
      sep + 3, authority_end == std::string::npos ? std::string::npos : authority_end - (sep + 3));
  UrlParts out;
  if (!parse_authority_into(authority, out)) return std::nullopt;

  // The rest behind a stand-in host that Boost.URL cannot misread.
  const std::string rest = authority_end == std::string::npos ? "" : text.substr(authority_end);
  const std::string stand_in = text.substr(0, sep) + "://h" + rest;
  auto url = boost::urls::parse_uri(stand_in);
  if (!url) return std::nullopt;
  out.scheme = lower(std::string(url->scheme()));
  out.encoded_path = std::string(url->encoded_path());
  for (auto segment : url->encoded_segments()) out.encoded_segments.emplace_back(segment);
  for (auto segment : url->segments()) out.segments.push_back(segment);
  out.has_query = url->has_query();
  out.encoded_query = std::string(url->encoded_query());
  out.has_fragment = url->has_fragment();
  return out;
}

std::optional<std::string> plain_http_url_problem(const std::string& url) {
  const auto parts = parse_url_parts(url);
  if (!parts) return "not an absolute URL";
  if (parts->scheme != "http") return "only http:// URLs are supported";
  if (parts->host.empty()) return "no host";
  if (parts->has_userinfo) return "user:password@ is not supported";
  if (parts->has_port && !parts->port_number) return "bad port";
  if (parts->has_fragment) return "a #fragment is not sent to a server";
  return std::nullopt;
}

}  // namespace sluice
