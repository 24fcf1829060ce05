#pragma once
// sluice's C++ SDK: Volcengine Live OpenAPI (Version 2023-01-01) stream
// management, for sluice and for the real cloud endpoint alike.
//
//   sluice::LiveService live("127.0.0.1:1985", ak, sk);
//   live.set_scheme("http");
//   auto state = live.describe_live_stream_state(
//       {.vhost = "__defaultVhost__", .app = "live", .stream = "cam1"});
//
// Every method throws sluice::LiveError on failure; error.kind() tells an API
// answer (with Code, CodeN, Message, RequestId, HTTP status) from a network
// failure, an unreadable response or a mistake in the call itself.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sluice {

class LiveError : public std::runtime_error {
 public:
  enum class Kind {
    kApi,              // the service answered with an error envelope (see code())
    kNetwork,          // no answer: connect failed, timeout, TLS error...
    kResponse,         // an answer that is not a Volcengine envelope
    kInvalidArgument,  // nothing was sent: bad scheme, method, params JSON, CA file
  };
  LiveError(Kind kind, std::string message, int http_status = 0, std::string code = {},
            int code_n = 0, std::string request_id = {})
      : std::runtime_error(message),
        kind_(kind),
        http_status_(http_status),
        code_(std::move(code)),
        code_n_(code_n),
        request_id_(std::move(request_id)),
        message_(std::move(message)) {}

  Kind kind() const { return kind_; }
  int http_status() const { return http_status_; }  // 0 when there was no answer
  // e.g. "NotFound.Stream", "SignatureDoesNotMatch"
  const std::string& code() const { return code_; }
  int code_n() const { return code_n_; }
  const std::string& request_id() const { return request_id_; }
  const std::string& message() const { return message_; }

 private:
  Kind kind_;
  int http_status_;
  std::string code_;
  int code_n_;
  std::string request_id_;
  std::string message_;
};

struct ResponseMetadata {
  std::string request_id;
  std::string action;
  std::string version;
  std::string service;
  std::string region;
};

// Request members all have initializers, so that designated initializers
// naming only some of them ({.app = ..., .stream = ...}) compile without
// -Wmissing-field-initializers warnings (GCC, -Wextra).

// ---- DescribeLiveStreamInfoByPage (online streams) ----
struct DescribeLiveStreamInfoByPageRequest {
  int64_t page_num = 1;
  int64_t page_size = 10;
  std::optional<std::string> vhost{};
  std::optional<std::string> domain{};
  std::optional<std::string> app{};
  std::optional<std::string> stream{};
  std::optional<std::string> stream_type{};  // origin | trans
  std::optional<std::string> source_type{};  // push | relay
  std::optional<std::string> query_type{};   // strict | fuzzy
};
struct LiveStreamInfo {
  int64_t id = 0;
  std::string vhost, domain, app, stream;
  std::string session_start_time;  // RFC 3339, UTC
  std::string source_type;
};
struct DescribeLiveStreamInfoByPageResponse {
  ResponseMetadata metadata;
  int64_t rough_count = 0;
  std::vector<LiveStreamInfo> stream_info_list;
};

// ---- DescribeClosedStreamInfoByPage (history) ----
struct DescribeClosedStreamInfoByPageRequest {
  int64_t page_num = 1;
  int64_t page_size = 10;
  std::string end_time_from{};  // RFC 3339, required
  std::string end_time_to{};    // RFC 3339, required
  std::optional<std::string> vhost{};
  std::optional<std::string> domain{};
  std::optional<std::string> app{};
  std::optional<std::string> stream{};
  std::optional<std::string> sort{};  // asc | desc
  std::optional<std::string> source_type{};
  std::optional<std::string> query_type{};
};
struct ClosedStreamInfo {
  std::string vhost, domain, app, stream;
  std::string start_time, end_time;  // RFC 3339, UTC
  std::string source_type;
  std::optional<std::string> end_reason;  // sluice extension
  std::optional<int64_t> bytes_in;        // sluice extension
};
struct DescribeClosedStreamInfoByPageResponse {
  ResponseMetadata metadata;
  int64_t rough_count = 0;
  std::vector<ClosedStreamInfo> stream_info_list;
};

// ---- DescribeForbiddenStreamInfoByPage ----
struct DescribeForbiddenStreamInfoByPageRequest {
  int64_t page_num = 1;
  int64_t page_size = 10;
  std::optional<std::string> vhost{};
  std::optional<std::string> domain{};
  std::optional<std::string> app{};
  std::optional<std::string> stream{};
  std::optional<std::string> sort{};
  std::optional<std::string> query_type{};
};
struct ForbiddenStreamInfo {
  std::string vhost, domain, app, stream;
  std::string create_time, end_time;  // RFC 3339, UTC
  bool status = false;
};
struct DescribeForbiddenStreamInfoByPageResponse {
  ResponseMetadata metadata;
  int64_t rough_count = 0;
  std::vector<ForbiddenStreamInfo> stream_info_list;
};

// ---- KillStream / ForbidStream / ResumeStream (no Result) ----
struct KillStreamRequest {
  std::optional<std::string> vhost{};
  std::optional<std::string> domain{};
  std::string app{};
  std::string stream{};
};
struct ForbidStreamRequest {
  std::optional<std::string> vhost{};
  std::optional<std::string> domain{};
  std::string app{};
  std::string stream{};
  std::optional<std::string> end_time{};  // RFC 3339; default now + 90 days
  std::optional<int64_t> priority{};
};
struct ResumeStreamRequest {
  std::optional<std::string> vhost{};
  std::optional<std::string> domain{};
  std::string app{};
  std::string stream{};
};
struct EmptyResponse {
  ResponseMetadata metadata;
};

// ---- DescribeLiveStreamState ----
struct DescribeLiveStreamStateRequest {
  std::optional<std::string> vhost{};
  std::optional<std::string> domain{};
  std::string app{};
  std::string stream{};
};
struct DescribeLiveStreamStateResponse {
  ResponseMetadata metadata;
  std::string stream_state;  // online | offline | forbidden
  std::string type;          // push | pull
};

// ---- GeneratePushURL / GeneratePlayURL: signed stream URLs ----
// Volcengine's actions of that name, computed here with the vhost's key (no
// request is sent): ?volcTime=EXPIRY&volcSecret=md5("/{app}/{stream}{key}{EXPIRY}"),
// as sluice and Volcengine's URL authentication check them.
struct GeneratePushUrlRequest {
  std::string rtmp_address{};           // HOST[:PORT] publishers connect to
  std::optional<std::string> vhost{};   // added as vhost= unless __defaultVhost__
  std::optional<std::string> domain{};  // added as domain= (instead of vhost=)
  std::string app{};
  std::string stream{};
  std::string key{};  // the vhost's push key
  // Wins over valid_duration, which counts from the service's clock.
  std::optional<std::chrono::system_clock::time_point> expired_time{};
  std::chrono::seconds valid_duration{std::chrono::hours(24 * 7)};
};
struct GeneratePlayUrlRequest {
  std::string rtmp_address{};  // HOST[:PORT] of RTMP play
  std::string http_address{};  // HOST[:PORT] of HTTP-FLV (and HLS) play
  std::optional<std::string> vhost{};
  std::optional<std::string> domain{};
  std::string app{};
  std::string stream{};
  std::string key{};  // the vhost's play key
  std::optional<std::chrono::system_clock::time_point> expired_time{};
  std::chrono::seconds valid_duration{std::chrono::hours(24 * 7)};
  // Adds the HLS URL (.m3u8), which sluice serves (README, "HLS").
  bool hls = true;
};
struct GeneratedUrl {
  std::string protocol;  // rtmp | flv | hls
  std::string url;
};
struct GenerateUrlResponse {
  std::vector<GeneratedUrl> url_list;  // RTMP first
  int64_t expire_time = 0;             // volcTime: unix seconds, valid through it
};

// ---- GeneratePushURL / GeneratePlayURL, signed by the server ----
// The same actions sent to the API: the server signs with the vhost's own
// keys (docs/api.md), so the caller needs only API keys.
struct GenerateUrlOnServerRequest {
  std::optional<std::string> vhost{};
  std::optional<std::string> domain{};
  std::string app{};
  std::string stream{};
  std::optional<int64_t> valid_duration{};    // seconds; the server's default is 7 days
  std::optional<std::string> expired_time{};  // RFC 3339; wins over valid_duration
};
struct PushUrlDetail {
  std::string url;
  std::string domain_app;   // rtmp://host[:port]/app/ (OBS "server")
  std::string stream_sign;  // stream?volcTime=…&volcSecret=… (OBS "stream key")
};
struct GeneratePushUrlOnServerResponse {
  ResponseMetadata metadata;
  std::vector<std::string> push_url_list;
  std::vector<PushUrlDetail> push_url_list_detail;
};
struct PlayUrlInfo {
  std::string url;
  std::string cdn;       // fcdn | 3rd
  std::string protocol;  // rtmp | flv | hls
  std::string type;      // pull
};
struct GeneratePlayUrlOnServerResponse {
  ResponseMetadata metadata;
  std::vector<PlayUrlInfo> url_list;
};

// What one request sends on the wire, for tests and debugging.
struct PreparedRequest {
  std::string method{};  // GET | POST
  std::string url{};
  std::vector<std::pair<std::string, std::string>> headers;  // includes Authorization
  std::string body{};
};

// Which request headers the signature covers. Both are Volcengine's own
// ways, and the API accepts either.
enum class SignedHeaders {
  // content-type, host, x-content-sha256, x-date: as the Python SDK signs.
  kAll,
  // x-date, plus x-content-sha256 when there is a body: as the Node.js SDK
  // signs. For a proxy in front of the API that rewrites Host.
  kDateAndBody,
};

// One LiveService keeps one connection alive between requests: use it from
// one thread at a time (give each thread its own).
class LiveService {
 public:
  // host: "live.volcengineapi.com" (default) or "127.0.0.1:1985". Empty keys
  // are taken from VOLC_ACCESSKEY / VOLC_SECRETKEY, as in Volcengine's SDKs.
  explicit LiveService(std::string host = "live.volcengineapi.com", std::string access_key = {},
                       std::string secret_key = {});
  ~LiveService();
  LiveService(LiveService&&) noexcept;
  LiveService& operator=(LiveService&&) noexcept;

  void set_scheme(const std::string& scheme);  // "https" (default) or "http"
  // HTTPS trusts the system's CA store; a PEM file of CAs replaces it (a
  // private CA in front of a self-hosted sluice). Empty: the system's again.
  void set_ca_file(const std::string& pem_path);
  void set_region(const std::string& region);  // default "cn-north-1"
  void set_credentials(const std::string& access_key, const std::string& secret_key);
  // STS temporary credentials (Volcengine's cloud): the token goes out as a
  // signed X-Security-Token header. sluice itself refuses STS tokens
  // (InvalidAccessKey). Empty: none.
  void set_session_token(const std::string& token);
  void set_connect_timeout(std::chrono::milliseconds timeout);  // default 5 s
  void set_request_timeout(std::chrono::milliseconds timeout);  // default 30 s
  void set_signed_headers(SignedHeaders which);                 // default kAll
  // Retries of read actions (Describe*) after a network error; default 0.
  void set_read_retries(int retries);
  // The clock requests are signed with (tests freeze it).
  void set_clock(std::function<std::chrono::system_clock::time_point()> clock);

  DescribeLiveStreamInfoByPageResponse describe_live_stream_info_by_page(
      const DescribeLiveStreamInfoByPageRequest& request);
  DescribeClosedStreamInfoByPageResponse describe_closed_stream_info_by_page(
      const DescribeClosedStreamInfoByPageRequest& request);
  DescribeForbiddenStreamInfoByPageResponse describe_forbidden_stream_info_by_page(
      const DescribeForbiddenStreamInfoByPageRequest& request);
  EmptyResponse kill_stream(const KillStreamRequest& request);
  EmptyResponse forbid_stream(const ForbidStreamRequest& request);
  EmptyResponse resume_stream(const ResumeStreamRequest& request);
  DescribeLiveStreamStateResponse describe_live_stream_state(
      const DescribeLiveStreamStateRequest& request);

  // Signed URLs from the server (GeneratePushURL / GeneratePlayURL, POST).
  GeneratePushUrlOnServerResponse generate_push_url_on_server(
      const GenerateUrlOnServerRequest& request);
  GeneratePlayUrlOnServerResponse generate_play_url_on_server(
      const GenerateUrlOnServerRequest& request);

  // Signed URLs, computed here (no request is sent; `now` is what
  // valid_duration counts from). Throw LiveError kInvalidArgument for a name
  // outside Volcengine's rules, an empty key, a bad address or a
  // valid_duration that is not positive. An expired_time already past gives
  // a URL the server refuses, not an error.
  static GenerateUrlResponse generate_push_url(
      const GeneratePushUrlRequest& request,
      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
  static GenerateUrlResponse generate_play_url(
      const GeneratePlayUrlRequest& request,
      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

  // Any action: `params_json` is a JSON object; GET sends it as the query,
  // POST as the JSON body. Returns the whole response envelope as JSON text.
  std::string call(const std::string& action, const std::string& method,
                   const std::string& params_json, const std::string& version = "2023-01-01");

  // The signed request `call` would send, without sending it.
  PreparedRequest prepare(const std::string& action, const std::string& method,
                          const std::vector<std::pair<std::string, std::string>>& query,
                          const std::string& body, const std::string& version = "2023-01-01") const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice
