#include "sdk/response_parser.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <string>

namespace sluice::sdk {
namespace {

namespace json = boost::json;
using Kind = LiveError::Kind;

constexpr size_t kSnippet = 200;

[[noreturn]] void bad_response(int status, const std::string& what, std::string_view body) {
  std::string snippet(body.substr(0, kSnippet));
  if (body.size() > kSnippet) snippet += "...";
  throw LiveError(
      Kind::kResponse,
      "unreadable response (HTTP " + std::to_string(status) + "): " + what + ": " + snippet,
      status);
}

// Field readers: an absent or null field gives the default; a field of
// another type is an unreadable response.
class Reader {
 public:
  Reader(int status, std::string_view body) : status_(status), body_(body) {}

  [[noreturn]] void fail(const std::string& what) const { bad_response(status_, what, body_); }

  const json::object& object(const json::value& v, const char* name) const {
    if (!v.is_object()) fail(std::string(name) + " is not an object");
    return v.as_object();
  }

  std::string string(const json::object& o, const char* name) const {
    const json::value* v = o.if_contains(name);
    if (v == nullptr || v->is_null()) return {};
    if (!v->is_string()) fail(std::string(name) + " is not a string");
    return std::string(v->as_string());
  }

  std::optional<std::string> optional_string(const json::object& o, const char* name) const {
    const json::value* v = o.if_contains(name);
    if (v == nullptr || v->is_null()) return std::nullopt;
    return string(o, name);
  }

  // Integers may come as JSON integers, integral doubles or decimal strings.
  std::optional<int64_t> optional_int(const json::object& o, const char* name) const {
    const json::value* v = o.if_contains(name);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
      return static_cast<int64_t>(v->as_uint64());
    }
    if (v->is_double()) {
      double d = v->as_double();
      if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
    }
    if (v->is_string()) {
      const std::string s(v->as_string());
      size_t used = 0;
      try {
        int64_t n = std::stoll(s, &used);
        if (used == s.size()) return n;
      } catch (const std::exception&) {
      }
    }
    fail(std::string(name) + " is not an integer");
  }

  int64_t integer(const json::object& o, const char* name) const {
    return optional_int(o, name).value_or(0);
  }

  bool boolean(const json::object& o, const char* name) const {
    const json::value* v = o.if_contains(name);
    if (v == nullptr || v->is_null()) return false;
    if (!v->is_bool()) fail(std::string(name) + " is not a boolean");
    return v->as_bool();
  }

  const json::array& array(const json::object& o, const char* name) const {
    static const json::array empty;
    const json::value* v = o.if_contains(name);
    if (v == nullptr || v->is_null()) return empty;
    if (!v->is_array()) fail(std::string(name) + " is not an array");
    return v->as_array();
  }

 private:
  int status_;
  std::string_view body_;
};

struct Envelope {
  json::value document;
  ResponseMetadata metadata;
  const json::object* result = nullptr;  // into document; null when absent
};

Envelope parse_envelope(int status, std::string_view body) {
  Reader r(status, body);
  boost::system::error_code ec;
  Envelope e;
  e.document = json::parse(body, ec);
  if (ec) r.fail("not JSON (" + ec.message() + ")");
  if (!e.document.is_object()) r.fail("not a JSON object");
  const json::object& root = e.document.as_object();
  const json::value* meta_value = root.if_contains("ResponseMetadata");
  if (meta_value == nullptr) r.fail("no ResponseMetadata");
  const json::object& meta = r.object(*meta_value, "ResponseMetadata");
  e.metadata.request_id = r.string(meta, "RequestId");
  e.metadata.action = r.string(meta, "Action");
  e.metadata.version = r.string(meta, "Version");
  e.metadata.service = r.string(meta, "Service");
  e.metadata.region = r.string(meta, "Region");

  const json::value* error_value = meta.if_contains("Error");
  if (error_value != nullptr && !error_value->is_null()) {
    const json::object& error = r.object(*error_value, "ResponseMetadata.Error");
    std::string code = r.string(error, "Code");
    std::string message = r.string(error, "Message");
    if (message.empty()) message = code.empty() ? "HTTP " + std::to_string(status) : code;
    throw LiveError(Kind::kApi, std::move(message), status, std::move(code),
                    static_cast<int>(r.integer(error, "CodeN")), e.metadata.request_id);
  }
  if (status < 200 || status >= 300) {
    throw LiveError(Kind::kApi, "HTTP " + std::to_string(status), status, {}, 0,
                    e.metadata.request_id);
  }
  if (const json::value* result = root.if_contains("Result");
      result != nullptr && !result->is_null()) {
    e.result = &r.object(*result, "Result");
  }
  return e;
}

const json::object& require_result(const Envelope& e, const Reader& r) {
  if (e.result == nullptr) r.fail("no Result");
  return *e.result;
}

// The three listing actions share one Result shape: RoughCount and a
// StreamInfoList whose items `read_item` turns into the typed entries.
template <typename Response, typename ReadItem>
Response parse_page(int http_status, std::string_view body, ReadItem read_item) {
  Reader r(http_status, body);
  Envelope e = parse_envelope(http_status, body);
  const json::object& result = require_result(e, r);
  Response out;
  out.metadata = std::move(e.metadata);
  out.rough_count = r.integer(result, "RoughCount");
  for (const json::value& item : r.array(result, "StreamInfoList")) {
    out.stream_info_list.push_back(read_item(r, r.object(item, "StreamInfoList item")));
  }
  return out;
}

}  // namespace

ResponseMetadata check_envelope(int http_status, std::string_view body) {
  return parse_envelope(http_status, body).metadata;
}

DescribeLiveStreamInfoByPageResponse parse_live_stream_info_by_page(int http_status,
                                                                    std::string_view body) {
  return parse_page<DescribeLiveStreamInfoByPageResponse>(
      http_status, body, [](const Reader& r, const json::object& o) {
        LiveStreamInfo info;
        info.id = r.integer(o, "ID");
        info.vhost = r.string(o, "Vhost");
        info.domain = r.string(o, "Domain");
        info.app = r.string(o, "App");
        info.stream = r.string(o, "Stream");
        info.session_start_time = r.string(o, "SessionStartTime");
        info.source_type = r.string(o, "SourceType");
        return info;
      });
}

DescribeClosedStreamInfoByPageResponse parse_closed_stream_info_by_page(int http_status,
                                                                        std::string_view body) {
  return parse_page<DescribeClosedStreamInfoByPageResponse>(
      http_status, body, [](const Reader& r, const json::object& o) {
        ClosedStreamInfo info;
        info.vhost = r.string(o, "Vhost");
        info.domain = r.string(o, "Domain");
        info.app = r.string(o, "App");
        info.stream = r.string(o, "Stream");
        info.start_time = r.string(o, "StartTime");
        info.end_time = r.string(o, "EndTime");
        info.source_type = r.string(o, "SourceType");
        info.end_reason = r.optional_string(o, "EndReason");
        info.bytes_in = r.optional_int(o, "BytesIn");
        return info;
      });
}

DescribeForbiddenStreamInfoByPageResponse parse_forbidden_stream_info_by_page(
    int http_status, std::string_view body) {
  return parse_page<DescribeForbiddenStreamInfoByPageResponse>(
      http_status, body, [](const Reader& r, const json::object& o) {
        ForbiddenStreamInfo info;
        info.vhost = r.string(o, "Vhost");
        info.domain = r.string(o, "Domain");
        info.app = r.string(o, "App");
        info.stream = r.string(o, "Stream");
        info.create_time = r.string(o, "CreateTime");
        info.end_time = r.string(o, "EndTime");
        info.status = r.boolean(o, "Status");
        return info;
      });
}

DescribeLiveStreamStateResponse parse_live_stream_state(int http_status, std::string_view body) {
  Reader r(http_status, body);
  Envelope e = parse_envelope(http_status, body);
  const json::object& result = require_result(e, r);
  DescribeLiveStreamStateResponse out;
  out.metadata = std::move(e.metadata);
  out.stream_state = r.string(result, "stream_state");
  out.type = r.string(result, "type");
  return out;
}

GeneratePushUrlOnServerResponse parse_generate_push_url(int http_status, std::string_view body) {
  Reader r(http_status, body);
  Envelope e = parse_envelope(http_status, body);
  const json::object& result = require_result(e, r);
  GeneratePushUrlOnServerResponse out;
  out.metadata = std::move(e.metadata);
  for (const json::value& url : r.array(result, "PushURLList")) {
    if (!url.is_string()) r.fail("PushURLList item is not a string");
    out.push_url_list.emplace_back(url.as_string());
  }
  for (const json::value& item : r.array(result, "PushURLListDetail")) {
    const json::object& o = r.object(item, "PushURLListDetail item");
    out.push_url_list_detail.push_back(
        {r.string(o, "URL"), r.string(o, "DomainApp"), r.string(o, "StreamSign")});
  }
  return out;
}

GeneratePlayUrlOnServerResponse parse_generate_play_url(int http_status, std::string_view body) {
  Reader r(http_status, body);
  Envelope e = parse_envelope(http_status, body);
  const json::object& result = require_result(e, r);
  GeneratePlayUrlOnServerResponse out;
  out.metadata = std::move(e.metadata);
  for (const json::value& item : r.array(result, "URLList")) {
    const json::object& o = r.object(item, "URLList item");
    out.url_list.push_back(
        {r.string(o, "URL"), r.string(o, "CDN"), r.string(o, "Protocol"), r.string(o, "Type")});
  }
  return out;
}

EmptyResponse parse_empty(int http_status, std::string_view body) {
  return EmptyResponse{parse_envelope(http_status, body).metadata};
}

}  // namespace sluice::sdk
