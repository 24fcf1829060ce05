// A request on the management API listener: Beast's parser with the API's
// limits, the translation to ApiRequest, signature verification (X-Date,
// Authorization) against a known key, and the parameter parsers with the
// names and bounds the actions use.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "api/api_error.hpp"
#include "api/authenticator.hpp"
#include "api/params.hpp"
#include "api/request_reading.hpp"
#include "api/stream_address.hpp"
#include "config/config.hpp"
#include "feed_parser.hpp"

using namespace sluice;
using namespace sluice::api;

namespace {

// Every accessor an action calls, with the action's bounds (src/api/*_actions.cpp).
void read_params(const Params& p, const config::Config& config) {
  auto attempt = [](auto&& read) {
    try {
      read();
    } catch (const ApiError&) {
    }
  };
  attempt([&] { p.required_integer("PageNum", 1, 1'000'000'000); });
  attempt([&] { p.required_integer("PageSize", 1, 1000); });
  attempt([&] { p.integer("Priority", INT64_MIN, INT64_MAX); });
  attempt([&] { optional_vhost(p, config); });
  attempt([&] { p.filter("App", 30); });
  attempt([&] { p.filter("Stream", 100); });
  attempt([&] { p.choice("QueryType", {"strict", "fuzzy"}, "strict"); });
  attempt([&] { p.choice("Sort", {"asc", "desc"}, "desc"); });
  attempt([&] { p.optional_choice("StreamType", {"origin", "trans"}); });
  attempt([&] { p.required_time("EndTimeFrom"); });
  attempt([&] { p.time("EndTime"); });
  attempt([&] { require_stream(p, config); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const config::Config config = [] {
    config::Config c;
    config::VhostConfig v1;
    v1.name = "v1";
    v1.push_domains = {"push.example.com"};
    v1.play_domains = {"play.example.com"};
    c.vhosts.push_back(v1);
    c.api.keys.push_back({"AKLTFAKEACCESSKEYID0001", "FAKESECRETKEY0000000000000000000000000001"});
    return c;
  }();
  static const KeyStore keys(config.api.keys);
  // The signing vectors' X-Date (tests/fixtures/sign), so seeds authenticate.
  static const WallTime now = *parse_x_date("20240101T000000Z");

  RequestParser parser;
  apply_request_limits(parser, config.api);
  if (!fuzz::feed_parser(parser, data, size)) return 0;
  ApiRequest request = to_api_request(parser.get());
  Authenticator authenticator(keys, config.api);
  try {
    authenticator.authenticate(request, now);
  } catch (const ApiError&) {
  }
  try {
    read_params(Params::from_request(request), config);
  } catch (const ApiError&) {
  }
  return 0;
}
