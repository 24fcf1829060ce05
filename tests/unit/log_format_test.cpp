#include "app/log_format.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <string>

namespace sluice {
namespace {

TEST(LogFormat, ACallWithNewlinesIsStillOneLine) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("test", sink);
  use_single_line_format(logger);
  logger.warn("rtmp closed: bad name {}",
              std::string("x\r\n2026-01-01T00:00:00.000 [error] forged\0z", 44));
  logger.flush();
  const std::string text = out.str();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.find('\n'), text.size() - 1) << text;  // only the line's own end
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_NE(text.find("[warning] rtmp closed: bad name x\\x0d\\x0a2026"), std::string::npos)
      << text;
  EXPECT_NE(text.find("forged\\x00z"), std::string::npos) << text;
}

}  // namespace
}  // namespace sluice
