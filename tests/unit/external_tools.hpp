#pragma once
// Running the real ffmpeg/ffprobe from unit tests: a command's output, and
// bytes written to a temporary file for them to read.
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace sluice::test {

// Everything `command` writes to stdout (add 2>&1 for stderr too).
inline std::string run_command(const std::string& command) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::array<char, 4096> buffer;
  while (pipe && fgets(buffer.data(), buffer.size(), pipe.get())) out += buffer.data();
  return out;
}

// A file in the temporary directory named after this process, removed when
// the guard goes.
class TempFile {
 public:
  TempFile(const std::string& name, const std::vector<uint8_t>& bytes)
      : path_(std::filesystem::temp_directory_path() /
              ("sluice-" + std::to_string(::getpid()) + "-" + name)) {
    std::ofstream(path_, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// What ffmpeg says decoding all of `path` (empty: decoded cleanly).
inline std::string ffmpeg_decode_errors(const std::string& path) {
  return run_command("ffmpeg -nostdin -v error -i '" + path + "' -f null - 2>&1");
}

}  // namespace sluice::test
