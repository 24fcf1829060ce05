#include "net/incident_log.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

namespace sluice {
namespace {

using namespace std::chrono_literals;

TEST(IncidentLog, OneLineAtTheStartThenOneCountPerInterval) {
  boost::asio::io_context io;
  std::vector<std::string> lines;
  IncidentLog log(io.get_executor(), "http", 50ms,
                  [&](const std::string& l) { lines.push_back(l); });

  for (int i = 0; i < 10000; ++i)
    log.record("accept failed: Too many open files", " (backing off)");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "http accept failed: Too many open files (backing off); repeats are counted and "
            "reported every 0.05 s");

  io.run_for(80ms);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], "http accept failed: Too many open files: 9999 more in the last 0.05 s");

  // A quiet interval ends the incident; the next occurrence is news again.
  io.run_for(120ms);
  EXPECT_EQ(lines.size(), 2u);
  log.record("accept failed: Too many open files");
  EXPECT_EQ(lines.size(), 3u);
  io.run_for(200ms);
  EXPECT_EQ(lines.size(), 3u);  // nothing repeated
}

TEST(IncidentLog, KeepsDifferentIncidentsApart) {
  boost::asio::io_context io;
  std::vector<std::string> lines;
  IncidentLog log(io.get_executor(), "rtmp", 50ms,
                  [&](const std::string& l) { lines.push_back(l); });
  log.record("refused connections over a");
  log.record("refused connections over b");
  log.record("refused connections over a");
  EXPECT_EQ(lines.size(), 2u);
  io.run_for(80ms);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2], "rtmp refused connections over a: 1 more in the last 0.05 s");
}

TEST(IncidentLog, DestroyedWithATimerPendingIsSafe) {
  boost::asio::io_context io;
  {
    IncidentLog log(io.get_executor(), "api", 50ms, [](const std::string&) {});
    log.record("x");
  }
  io.run_for(100ms);
}

}  // namespace
}  // namespace sluice
