#include "api/envelope.hpp"

#include <openssl/rand.h>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "base/sha256.hpp"

namespace sluice::api {
namespace {

boost::json::object metadata(const ResponseMetadata& meta) {
  return {{"RequestId", meta.request_id},
          {"Action", meta.action},
          {"Version", meta.version},
          {"Service", "live"},
          {"Region", meta.region}};
}

}  // namespace

std::string new_request_id() {
  uint8_t random[8];
  RAND_bytes(random, sizeof random);
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y%m%d%H%M%S}{}", now, to_hex(random));
}

std::string success_body(const ResponseMetadata& meta,
                         const std::optional<boost::json::value>& result) {
  boost::json::object body{{"ResponseMetadata", metadata(meta)}};
  if (result) body["Result"] = *result;
  return boost::json::serialize(body);
}

std::string error_body(const ResponseMetadata& meta, const ApiError& error) {
  auto m = metadata(meta);
  m["Error"] = {{"CodeN", error.code_n()}, {"Code", error.code()}, {"Message", error.what()}};
  return boost::json::serialize(boost::json::object{{"ResponseMetadata", m}});
}

}  // namespace sluice::api
