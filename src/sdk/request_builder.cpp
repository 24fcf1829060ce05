#include "sdk/request_builder.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <optional>

namespace sluice::sdk {
namespace {

void add(sign::Params& q, const char* name, const std::optional<std::string>& value) {
  if (value) q.emplace_back(name, *value);
}

void add_page(sign::Params& q, int64_t page_num, int64_t page_size) {
  q.emplace_back("PageNum", std::to_string(page_num));
  q.emplace_back("PageSize", std::to_string(page_size));
}

void add(boost::json::object& o, const char* name, const std::optional<std::string>& value) {
  if (value) o[name] = *value;
}

std::string address_body(const std::optional<std::string>& vhost,
                         const std::optional<std::string>& domain, const std::string& app,
                         const std::string& stream, boost::json::object extra = {}) {
  boost::json::object o;
  add(o, "Vhost", vhost);
  add(o, "Domain", domain);
  o["App"] = app;
  o["Stream"] = stream;
  for (const auto& member : extra) o[member.key()] = member.value();
  return boost::json::serialize(o);
}

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

boost::json::object parse_object(std::string_view params_json) {
  if (is_blank(params_json)) return {};
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(params_json, ec);
  if (ec || !v.is_object())
    throw LiveError(LiveError::Kind::kInvalidArgument, "params_json is not a JSON object");
  return std::move(v.as_object());
}

// The optional Vhost/Domain/App/Stream filters the three listings share.
template <class ListRequest>
void add_stream_filters(sign::Params& q, const ListRequest& r) {
  add(q, "Vhost", r.vhost);
  add(q, "Domain", r.domain);
  add(q, "App", r.app);
  add(q, "Stream", r.stream);
}

}  // namespace

sign::Params build_query(const DescribeLiveStreamInfoByPageRequest& r) {
  sign::Params q;
  add_page(q, r.page_num, r.page_size);
  add_stream_filters(q, r);
  add(q, "StreamType", r.stream_type);
  add(q, "SourceType", r.source_type);
  add(q, "QueryType", r.query_type);
  return q;
}

sign::Params build_query(const DescribeClosedStreamInfoByPageRequest& r) {
  sign::Params q;
  add_page(q, r.page_num, r.page_size);
  q.emplace_back("EndTimeFrom", r.end_time_from);
  q.emplace_back("EndTimeTo", r.end_time_to);
  add_stream_filters(q, r);
  add(q, "Sort", r.sort);
  add(q, "SourceType", r.source_type);
  add(q, "QueryType", r.query_type);
  return q;
}

sign::Params build_query(const DescribeForbiddenStreamInfoByPageRequest& r) {
  sign::Params q;
  add_page(q, r.page_num, r.page_size);
  add_stream_filters(q, r);
  add(q, "Sort", r.sort);
  add(q, "QueryType", r.query_type);
  return q;
}

sign::Params build_query(const DescribeLiveStreamStateRequest& r) {
  sign::Params q;
  add(q, "Vhost", r.vhost);
  add(q, "Domain", r.domain);
  q.emplace_back("App", r.app);
  q.emplace_back("Stream", r.stream);
  return q;
}

std::string build_body(const KillStreamRequest& r) {
  return address_body(r.vhost, r.domain, r.app, r.stream);
}

std::string build_body(const ForbidStreamRequest& r) {
  boost::json::object extra;
  add(extra, "EndTime", r.end_time);
  if (r.priority) extra["Priority"] = *r.priority;
  return address_body(r.vhost, r.domain, r.app, r.stream, std::move(extra));
}

std::string build_body(const ResumeStreamRequest& r) {
  return address_body(r.vhost, r.domain, r.app, r.stream);
}

std::string build_body(const GenerateUrlOnServerRequest& r) {
  boost::json::object extra;
  if (r.valid_duration) extra["ValidDuration"] = *r.valid_duration;
  add(extra, "ExpiredTime", r.expired_time);
  return address_body(r.vhost, r.domain, r.app, r.stream, std::move(extra));
}

sign::Params query_from_json(std::string_view params_json) {
  sign::Params q;
  for (const auto& member : parse_object(params_json)) {
    const boost::json::value& v = member.value();
    std::string key(member.key());
    if (v.is_null()) continue;
    if (v.is_string()) {
      q.emplace_back(key, std::string(v.as_string()));
    } else if (v.is_bool()) {
      q.emplace_back(key, v.as_bool() ? "true" : "false");
    } else if (v.is_double()) {
      char buf[32];
      auto end = std::to_chars(buf, buf + sizeof buf, v.as_double()).ptr;  // shortest form
      q.emplace_back(key, std::string(buf, end));
    } else {
      q.emplace_back(key, boost::json::serialize(v));  // numbers, arrays, objects
    }
  }
  return q;
}

std::string body_from_json(std::string_view params_json) {
  if (is_blank(params_json)) return "{}";
  (void)parse_object(params_json);  // validates
  return std::string(params_json);
}

}  // namespace sluice::sdk
