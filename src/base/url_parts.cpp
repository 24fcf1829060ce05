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
  if (out.has_port && parsed->port_number() != 0) out.port_number = parsed->port_number();
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

}  // namespace sluice
