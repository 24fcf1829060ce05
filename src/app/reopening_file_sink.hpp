#pragma once
// The log file of `--log-file PATH`: appended to, one line written (and
// flushed) per call, and reopened by path on request (SIGUSR1), so that
// logrotate can rename the file and have sluice start a new one at PATH
// without copytruncate's lost lines.
#include <spdlog/sinks/base_sink.h>

#include <cstdio>
#include <filesystem>
#include <mutex>

namespace sluice {

class ReopeningFileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Opens (creates) `path` for appending; throws std::runtime_error when it cannot.
  explicit ReopeningFileSink(std::filesystem::path path);
  ~ReopeningFileSink() override;
  ReopeningFileSink(const ReopeningFileSink&) = delete;
  ReopeningFileSink& operator=(const ReopeningFileSink&) = delete;

  // Opens `path` again (a new file if it was renamed away). On failure the
  // old file stays in use and the reason is returned; empty on success.
  std::string reopen();
  const std::filesystem::path& path() const { return path_; }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
};

}  // namespace sluice
