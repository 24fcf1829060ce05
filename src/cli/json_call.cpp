#include "cli/json_call.hpp"

#include <ostream>

namespace sluice::cli {
namespace {

void pretty(std::ostream& out, const boost::json::value& v, int indent) {
  const std::string pad(indent * 2, ' ');
  const std::string inner((indent + 1) * 2, ' ');
  if (v.is_object()) {
    const auto& o = v.get_object();
    if (o.empty()) {
      out << "{}";
      return;
    }
    out << "{\n";
    bool first = true;
    for (const auto& kv : o) {
      if (!first) out << ",\n";
      first = false;
      out << inner << boost::json::serialize(boost::json::value(kv.key())) << ": ";
      pretty(out, kv.value(), indent + 1);
    }
    out << "\n" << pad << "}";
  } else if (v.is_array()) {
    const auto& a = v.get_array();
    if (a.empty()) {
      out << "[]";
      return;
    }
    out << "[\n";
    bool first = true;
    for (const auto& item : a) {
      if (!first) out << ",\n";
      first = false;
      out << inner;
      pretty(out, item, indent + 1);
    }
    out << "\n" << pad << "]";
  } else {
    out << boost::json::serialize(v);
  }
}

std::string string_at(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

boost::json::object call_json(LiveService& service, const std::string& action,
                              const std::string& method, const boost::json::object& params) {
  std::string text = service.call(action, method, boost::json::serialize(params));
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object())
    throw LiveError(LiveError::Kind::kResponse,
                    "the answer to " + action + " is not a JSON object");
  auto& envelope = value.get_object();
  if (auto* error = envelope.if_contains("Error"); error && error->is_object()) {
    const auto& e = error->get_object();
    int code_n = 0;
    if (auto* n = e.if_contains("CodeN"); n && n->is_int64())
      code_n = static_cast<int>(n->get_int64());
    std::string request_id;
    if (auto* meta = envelope.if_contains("ResponseMetadata"); meta && meta->is_object())
      request_id = string_at(meta->get_object(), "RequestId");
    throw LiveError(LiveError::Kind::kApi, string_at(e, "Message"), 0, string_at(e, "Code"), code_n,
                    request_id);
  }
  return std::move(envelope);
}

void print_json(std::ostream& out, const boost::json::value& value) {
  pretty(out, value, 0);
  out << "\n";
}

}  // namespace sluice::cli
