// Where the CLI takes its endpoint and keys from: flags, then the
// environment, then the key file the server generated in its data directory.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "cli/connection.hpp"
#include "cli/usage_error.hpp"

namespace sluice::cli {
namespace {

namespace fs = std::filesystem;

// Clears the variables the CLI reads, and puts them back afterwards.
class CleanEnvironment {
 public:
  CleanEnvironment() {
    for (const char* name : kNames) {
      const char* value = std::getenv(name);
      saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
      ::unsetenv(name);
    }
  }
  ~CleanEnvironment() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name, value->c_str(), 1);
      } else {
        ::unsetenv(name);
      }
    }
  }

 private:
  static constexpr const char* kNames[] = {"VOLC_ACCESSKEY", "VOLC_SECRETKEY", "SLUICE_ENDPOINT"};
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

class CliConnection : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    flags_.data_dir = (dir_ / "data").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_key_file(const std::string& text) {
    fs::create_directories(flags_.data_dir);
    std::ofstream(fs::path(flags_.data_dir) / "api-key.toml") << text;
  }

  std::string usage_error_text() {
    try {
      resolve_credentials(flags_);
    } catch (const UsageError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no UsageError";
    return {};
  }

  CleanEnvironment env_;
  fs::path dir_;
  ConnectionFlags flags_;
};

TEST_F(CliConnection, FlagsWinOverEnvironmentAndKeyFile) {
  ::setenv("VOLC_ACCESSKEY", "ENVAK", 1);
  ::setenv("VOLC_SECRETKEY", "ENVSK", 1);
  write_key_file("access_key = \"FILEAK\"\nsecret_key = \"FILESK\"\n");
  flags_.access_key = "FLAGAK";
  flags_.secret_key = "FLAGSK";
  auto c = resolve_credentials(flags_);
  EXPECT_EQ(c.access_key, "FLAGAK");
  EXPECT_EQ(c.secret_key, "FLAGSK");
  EXPECT_EQ(c.source, "--ak");
}

TEST_F(CliConnection, EnvironmentWinsOverKeyFile) {
  ::setenv("VOLC_ACCESSKEY", "ENVAK", 1);
  ::setenv("VOLC_SECRETKEY", "ENVSK", 1);
  write_key_file("access_key = \"FILEAK\"\nsecret_key = \"FILESK\"\n");
  auto c = resolve_credentials(flags_);
  EXPECT_EQ(c.access_key, "ENVAK");
  EXPECT_EQ(c.secret_key, "ENVSK");
  EXPECT_EQ(c.source, "VOLC_ACCESSKEY");
}

TEST_F(CliConnection, KeyFileOfTheDataDirectoryLast) {
  write_key_file("access_key = \"FILEAK\"\nsecret_key = \"FILESK\"\n");
  auto c = resolve_credentials(flags_);
  EXPECT_EQ(c.access_key, "FILEAK");
  EXPECT_EQ(c.secret_key, "FILESK");
  EXPECT_EQ(c.source, (fs::path(flags_.data_dir) / "api-key.toml").string());
}

TEST_F(CliConnection, HalfAPairIsAMistakeNotAFallback) {
  write_key_file("access_key = \"FILEAK\"\nsecret_key = \"FILESK\"\n");
  flags_.access_key = "FLAGAK";
  EXPECT_NE(usage_error_text().find("both an access key and a secret key"), std::string::npos);
  flags_.access_key.clear();
  ::setenv("VOLC_SECRETKEY", "ENVSK", 1);
  EXPECT_NE(usage_error_text().find("both an access key and a secret key"), std::string::npos);
}

TEST_F(CliConnection, NoKeysOrABrokenKeyFileAreUsageErrors) {
  EXPECT_NE(usage_error_text().find("api-key.toml does not exist"), std::string::npos);
  write_key_file("access_key = \"FILEAK\"\n");
  EXPECT_NE(usage_error_text().find("secret_key"), std::string::npos);
  write_key_file("not toml [");
  EXPECT_FALSE(usage_error_text().empty());
}

TEST_F(CliConnection, EndpointFromFlagThenEnvironmentThenDefault) {
  EXPECT_EQ(resolve_endpoint(flags_).url(), kDefaultEndpoint);
  ::setenv("SLUICE_ENDPOINT", "api.example.com", 1);
  EXPECT_EQ(resolve_endpoint(flags_).url(), "https://api.example.com");
  flags_.endpoint = "127.0.0.1:2000";
  EXPECT_EQ(resolve_endpoint(flags_).url(), "http://127.0.0.1:2000");
  flags_.endpoint = "gopher://x";
  EXPECT_THROW(resolve_endpoint(flags_), UsageError);
}

}  // namespace
}  // namespace sluice::cli
