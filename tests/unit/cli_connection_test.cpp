// Where the CLI takes its endpoint, keys and region from: flags, then the
// environment, then the server's config file (--config) or the key file the
// server generated in its data directory, then the defaults.
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

  void write_key_file(const std::string& text) { write_key_file_in(flags_.data_dir, text); }
  static void write_key_file_in(const fs::path& data_dir, const std::string& text) {
    fs::create_directories(data_dir);
    std::ofstream(data_dir / "api-key.toml") << text;
  }
  // A server config file; the CLI then finds everything through it.
  void write_config(const std::string& text) {
    flags_.config_file = (dir_ / "sluice.toml").string();
    std::ofstream(flags_.config_file) << text;
    flags_.data_dir.clear();
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

TEST_F(CliConnection, EndpointWithoutPortUsesTheApisPort) {
  ::setenv("SLUICE_ENDPOINT", "10.0.0.5", 1);
  EXPECT_EQ(resolve_endpoint(flags_).url(), "http://10.0.0.5:1985");
  flags_.endpoint = "http://localhost";
  EXPECT_EQ(resolve_endpoint(flags_).url(), "http://localhost:1985");
}

TEST_F(CliConnection, ConfigGivesEndpointKeysAndRegion) {
  write_config(
      "[api]\nlisten = \"0.0.0.0:2985\"\nregion = \"eu-west-1\"\n"
      "[[api.keys]]\naccess_key = \"CFGAK\"\nsecret_key = \"config-secret-0123456789\"\n");
  EXPECT_EQ(resolve_endpoint(flags_).url(), "http://127.0.0.1:2985");  // wildcard → loopback
  auto c = resolve_credentials(flags_);
  EXPECT_EQ(c.access_key, "CFGAK");
  EXPECT_EQ(c.secret_key, "config-secret-0123456789");
  EXPECT_NE(c.source.find("sluice.toml"), std::string::npos);
  EXPECT_EQ(resolve_region(flags_), "eu-west-1");

  write_config("[api]\nlisten = \"[::]:2986\"\n");
  EXPECT_EQ(resolve_endpoint(flags_).url(), "http://[::1]:2986");
  write_config("[api]\nlisten = \"192.0.2.7:2987\"\n");
  EXPECT_EQ(resolve_endpoint(flags_).url(), "http://192.0.2.7:2987");
  EXPECT_EQ(resolve_region(flags_), "cn-north-1");  // the config's default
}

TEST_F(CliConnection, ConfigWithoutKeysPointsAtItsDataDirsKeyFile) {
  const fs::path server_data = dir_ / "server-data";
  write_key_file_in(server_data, "access_key = \"GENAK\"\nsecret_key = \"GENSK\"\n");
  write_config("data_dir = \"" + server_data.string() + "\"\n");
  auto c = resolve_credentials(flags_);
  EXPECT_EQ(c.access_key, "GENAK");
  EXPECT_EQ(c.source, (server_data / "api-key.toml").string());
  // no api.listen: the server's default
  EXPECT_EQ(resolve_endpoint(flags_).url(), "http://127.0.0.1:1985");
}

TEST_F(CliConnection, FlagsThenEnvironmentThenConfig) {
  write_config(
      "[api]\nlisten = \"127.0.0.1:2985\"\nregion = \"eu-west-1\"\n"
      "[[api.keys]]\naccess_key = \"CFGAK\"\nsecret_key = \"config-secret-0123456789\"\n");
  ::setenv("SLUICE_ENDPOINT", "127.0.0.1:3000", 1);
  ::setenv("VOLC_ACCESSKEY", "ENVAK", 1);
  ::setenv("VOLC_SECRETKEY", "ENVSK", 1);
  EXPECT_EQ(resolve_endpoint(flags_).url(), "http://127.0.0.1:3000");
  EXPECT_EQ(resolve_credentials(flags_).access_key, "ENVAK");

  flags_.endpoint = "127.0.0.1:4000";
  flags_.access_key = "FLAGAK";
  flags_.secret_key = "FLAGSK";
  flags_.region = "ap-east-1";
  EXPECT_EQ(resolve_endpoint(flags_).url(), "http://127.0.0.1:4000");
  EXPECT_EQ(resolve_credentials(flags_).access_key, "FLAGAK");
  EXPECT_EQ(resolve_region(flags_), "ap-east-1");

  // An explicit --data-dir is a flag too: its key file wins over the config's keys.
  ::unsetenv("VOLC_ACCESSKEY");
  ::unsetenv("VOLC_SECRETKEY");
  flags_.access_key.clear();
  flags_.secret_key.clear();
  flags_.data_dir = (dir_ / "flag-data").string();
  write_key_file("access_key = \"DIRAK\"\nsecret_key = \"DIRSK\"\n");
  EXPECT_EQ(resolve_credentials(flags_).access_key, "DIRAK");
}

TEST_F(CliConnection, ABadOrMissingConfigIsAUsageError) {
  flags_.config_file = (dir_ / "absent.toml").string();
  EXPECT_THROW(resolve_endpoint(flags_), UsageError);
  EXPECT_THROW(resolve_credentials(flags_.data_dir.empty() ? flags_ : [&] {
    auto f = flags_;
    f.data_dir.clear();
    return f;
  }()),
               UsageError);
  write_config("[api]\nlisten = \"nowhere\"\n");
  try {
    resolve_endpoint(flags_);
    ADD_FAILURE() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("api.listen"), std::string::npos) << e.what();
  }
  // port 0 (picked at start) cannot be reached from the file alone
  write_config("[api]\nlisten = \"127.0.0.1:0\"\n");
  EXPECT_THROW(resolve_endpoint(flags_), UsageError);
}

}  // namespace
}  // namespace sluice::cli
