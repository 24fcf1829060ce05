#pragma once
// Turns per-session results and server samples into the run's summary: one
// JSON object (--json) or a human-readable block, plus JSON lines per session.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "proc_stats.hpp"
#include "session_stats.hpp"

namespace sluice::load {

struct PlayRun {
  std::string url;
  int sessions = 0;
  int threads = 1;
  double ramp_s = 0, warmup_s = 0, window_s = 0, stall_s = 1;
  std::optional<double> source_kbps;
  std::vector<SessionResult> results;
  double tool_cpu_s = 0;    // load tool, over the window
  double system_cpu_s = 0;  // all processes, all cores, over the window
  std::vector<int> server_pids;
  std::optional<ProcSample> server_before, server_start, server_end;
  double server_span_s = 0;
};

boost::json::object summarize(const PlayRun& run);
std::string human_summary(const boost::json::object& summary);
boost::json::object session_json(const SessionResult& result);

}  // namespace sluice::load
