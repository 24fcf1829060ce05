// A request on the media listener: Beast's parser with its limits, the
// HTTP-FLV target split as the router splits it (split_target, kFlvRoute)
// and the Host header, and the stream name resolved
// through a config with a vhost domain map.
#include <cstddef>
#include <cstdint>

#include "config/config.hpp"
#include "feed_parser.hpp"
#include "http/play_request.hpp"
#include "media/stream_name.hpp"
#include "resolution_checks.hpp"

using namespace sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  http::RequestParser parser;
  http::apply_request_limits(parser);
  if (!fuzz::feed_parser(parser, data, size)) return 0;
  const auto& request = parser.get();
  auto play = http::parse_play_target(request.target());
  if (play.kind != http::PlayTarget::Kind::kFlv) return 0;
  media::ConnectTarget target;
  target.app = play.app;
  target.host = http::host_without_port(request[boost::beast::http::field::host]);
  target.params = media::split_name("?" + play.query).params;
  fuzz::check_resolution(media::resolve(target, play.stream, fuzz::config_with_one_vhost()));
  return 0;
}
