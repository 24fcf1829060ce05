#pragma once
// A server's CPU time and memory, read from /proc like rtmp_load.py does:
// utime + stime from /proc/PID/stat (fields 14 and 15), VmRSS and VmHWM from
// /proc/PID/status, summed over the given processes (nginx: master + worker).
#include <optional>
#include <string>
#include <vector>

namespace sluice::load {

struct ProcSample {
  double cpu_s = 0;       // user + system CPU seconds since the process started
  double system_s = 0;    // of which in the kernel (stime: syscalls, and on loopback
                          // the TCP delivery the kernel runs in the sender's context)
  long long rss_kib = 0;  // resident set size now
  long long hwm_kib = 0;  // peak resident set size
};

// nullopt (with `error` naming the pid) when a process is gone.
std::optional<ProcSample> sample_processes(const std::vector<int>& pids, std::string& error);

// CPU seconds all cores spent busy (not idle or iowait), from /proc/stat:
// what the server and the tool did not use shows other load on the machine.
double system_busy_seconds();

// This process's own CPU seconds (all threads), for the tool's cost.
double own_cpu_seconds();

}  // namespace sluice::load
