#pragma once
// sluice's configuration: built-in defaults, overridden by a TOML file, then
// by command-line flags. config/sluice.example.toml documents every key.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace sluice::config {

using Milliseconds = std::chrono::milliseconds;

// A bad value, with the dotted key it came from ("media.gop_cache_max_bytes").
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& key, const std::string& problem)
      : std::runtime_error(key + ": " + problem), key_(key) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

struct Endpoint {
  std::string host;
  uint16_t port = 0;
  std::string to_string() const { return host + ":" + std::to_string(port); }
  bool operator==(const Endpoint&) const = default;
};

// Parses "ADDR:PORT" ("[::1]:1935" for IPv6), ":PORT" (every interface,
// 0.0.0.0) or "localhost:PORT" (127.0.0.1); throws ConfigError naming `key`.
Endpoint parse_endpoint(const std::string& text, const std::string& key);

struct RtmpConfig {
  Endpoint listen{"0.0.0.0", 1935};
  uint32_t out_chunk_size = 60000;  // large chunks: fewer headers per frame
  uint32_t max_message_size = 8 * 1024 * 1024;
  Milliseconds handshake_timeout{5000};
  Milliseconds idle_timeout{30000};  // a publisher silent this long is dropped
  // Memory a connection may hold in incomplete messages, over all its chunk
  // streams: small until it publishes (commands are at most 64 KiB; a player
  // sends nothing large), room for a few interleaved large frames after.
  uint64_t max_partial_bytes_before_publish = 256 * 1024;
  uint64_t max_partial_bytes = 32 * 1024 * 1024;
  bool operator==(const RtmpConfig&) const = default;
};

struct HttpConfig {
  Endpoint listen{"0.0.0.0", 8080};
  bool operator==(const HttpConfig&) const = default;
};

struct MediaConfig {
  bool gop_cache = true;
  uint64_t gop_cache_max_bytes = 32 * 1024 * 1024;
  Milliseconds play_wait_timeout{10000};
  Milliseconds unpublish_grace{5000};
  // A viewer whose queue spans more media time (or bytes) than this skips to
  // the next keyframe; after max_skips skips within skip_window it is dropped.
  Milliseconds viewer_queue_max{4000};
  uint64_t viewer_queue_max_bytes = 8 * 1024 * 1024;
  uint32_t viewer_max_skips = 3;
  Milliseconds viewer_skip_window{30000};
  // A viewer's writer wakes when this much media is queued (or on stream
  // events): one write per ~100 ms instead of one per frame cuts the
  // per-viewer syscalls several times over, for at most that much latency.
  // 0 writes every frame as it arrives.
  Milliseconds viewer_write_merge{100};
  bool operator==(const MediaConfig&) const = default;
};

struct ApiKey {
  std::string access_key;
  std::string secret_key;
  bool operator==(const ApiKey&) const = default;
};

struct ApiConfig {
  Endpoint listen{"127.0.0.1", 1985};
  std::string region = "cn-north-1";
  // Requests whose X-Date is further than this from the server clock are refused.
  Milliseconds max_clock_skew{15 * 60 * 1000};
  uint32_t max_body_bytes = 64 * 1024;
  Milliseconds idle_timeout{30000};  // a keep-alive connection silent this long is closed
  // API connections at once. Their descriptors are set aside from the media
  // listeners' share, so the API answers even when the media ports are full.
  uint32_t max_connections = 128;
  std::vector<ApiKey> keys;  // empty: a key pair is generated in data_dir
  // Answers to signed write requests kept to answer a repeat of the same
  // request (README, "Replay-safe writes"); when full, new writes get
  // FlowLimitExceeded until kept answers expire.
  uint32_t replay_cache_max_entries = 20000;
  bool operator==(const ApiConfig&) const = default;
};

// HLS on the HTTP listener (README, "HLS"), built in memory per stream.
struct HlsConfig {
  bool enabled = true;
  // A segment is cut at the first keyframe this long after its start.
  Milliseconds target_duration{2000};
  uint32_t window_segments = 7;
  uint64_t window_bytes = 64 * 1024 * 1024;  // per stream
  // A viewer that asks for nothing this long has left (its session ends).
  Milliseconds session_timeout{30000};
  // HLS viewers at once (over all streams); a new one past it gets 503.
  uint32_t max_sessions = 20000;
  // What /{app}/{stream}.m3u8 serves without ?hls=: "ts" (classic, MPEG-TS
  // segments) or "ll" (LL-HLS, fMP4 parts).
  std::string flavour = "ts";
  // LL-HLS: segments are cut at the first keyframe this long after their
  // start, and made of parts of at most part_target.
  Milliseconds ll_target_duration{1000};
  Milliseconds part_target{200};
  // false: every stream is segmented (in `flavour`) from the start of its
  // publish, so the first viewer finds a full window, as SRS and nginx-rtmp
  // do; true: only from its first HLS viewer on (no HLS work for streams
  // nobody watches over HLS, but that first viewer starts on a short window).
  bool on_demand = false;
  bool operator==(const HlsConfig&) const = default;
};

// The Prometheus scrape listener (GET /metrics).
struct MetricsConfig {
  bool enabled = true;  // listen = "" or "off" turns it off
  Endpoint listen{"127.0.0.1", 9385};
  // Streams with their own series (the most watched first); the rest are
  // summed into one series labelled stream="__other__".
  size_t max_stream_labels = 100;
  bool operator==(const MetricsConfig&) const = default;
};

// The metrics listen address: "" or "off" turns the listener off.
void parse_metrics_listen(const std::string& text, const std::string& key, MetricsConfig& out);

// Connections to the media listeners (RTMP and HTTP-FLV together).
struct LimitsConfig {
  // Lowered at start to what the descriptor limit allows after the API's
  // and sluice's own share.
  uint32_t max_connections = 10000;
  // Per client address (IPv6: per /64); 0 = no cap.
  uint32_t max_connections_per_ip = 256;
  // CIDR ranges not capped per address (they still count towards the total).
  std::vector<std::string> per_ip_exempt{"127.0.0.0/8", "::1/128"};
  bool operator==(const LimitsConfig&) const = default;
};

struct VhostConfig {
  std::string name;
  std::vector<std::string> push_domains;
  std::vector<std::string> play_domains;
  // Told of every publish start / end in the vhost (README, "Callbacks"):
  // http:// URLs, each sent its own copy.
  std::vector<std::string> push_callback_urls;
  std::vector<std::string> push_end_callback_urls;

  // Signed-URL keys (README, "Push and play authentication"): a primary and
  // a secondary, either accepted, so a key rotates without downtime. Play
  // auth is on when a play key is set.
  std::string push_key, push_key_secondary;
  std::string play_key, play_key_secondary;
  // Authorization hooks (README, "Authorization hook"): http:// URLs asked
  // before a publish or a play is admitted; empty for none.
  std::string on_publish, on_play;
  // Signs push/push_end callbacks (README, "Callbacks").
  std::string callback_auth_key;
  // The HLS flavour its streams' .m3u8 serves without ?hls=: "ts" or "ll";
  // "" for hls.flavour.
  std::string hls_flavour;
  bool operator==(const VhostConfig&) const = default;
};

// Who may publish without a signed URL.
struct PushAuthConfig {
  // false: a publisher without a signature is let in from anywhere (a
  // signature that is present is still checked).
  bool required = true;
  // CIDR ranges that may publish without a signature.
  std::vector<std::string> trusted{"127.0.0.0/8", "::1/128"};
  bool operator==(const PushAuthConfig&) const = default;
};

// How sluice waits for an authorization hook.
struct HooksConfig {
  Milliseconds timeout{2000};  // for the whole exchange with the receiver
  // true: a hook that gives no usable answer (timeout, unreachable, broken
  // answer) admits the request instead of refusing it.
  bool fail_open = false;
  bool operator==(const HooksConfig&) const = default;
};

// Delivery of the push/push_end callbacks (README, "Callbacks").
struct CallbacksConfig {
  std::chrono::milliseconds timeout{4000};  // one try, answer included
  // Tries under way at once, over every receiver (one per stream at most).
  uint32_t max_in_flight = 32;
  bool operator==(const CallbacksConfig&) const = default;
};

struct Config {
  std::filesystem::path data_dir = "./sluice-data";
  std::string log_level = "info";
  // The start-up banner on stdout (example URLs, which listeners other
  // machines reach); `sluice serve --quiet` turns it off too.
  bool banner = true;
  std::string default_vhost = "__defaultVhost__";
  RtmpConfig rtmp;
  HttpConfig http;
  MediaConfig media;
  ApiConfig api;
  LimitsConfig limits;
  MetricsConfig metrics;
  HlsConfig hls;
  PushAuthConfig push_auth;
  HooksConfig hooks;
  CallbacksConfig callbacks;
  std::vector<VhostConfig> vhosts;

  // The vhost a domain belongs to, or default_vhost for unknown domains.
  std::string vhost_for_domain(const std::string& domain) const;
  // True when `domain` is the vhost's name or one of its push/play domains.
  bool domain_in_vhost(const std::string& domain, const std::string& vhost) const;
  // The [[vhost]] table named `name`, or null (the default vhost, unless
  // configured, has none).
  const VhostConfig* find_vhost(std::string_view name) const;
  // What `vhost`'s .m3u8 serves without ?hls=: its hls_flavour, else hls.flavour.
  const std::string& hls_flavour_of(std::string_view vhost) const;
};

// Reads a TOML file over the defaults; throws ConfigError on a bad key or value.
Config load_file(const std::filesystem::path& path);
// Same, from TOML text (tests).
Config load_string(const std::string& toml_text);

}  // namespace sluice::config
