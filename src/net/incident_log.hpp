#pragma once
// Logs an incident that can repeat thousands of times a second (accept
// failing for want of descriptors, connections refused over a cap) as one
// line when it starts and then at most one line per interval with the count
// of repeats, so a flood costs a handful of log lines, never one per event.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace sluice {

class IncidentLog {
 public:
  using Sink = std::function<void(const std::string& line)>;

  // `prefix` starts every line ("http"); the default sink is spdlog's warn.
  IncidentLog(boost::asio::any_io_executor executor, std::string prefix,
              std::chrono::milliseconds interval, Sink sink = {});
  IncidentLog(const IncidentLog&) = delete;
  IncidentLog& operator=(const IncidentLog&) = delete;

  // One occurrence of `what` (the same text for the same incident). The
  // first one of a quiet spell is logged at once with `first_detail`.
  void record(const std::string& what, const std::string& first_detail = "");

 private:
  void arm();
  void report();

  std::string prefix_;
  std::chrono::milliseconds interval_;
  Sink sink_;
  boost::asio::steady_timer timer_;
  bool armed_ = false;
  // Incidents seen in this interval or the last, with the repeats not yet reported.
  std::map<std::string, uint64_t> repeats_;
};

}  // namespace sluice
