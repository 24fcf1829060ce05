#include "proc_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace sluice::load {

std::optional<ProcSample> sample_processes(const std::vector<int>& pids, std::string& error) {
  ProcSample total;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  for (int pid : pids) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto paren = text.rfind(')');
    if (!stat || paren == std::string::npos) {
      error = "cannot read /proc/" + std::to_string(pid) + "/stat";
      return std::nullopt;
    }
    std::istringstream fields(text.substr(paren + 1));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    // after "pid (comm)": state is field 3; utime and stime are fields 14 and 15
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    }
    total.cpu_s += static_cast<double>(utime + stime) / ticks;
    total.system_s += static_cast<double>(stime) / ticks;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmRSS:", 0) == 0) total.rss_kib += std::stoll(line.substr(6));
      if (line.rfind("VmHWM:", 0) == 0) total.hwm_kib += std::stoll(line.substr(6));
    }
  }
  return total;
}

double system_busy_seconds() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                     steal = 0;
  stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return static_cast<double>(user + nice + system + irq + softirq + steal) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return sec(usage.ru_utime) + sec(usage.ru_stime);
}

}  // namespace sluice::load
