#include "media/stream_name.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <cctype>

#include "base/untrusted_text.hpp"
#include "base/url_parts.hpp"
#include "media/domain_name.hpp"

namespace sluice::media {
namespace {

bool valid_name(std::string_view s, size_t max_length) {
  if (s.empty() || s.size() > max_length || s == "." || s == "..") return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

void merge_missing(QueryParams& into, const QueryParams& from) {
  for (const auto& [k, v] : from) into.emplace(k, v);
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

// Names are lower-cased on the way in, configured ones may not be.
bool configured(std::string_view name, const config::Config& config) {
  auto is = [name](std::string_view known) { return same_ignoring_case(name, known); };
  if (is(config.default_vhost)) return true;
  return std::any_of(config.vhosts.begin(), config.vhosts.end(), [&](const auto& v) {
    return is(v.name) || std::any_of(v.push_domains.begin(), v.push_domains.end(), is) ||
           std::any_of(v.play_domains.begin(), v.play_domains.end(), is);
  });
}

std::string in_quotes(std::string_view untrusted) {
  return "'" + printable(untrusted) + "'";
}

Resolution refused(std::string why) {
  return {std::nullopt, std::move(why)};
}

}  // namespace

NameAndQuery split_name(std::string_view text) {
  NameAndQuery out;
  auto q = text.find('?');
  out.name = std::string(text.substr(0, q));
  if (q == std::string_view::npos) return out;
  // Boost.URL 1.81's parse_query measures the query it returns with strlen,
  // so it gets a NUL-terminated copy: given a view into a longer buffer it
  // would read (and take parameters from) past the view's end.
  const std::string query(text.substr(q + 1));
  auto parsed = boost::urls::parse_query(query);
  if (!parsed) return out;
  for (auto param : *parsed) {
    out.params.emplace(param.key.decode(), param.has_value ? param.value.decode() : std::string());
  }
  return out;
}

ConnectTarget parse_connect(std::string_view app_field, std::string_view tc_url) {
  ConnectTarget t;
  auto app = split_name(app_field);
  t.app = app.name;
  // Some clients put the whole path, "live/sub", in app; keep it as named.
  while (!t.app.empty() && t.app.back() == '/') t.app.pop_back();
  t.params = std::move(app.params);
  // parse_url_parts, not Boost.URL's parse_uri: 1.81 reads the host of
  // "rtmp://10.0.0.5.nip.io/live" as 10.0.0.5 (base/url_parts.hpp).
  if (auto url = parse_url_parts(std::string(tc_url))) {
    t.host = lower(url->host);
    // Not Boost.URL's params(): 1.81's iterator runs off the end of an
    // empty query followed by a fragment ("rtmp://host/live?#x"), a crash
    // any client could cause with its connect command.
    if (url->has_query) merge_missing(t.params, split_name("?" + url->encoded_query).params);
  }
  return t;
}

Resolution resolve(const ConnectTarget& target, std::string_view stream_field,
                   const config::Config& config) {
  auto stream = split_name(stream_field);
  if (!valid_app_name(target.app))
    return refused("invalid app name " + in_quotes(target.app) + " (" + std::string(kAppNameRule) +
                   ")");
  if (!valid_stream_name(stream.name))
    return refused("invalid stream name " + in_quotes(stream.name) + " (" +
                   std::string(kStreamNameRule) + ")");
  if (!target.host.empty() && !acceptable_domain(target.host, config, true))
    return refused("invalid host " + in_quotes(target.host) + " (a DNS name or an IP address)");
  QueryParams params = stream.params;  // the stream name's parameters win
  merge_missing(params, target.params);

  ResolvedStream r;
  r.key.app = target.app;
  r.key.stream = stream.name;
  r.domain = target.host;
  if (auto d = params.find("domain"); d != params.end() && !d->second.empty()) {
    r.domain = lower(d->second);
    if (!acceptable_domain(r.domain, config, false))
      return refused("invalid domain " + in_quotes(d->second) + " (a DNS name: at most 253 " +
                     "characters, labels of 1-63 of A-Z a-z 0-9 -)");
  }
  if (auto v = params.find("vhost"); v != params.end() && !v->second.empty()) {
    const std::string vhost = lower(v->second);
    if (!acceptable_domain(vhost, config, false))
      return refused("invalid vhost " + in_quotes(v->second) +
                     " (a configured vhost or a DNS name)");
    r.key.vhost = config.vhost_for_domain(vhost);  // a vhost name or one of its domains
  } else {
    r.key.vhost = config.vhost_for_domain(r.domain);
  }
  r.params = std::move(params);
  return {std::move(r), {}};
}

bool valid_app_name(std::string_view app) {
  return valid_name(app, 30);
}
bool valid_stream_name(std::string_view stream) {
  return valid_name(stream, 100);
}

bool acceptable_domain(std::string_view domain, const config::Config& config, bool ip_allowed) {
  if (valid_dns_name(domain) || (ip_allowed && is_ip_literal(domain))) return true;
  return domain.size() <= 253 && configured(domain, config);
}

}  // namespace sluice::media
