#include "app/log_format.hpp"

#include <spdlog/pattern_formatter.h>

#include <memory>

namespace sluice {
namespace {

// %v with CR, LF, NUL and every other C0 control (and DEL) as \xNN. UTF-8
// is kept: paths and names a person typed stay readable.
class SingleLineMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (const char ch : msg.payload) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x20 || c == 0x7f) {
        const char escaped[] = {'\\', 'x', kHex[c >> 4], kHex[c & 0xf]};
        dest.append(escaped, escaped + sizeof escaped);
      } else {
        dest.push_back(ch);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SingleLineMessage>();
  }
};

}  // namespace

void use_single_line_format(spdlog::logger& logger) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<SingleLineMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e [%^%l%$] %*");
  logger.set_formatter(std::move(formatter));
}

}  // namespace sluice
