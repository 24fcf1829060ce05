// What an RTMP client names: connect's app and tcUrl, publish/play's stream
// name, resolved through a config with a vhost domain map. Input: the three
// texts separated by newlines.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.hpp"
#include "rtmp/stream_name.hpp"

using namespace sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const config::Config config = [] {
    config::Config c;
    c.vhosts.push_back({"v1", {"push.example.com"}, {"play.example.com"}});
    return c;
  }();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto next = [&in] {
    auto nl = in.find('\n');
    auto field = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    return field;
  };
  auto app = next();
  auto tc_url = next();
  auto stream = next();
  auto target = rtmp::parse_connect(app, tc_url);
  const auto resolution = rtmp::resolve(target, stream, config);
  const auto& resolved = resolution.stream;
  if (resolved &&
      (!rtmp::valid_app_name(resolved->key.app) || !rtmp::valid_stream_name(resolved->key.stream)))
    __builtin_trap();
  // A refusal is logged and sent back: one short line, whatever the client sent.
  if (!resolved && (resolution.refusal.size() > 512 ||
                    resolution.refusal.find_first_of("\r\n") != std::string::npos))
    __builtin_trap();
  return 0;
}
