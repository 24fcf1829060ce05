#include "sluice/live_service.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "sdk/http_transport.hpp"
#include "sdk/request_builder.hpp"
#include "sdk/response_parser.hpp"
#include "sign/request_signer.hpp"

namespace sluice {
namespace {

constexpr const char* kVersion = "2023-01-01";

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

LiveError invalid_argument(const std::string& message) {
  return LiveError(LiveError::Kind::kInvalidArgument, message);
}

std::string checked_method(const std::string& method) {
  std::string m = upper(method);
  if (m != "GET" && m != "POST") throw invalid_argument("method must be GET or POST: " + method);
  return m;
}

}  // namespace

struct LiveService::Impl {
  std::string host;
  std::string scheme = "https";
  sign::Credentials credentials;
  sign::HeaderCoverage coverage = sign::HeaderCoverage::kPythonSdk;
  int read_retries = 0;
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
  sdk::HttpTransport transport;

  // Sends one action and returns the answer, whatever its status. Reads
  // (GET Describe*) are sent again after a network error, up to read_retries
  // times, each signed afresh; writes and answered requests never are.
  sdk::HttpResponse execute(const LiveService& self, const std::string& action,
                            const std::string& method, const sign::Params& query,
                            const std::string& body, const std::string& version) {
    const bool read = method == "GET" && action.starts_with("Describe");
    for (int attempt = 0;; ++attempt) {
      try {
        return transport.send(self.prepare(action, method, query, body, version));
      } catch (const LiveError& e) {
        if (!read || e.kind() != LiveError::Kind::kNetwork || attempt >= read_retries) throw;
      }
    }
  }
};

LiveService::LiveService(std::string host, std::string access_key, std::string secret_key)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->credentials.access_key =
      access_key.empty() ? env_or_empty("VOLC_ACCESSKEY") : std::move(access_key);
  impl_->credentials.secret_key =
      secret_key.empty() ? env_or_empty("VOLC_SECRETKEY") : std::move(secret_key);
}

LiveService::~LiveService() = default;
LiveService::LiveService(LiveService&&) noexcept = default;
LiveService& LiveService::operator=(LiveService&&) noexcept = default;

void LiveService::set_scheme(const std::string& scheme) {
  if (scheme != "http" && scheme != "https") {
    throw invalid_argument("scheme must be http or https: " + scheme);
  }
  impl_->scheme = scheme;
}

void LiveService::set_ca_file(const std::string& pem_path) {
  // Checked here: libcurl would only say "error setting certificate file" at
  // the first request, as if the network had failed.
  std::error_code ec;
  if (!pem_path.empty() && !std::filesystem::is_regular_file(pem_path, ec)) {
    throw invalid_argument("no such CA file: " + pem_path);
  }
  impl_->transport.set_ca_file(pem_path);
}

void LiveService::set_signed_headers(SignedHeaders which) {
  impl_->coverage = which == SignedHeaders::kAll ? sign::HeaderCoverage::kPythonSdk
                                                 : sign::HeaderCoverage::kNodeSdk;
}

void LiveService::set_region(const std::string& region) {
  impl_->credentials.region = region;
}

void LiveService::set_credentials(const std::string& access_key, const std::string& secret_key) {
  impl_->credentials.access_key = access_key;
  impl_->credentials.secret_key = secret_key;
}

void LiveService::set_session_token(const std::string& token) {
  impl_->credentials.session_token = token;
}

void LiveService::set_connect_timeout(std::chrono::milliseconds timeout) {
  impl_->transport.set_connect_timeout(timeout);
}

void LiveService::set_request_timeout(std::chrono::milliseconds timeout) {
  impl_->transport.set_request_timeout(timeout);
}

void LiveService::set_read_retries(int retries) {
  impl_->read_retries = std::max(0, retries);
}

void LiveService::set_clock(std::function<std::chrono::system_clock::time_point()> clock) {
  impl_->clock = std::move(clock);
}

PreparedRequest LiveService::prepare(const std::string& action, const std::string& method,
                                     const std::vector<std::pair<std::string, std::string>>& query,
                                     const std::string& body, const std::string& version) const {
  sign::ClientRequest request;
  request.method = checked_method(method);
  request.path = "/";
  request.query = {{"Action", action}, {"Version", version}};
  request.query.insert(request.query.end(), query.begin(), query.end());
  request.host = impl_->host;
  if (request.method == "POST") request.content_type = "application/json";
  request.body = body;
  request.coverage = impl_->coverage;

  PreparedRequest out;
  out.method = request.method;
  out.url = impl_->scheme + "://" + impl_->host + "/?" + sign::encode_query(request.query);
  out.headers.emplace_back("Host", request.host);
  if (!request.content_type.empty()) out.headers.emplace_back("Content-Type", request.content_type);
  for (auto& header : sign::signed_headers(
           request, impl_->credentials,
           sign::format_x_date(std::chrono::floor<std::chrono::milliseconds>(impl_->clock())))) {
    out.headers.push_back(std::move(header));
  }
  out.body = std::move(request.body);
  return out;
}

std::string LiveService::call(const std::string& action, const std::string& method,
                              const std::string& params_json, const std::string& version) {
  const std::string m = checked_method(method);
  sign::Params query;
  std::string body;
  if (m == "GET") {
    query = sdk::query_from_json(params_json);
  } else {
    body = sdk::body_from_json(params_json);
  }
  sdk::HttpResponse response = impl_->execute(*this, action, m, query, body, version);
  sdk::check_envelope(response.status, response.body);
  return std::move(response.body);
}

DescribeLiveStreamInfoByPageResponse LiveService::describe_live_stream_info_by_page(
    const DescribeLiveStreamInfoByPageRequest& request) {
  auto response = impl_->execute(*this, "DescribeLiveStreamInfoByPage", "GET",
                                 sdk::build_query(request), {}, kVersion);
  return sdk::parse_live_stream_info_by_page(response.status, response.body);
}

DescribeClosedStreamInfoByPageResponse LiveService::describe_closed_stream_info_by_page(
    const DescribeClosedStreamInfoByPageRequest& request) {
  auto response = impl_->execute(*this, "DescribeClosedStreamInfoByPage", "GET",
                                 sdk::build_query(request), {}, kVersion);
  return sdk::parse_closed_stream_info_by_page(response.status, response.body);
}

DescribeForbiddenStreamInfoByPageResponse LiveService::describe_forbidden_stream_info_by_page(
    const DescribeForbiddenStreamInfoByPageRequest& request) {
  auto response = impl_->execute(*this, "DescribeForbiddenStreamInfoByPage", "GET",
                                 sdk::build_query(request), {}, kVersion);
  return sdk::parse_forbidden_stream_info_by_page(response.status, response.body);
}

DescribeLiveStreamStateResponse LiveService::describe_live_stream_state(
    const DescribeLiveStreamStateRequest& request) {
  auto response = impl_->execute(*this, "DescribeLiveStreamState", "GET", sdk::build_query(request),
                                 {}, kVersion);
  return sdk::parse_live_stream_state(response.status, response.body);
}

GeneratePushUrlOnServerResponse LiveService::generate_push_url_on_server(
    const GenerateUrlOnServerRequest& request) {
  auto response =
      impl_->execute(*this, "GeneratePushURL", "POST", {}, sdk::build_body(request), kVersion);
  return sdk::parse_generate_push_url(response.status, response.body);
}

GeneratePlayUrlOnServerResponse LiveService::generate_play_url_on_server(
    const GenerateUrlOnServerRequest& request) {
  auto response =
      impl_->execute(*this, "GeneratePlayURL", "POST", {}, sdk::build_body(request), kVersion);
  return sdk::parse_generate_play_url(response.status, response.body);
}

EmptyResponse LiveService::kill_stream(const KillStreamRequest& request) {
  auto response =
      impl_->execute(*this, "KillStream", "POST", {}, sdk::build_body(request), kVersion);
  return sdk::parse_empty(response.status, response.body);
}

EmptyResponse LiveService::forbid_stream(const ForbidStreamRequest& request) {
  auto response =
      impl_->execute(*this, "ForbidStream", "POST", {}, sdk::build_body(request), kVersion);
  return sdk::parse_empty(response.status, response.body);
}

EmptyResponse LiveService::resume_stream(const ResumeStreamRequest& request) {
  auto response =
      impl_->execute(*this, "ResumeStream", "POST", {}, sdk::build_body(request), kVersion);
  return sdk::parse_empty(response.status, response.body);
}

}  // namespace sluice
