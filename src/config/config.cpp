#include "config/config.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "base/address_range.hpp"
#include "base/untrusted_text.hpp"
#include "base/url_parts.hpp"

namespace sluice::config {
namespace {

// Walks one TOML table, remembering which keys were read so that a key
// nobody reads (a typo) is reported instead of silently ignored.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix)
      : table_(table), prefix_(std::move(prefix)) {}

  std::string key(std::string_view name) const {
    return prefix_.empty() ? std::string(name) : prefix_ + "." + std::string(name);
  }

  template <typename T>
  void integer(std::string_view name, T& out, int64_t min, int64_t max) {
    const toml::node* node = take(name);
    if (!node) return;
    // Checked before any conversion: toml++ converts a float such as 1e36 to
    // an integer with undefined behaviour (found by fuzz_config).
    const auto* integer_node = node->as_integer();
    if (!integer_node) throw ConfigError(key(name), "expected an integer");
    const int64_t v = integer_node->get();
    if (v < min || v > max) {
      throw ConfigError(key(name),
                        "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    out = static_cast<T>(v);
  }

  void millis(std::string_view name, Milliseconds& out, int64_t min, int64_t max) {
    int64_t ms = out.count();
    integer(name, ms, min, max);
    out = Milliseconds(ms);
  }

  void boolean(std::string_view name, bool& out) {
    const toml::node* node = take(name);
    if (!node) return;
    if (!node->is_boolean()) throw ConfigError(key(name), "expected true or false");
    out = *node->value<bool>();
  }

  void string(std::string_view name, std::string& out) {
    const toml::node* node = take(name);
    if (!node) return;
    if (!node->is_string()) throw ConfigError(key(name), "expected a string");
    out = *node->value<std::string>();
  }

  void strings(std::string_view name, std::vector<std::string>& out) {
    const toml::node* node = take(name);
    if (!node) return;
    const toml::array* arr = node->as_array();
    if (!arr) throw ConfigError(key(name), "expected an array of strings");
    out.clear();
    for (const auto& item : *arr) {
      if (!item.is_string()) throw ConfigError(key(name), "expected an array of strings");
      out.push_back(*item.value<std::string>());
    }
  }

  void endpoint(std::string_view name, Endpoint& out) {
    std::string text;
    string(name, text);
    if (!text.empty()) out = parse_endpoint(text, key(name));
  }

  const toml::table* table(std::string_view name) {
    const toml::node* node = take(name);
    if (!node) return nullptr;
    if (!node->is_table()) throw ConfigError(key(name), "expected a table");
    return node->as_table();
  }

  const toml::array* array_of_tables(std::string_view name) {
    const toml::node* node = take(name);
    if (!node) return nullptr;
    if (!node->is_array_of_tables())
      throw ConfigError(key(name), "expected [[" + key(name) + "]] tables");
    return node->as_array();
  }

  void reject_unknown() const {
    for (const auto& [k, v] : table_) {
      if (!seen_.contains(std::string(k.str()))) throw ConfigError(key(k.str()), "unknown key");
    }
  }

 private:
  const toml::node* take(std::string_view name) {
    seen_.insert(std::string(name));
    return table_.get(name);
  }

  const toml::table& table_;
  std::string prefix_;
  std::set<std::string> seen_;
};

constexpr int64_t kHour = 3600 * 1000;

void read_rtmp(TableReader& t, RtmpConfig& c) {
  t.endpoint("listen", c.listen);
  t.integer("chunk_size", c.out_chunk_size, 128, 16 * 1024 * 1024);
  t.integer("max_message_size", c.max_message_size, 1024, 16 * 1024 * 1024);
  t.millis("handshake_timeout_ms", c.handshake_timeout, 100, kHour);
  t.millis("idle_timeout_ms", c.idle_timeout, 100, kHour);
  t.integer("max_partial_bytes_before_publish", c.max_partial_bytes_before_publish, 64 * 1024,
            int64_t{1} << 32);
  t.integer("max_partial_bytes", c.max_partial_bytes, 64 * 1024, int64_t{1} << 34);
  // Below one whole message, a publisher's largest allowed frame could never arrive.
  if (c.max_partial_bytes < c.max_message_size)
    throw ConfigError(t.key("max_partial_bytes"), "must be at least rtmp.max_message_size");
}

void read_media(TableReader& t, MediaConfig& c) {
  t.boolean("gop_cache", c.gop_cache);
  t.integer("gop_cache_max_bytes", c.gop_cache_max_bytes, 64 * 1024, int64_t{1} << 32);
  t.millis("play_wait_timeout_ms", c.play_wait_timeout, 0, kHour);
  t.millis("unpublish_grace_ms", c.unpublish_grace, 0, kHour);
  t.millis("viewer_queue_max_ms", c.viewer_queue_max, 100, 10 * 60 * 1000);
  t.integer("viewer_queue_max_bytes", c.viewer_queue_max_bytes, 64 * 1024, int64_t{1} << 32);
  t.integer("viewer_max_skips", c.viewer_max_skips, 0, 1000);
  t.millis("viewer_skip_window_ms", c.viewer_skip_window, 100, kHour);
  t.millis("viewer_write_merge_ms", c.viewer_write_merge, 0, 1000);
}

void read_hls(TableReader& t, HlsConfig& c) {
  t.boolean("enabled", c.enabled);
  t.millis("target_duration_ms", c.target_duration, 500, 60 * 1000);
  t.integer("window_segments", c.window_segments, 3, 100);
  t.integer("window_bytes", c.window_bytes, 1024 * 1024, int64_t{1} << 32);
  t.millis("session_timeout_ms", c.session_timeout, 5000, kHour);
  t.boolean("on_demand", c.on_demand);
  t.integer("max_sessions", c.max_sessions, 1, 1000000);
  t.string("flavour", c.flavour);
  if (c.flavour != "ts" && c.flavour != "ll")
    throw ConfigError(t.key("flavour"), "must be ts or ll");
  t.millis("ll_target_duration_ms", c.ll_target_duration, 500, 60 * 1000);
  t.millis("part_target_ms", c.part_target, 100, 5000);
  if (c.part_target > c.ll_target_duration)
    throw ConfigError(t.key("part_target_ms"), "must not exceed ll_target_duration_ms");
}

void read_api(TableReader& t, ApiConfig& c) {
  t.endpoint("listen", c.listen);
  t.string("region", c.region);
  if (c.region.empty()) throw ConfigError(t.key("region"), "must not be empty");
  t.millis("max_clock_skew_ms", c.max_clock_skew, 1000, 24 * kHour);
  t.integer("max_body_bytes", c.max_body_bytes, 1024, 16 * 1024 * 1024);
  t.millis("idle_timeout_ms", c.idle_timeout, 100, kHour);
  t.integer("replay_cache_max_entries", c.replay_cache_max_entries, 1, 10'000'000);
  t.integer("max_connections", c.max_connections, 1, 100000);
  if (const auto* keys = t.array_of_tables("keys")) {
    size_t index = 0;
    for (const auto& node : *keys) {
      TableReader k(*node.as_table(), t.key("keys") + "[" + std::to_string(index++) + "]");
      ApiKey key;
      k.string("access_key", key.access_key);
      k.string("secret_key", key.secret_key);
      if (key.access_key.empty()) throw ConfigError(k.key("access_key"), "must not be empty");
      if (key.secret_key.size() < 16)
        throw ConfigError(k.key("secret_key"), "must be at least 16 characters");
      k.reject_unknown();
      c.keys.push_back(std::move(key));
    }
  }
}

void read_metrics(TableReader& t, MetricsConfig& c) {
  std::string listen = c.listen.to_string();
  t.string("listen", listen);
  parse_metrics_listen(listen, t.key("listen"), c);
  t.integer("max_stream_labels", c.max_stream_labels, 0, 100'000);
}

void read_limits(TableReader& t, LimitsConfig& c) {
  t.integer("max_connections", c.max_connections, 1, 10'000'000);
  t.integer("max_connections_per_ip", c.max_connections_per_ip, 0, 10'000'000);
  t.strings("per_ip_exempt", c.per_ip_exempt);
  for (const auto& range : c.per_ip_exempt) {
    if (!AddressRange::parse(range))
      throw ConfigError(t.key("per_ip_exempt"),
                        "\"" + range + "\" is not an address or CIDR range (\"10.0.0.0/8\")");
  }
}

void read_push_auth(TableReader& t, PushAuthConfig& c) {
  t.boolean("required", c.required);
  t.strings("trusted", c.trusted);
  for (const auto& range : c.trusted) {
    if (!AddressRange::parse(range))
      throw ConfigError(t.key("trusted"),
                        "\"" + range + "\" is not an address or CIDR range (\"10.0.0.0/8\")");
  }
}

void read_hooks(TableReader& t, HooksConfig& c) {
  t.millis("timeout", c.timeout, 100, 60 * 1000);
  t.boolean("fail_open", c.fail_open);
}

void read_callbacks(TableReader& t, CallbacksConfig& c) {
  t.millis("timeout", c.timeout, 100, 60'000);
  t.integer("max_in_flight", c.max_in_flight, 1, 10'000);
}

// A domain (a vhost's name, a push or a play domain) belongs to one vhost:
// with two, which one a publisher lands in would depend on the file's order.
void refuse_shared_domains(const std::vector<VhostConfig>& vhosts) {
  std::map<std::string, size_t> owner;  // domain -> index of the vhost claiming it
  for (size_t index = 0; index < vhosts.size(); ++index) {
    const auto& v = vhosts[index];
    auto claim = [&](const std::string& domain) {
      auto [it, inserted] = owner.emplace(domain, index);
      if (inserted || it->second == index) return;
      const auto& first = vhosts[it->second];
      throw ConfigError("vhost[" + std::to_string(index) + "]",
                        "domain \"" + domain + "\" is claimed by two vhosts: \"" + first.name +
                            "\" (vhost[" + std::to_string(it->second) + "]) and \"" + v.name +
                            "\" (vhost[" + std::to_string(index) + "])");
    };
    claim(v.name);
    for (const auto& d : v.push_domains) claim(d);
    for (const auto& d : v.play_domains) claim(d);
  }
}

// Refused here rather than at the first publish: a callback the delivery
// worker cannot send would be retried for nothing.
void read_callback_urls(TableReader& t, std::string_view name, std::vector<std::string>& out) {
  t.strings(name, out);
  for (const auto& url : out) {
    if (auto problem = plain_http_url_problem(url))
      throw ConfigError(t.key(name), "\"" + printable(url) + "\": " + *problem);
  }
}

// An authorization hook's URL (on_publish, on_play); "" for none.
void read_hook_url(TableReader& t, std::string_view name, std::string& out) {
  t.string(name, out);
  if (out.empty()) return;
  if (auto problem = plain_http_url_problem(out))
    throw ConfigError(t.key(name), "\"" + printable(out, 256) + "\": " + *problem +
                                       " (expected http://host[:port]/path)");
}

void read_vhosts(const toml::array& tables, std::vector<VhostConfig>& out) {
  size_t index = 0;
  for (const auto& node : tables) {
    TableReader t(*node.as_table(), "vhost[" + std::to_string(index++) + "]");
    VhostConfig v;
    t.string("name", v.name);
    if (v.name.empty()) throw ConfigError(t.key("name"), "a vhost needs a name");
    t.strings("push_domains", v.push_domains);
    t.strings("play_domains", v.play_domains);
    read_callback_urls(t, "push_callback_urls", v.push_callback_urls);
    read_callback_urls(t, "push_end_callback_urls", v.push_end_callback_urls);

    t.string("push_key", v.push_key);
    t.string("push_key_secondary", v.push_key_secondary);
    t.string("play_key", v.play_key);
    t.string("play_key_secondary", v.play_key_secondary);
    read_hook_url(t, "on_publish", v.on_publish);
    read_hook_url(t, "on_play", v.on_play);
    t.string("callback_auth_key", v.callback_auth_key);
    t.string("hls_flavour", v.hls_flavour);
    if (!v.hls_flavour.empty() && v.hls_flavour != "ts" && v.hls_flavour != "ll")
      throw ConfigError(t.key("hls_flavour"), "must be ts or ll");
    t.reject_unknown();
    out.push_back(std::move(v));
  }
  refuse_shared_domains(out);
}

Config from_table(const toml::table& root) {
  Config c;
  TableReader t(root, "");
  std::string data_dir = c.data_dir.string();
  t.string("data_dir", data_dir);
  c.data_dir = data_dir;
  t.string("log_level", c.log_level);
  t.boolean("banner", c.banner);
  t.string("default_vhost", c.default_vhost);
  if (const auto* rtmp = t.table("rtmp")) {
    TableReader r(*rtmp, "rtmp");
    read_rtmp(r, c.rtmp);
    r.reject_unknown();
  }
  if (const auto* http = t.table("http")) {
    TableReader h(*http, "http");
    h.endpoint("listen", c.http.listen);
    h.reject_unknown();
  }
  if (const auto* media = t.table("media")) {
    TableReader m(*media, "media");
    read_media(m, c.media);
    m.reject_unknown();
  }
  if (const auto* limits = t.table("limits")) {
    TableReader l(*limits, "limits");
    read_limits(l, c.limits);
    l.reject_unknown();
  }
  if (const auto* metrics = t.table("metrics")) {
    TableReader m(*metrics, "metrics");
    read_metrics(m, c.metrics);
    m.reject_unknown();
  }
  if (const auto* hls = t.table("hls")) {
    TableReader h(*hls, "hls");
    read_hls(h, c.hls);
    h.reject_unknown();
  }
  if (const auto* push_auth = t.table("push_auth")) {
    TableReader p(*push_auth, "push_auth");
    read_push_auth(p, c.push_auth);
    p.reject_unknown();
  }
  if (const auto* hooks = t.table("hooks")) {
    TableReader h(*hooks, "hooks");
    read_hooks(h, c.hooks);
    h.reject_unknown();
  }
  if (const auto* callbacks = t.table("callbacks")) {
    TableReader cb(*callbacks, "callbacks");
    read_callbacks(cb, c.callbacks);
    cb.reject_unknown();
  }
  if (const auto* vhosts = t.array_of_tables("vhost")) read_vhosts(*vhosts, c.vhosts);
  if (const auto* api = t.table("api")) {
    TableReader a(*api, "api");
    read_api(a, c.api);
    a.reject_unknown();
  }
  t.reject_unknown();
  return c;
}

Config parse(const std::string& text, const std::string& source) {
  try {
    return from_table(toml::parse(text, source));
  } catch (const toml::parse_error& e) {
    throw ConfigError(
        source, std::string(e.description()) + " at line " + std::to_string(e.source().begin.line));
  }
}

}  // namespace

Endpoint parse_endpoint(const std::string& text, const std::string& key) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos)
    throw ConfigError(key, "expected ADDR:PORT, :PORT or localhost:PORT, got \"" + text + "\"");
  Endpoint e;
  e.host = text.substr(0, colon);
  // ":PORT" is every interface (as in nginx and Go), "localhost" the IPv4
  // loopback: the listener binds one address, and 127.0.0.1 is the one
  // every local client tries.
  if (e.host.empty()) e.host = "0.0.0.0";
  if (e.host == "localhost") e.host = "127.0.0.1";
  if (e.host.size() >= 2 && e.host.front() == '[' && e.host.back() == ']')
    e.host = e.host.substr(1, e.host.size() - 2);
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    throw ConfigError(key, "invalid port in \"" + text + "\"");
  }
  e.port = static_cast<uint16_t>(value);
  return e;
}

void parse_metrics_listen(const std::string& text, const std::string& key, MetricsConfig& out) {
  if (text.empty() || text == "off") {
    out.enabled = false;
    return;
  }
  out.listen = parse_endpoint(text, key);
  out.enabled = true;
}

const VhostConfig* Config::find_vhost(std::string_view name) const {
  auto it = std::find_if(vhosts.begin(), vhosts.end(),
                         [&](const VhostConfig& v) { return v.name == name; });
  return it == vhosts.end() ? nullptr : &*it;
}

const std::string& Config::hls_flavour_of(std::string_view vhost) const {
  const auto* v = find_vhost(vhost);
  return v && !v->hls_flavour.empty() ? v->hls_flavour : hls.flavour;
}

std::string Config::vhost_for_domain(const std::string& domain) const {
  for (const auto& v : vhosts) {
    auto has = [&](const std::vector<std::string>& list) {
      return std::find(list.begin(), list.end(), domain) != list.end();
    };
    if (v.name == domain || has(v.push_domains) || has(v.play_domains)) return v.name;
  }
  return default_vhost;
}

bool Config::domain_in_vhost(const std::string& domain, const std::string& vhost) const {
  return vhost_for_domain(domain) == vhost;
}

Config load_string(const std::string& toml_text) {
  return parse(toml_text, "config");
}

Config load_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path.string(), "cannot read the file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path.string());
}

}  // namespace sluice::config
