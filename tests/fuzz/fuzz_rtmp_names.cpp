// What an RTMP client names: connect's app and tcUrl, publish/play's stream
// name, resolved through a config with a vhost domain map. Input: the three
// texts separated by newlines.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.hpp"
#include "media/stream_name.hpp"
#include "resolution_checks.hpp"

using namespace sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
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
  auto target = media::parse_connect(app, tc_url);
  fuzz::check_resolution(media::resolve(target, stream, fuzz::config_with_one_vhost()));
  return 0;
}
