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

std::string json_body(std::string_view text) {
  std::string out;
  append_json_string_body(text, out);
  return out;
}

TEST(JsonLog, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(json_body("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(json_body("x\r\n\t"), "x\\r\\n\\t");
  EXPECT_EQ(json_body(std::string("\0\x01\x1f\x7f", 4)), "\\u0000\\u0001\\u001f\\u007f");
}

TEST(JsonLog, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(json_body("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xa5"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xa5");
  EXPECT_EQ(json_body("\xff"), "\\ufffd");
  EXPECT_EQ(json_body("\xc3"), "\\ufffd");                                   // cut short
  EXPECT_EQ(json_body("\xc0\xaf"), "\\ufffd\\ufffd");                        // overlong "/"
  EXPECT_EQ(json_body("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd");             // a surrogate
  EXPECT_EQ(json_body("\xf4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd");  // past U+10FFFF
}

TEST(JsonLog, OneObjectPerLineWithTimeLevelAndMessage) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("test", sink);
  use_json_format(logger);
  logger.warn("refused \"{}\"", std::string("a\nb", 3));
  logger.flush();
  const std::string text = out.str();
  EXPECT_EQ(text.find('\n'), text.size() - 1) << text;
  EXPECT_EQ(text.rfind("{\"time\":\"", 0), 0u) << text;
  EXPECT_NE(text.find("Z\",\"level\":\"warning\",\"message\":\"refused \\\"a\\nb\\\"\"}\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace sluice
