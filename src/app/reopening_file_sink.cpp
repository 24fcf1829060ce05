#include "app/reopening_file_sink.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace sluice {

namespace {

std::FILE* open_for_append(const std::filesystem::path& path, std::string& error) {
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (!file) error = "cannot open log file " + path.string() + ": " + std::strerror(errno);
  return file;
}

}  // namespace

ReopeningFileSink::ReopeningFileSink(std::filesystem::path path) : path_(std::move(path)) {
  std::string error;
  file_ = open_for_append(path_, error);
  if (!file_) throw std::runtime_error(error);
}

ReopeningFileSink::~ReopeningFileSink() {
  if (file_) std::fclose(file_);
}

std::string ReopeningFileSink::reopen() {
  std::lock_guard lock(mutex_);
  std::string error;
  std::FILE* fresh = open_for_append(path_, error);
  if (!fresh) return error;
  std::fclose(file_);
  file_ = fresh;
  return {};
}

void ReopeningFileSink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t line;
  formatter_->format(msg, line);
  std::fwrite(line.data(), 1, line.size(), file_);
  // A line reaches the file when it is logged: a crash or a `tail -f` sees
  // everything up to it. The log is low-volume (no per-frame lines).
  std::fflush(file_);
}

void ReopeningFileSink::flush_() {
  std::fflush(file_);
}

}  // namespace sluice
