#include "net/incident_log.hpp"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

namespace sluice {

IncidentLog::IncidentLog(boost::asio::any_io_executor executor, std::string prefix,
                         std::chrono::milliseconds interval, Sink sink)
    : prefix_(std::move(prefix)),
      interval_(interval),
      sink_(sink ? std::move(sink) : [](const std::string& line) { spdlog::warn("{}", line); }),
      timer_(std::move(executor)) {}

void IncidentLog::record(const std::string& what, const std::string& first_detail) {
  auto [it, first] = repeats_.try_emplace(what, 0);
  if (!first) {
    ++it->second;
    return;
  }
  sink_(fmt::format("{} {}{}; repeats are counted and reported every {} s", prefix_, what,
                    first_detail, interval_.count() / 1000.0));
  arm();
}

void IncidentLog::arm() {
  if (armed_) return;
  armed_ = true;
  timer_.expires_after(interval_);
  // The timer is cancelled when the log is destroyed: the handler must not
  // touch `this` then.
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    armed_ = false;
    report();
  });
}

void IncidentLog::report() {
  for (auto it = repeats_.begin(); it != repeats_.end();) {
    if (it->second == 0) {
      // A quiet interval: the next occurrence is news again.
      it = repeats_.erase(it);
      continue;
    }
    sink_(fmt::format("{} {}: {} more in the last {} s", prefix_, it->first, it->second,
                      interval_.count() / 1000.0));
    it->second = 0;
    ++it;
  }
  if (!repeats_.empty()) arm();
}

}  // namespace sluice
