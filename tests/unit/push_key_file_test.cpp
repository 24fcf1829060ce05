// The default vhost's generated push key: written once (0600), reused, not
// made when the config has one, and a bad file is a clear error.
#include "manage/push_key_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace sluice::manage {
namespace {

class PushKeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-push-key-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    config_.data_dir = dir_ / "data";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  config::Config config_;
};

TEST_F(PushKeyFileTest, GeneratedOnceThenReused) {
  const auto first = load_or_generate_push_key(config_);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->generated_now);
  EXPECT_EQ(first->key.size(), 32u);
  EXPECT_EQ(first->file, config_.data_dir / "push-key.toml");
  struct stat st {};
  ASSERT_EQ(::stat(first->file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  const auto second = load_or_generate_push_key(config_);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->generated_now);
  EXPECT_EQ(second->key, first->key);
  EXPECT_EQ(read_push_key_file(first->file), first->key);
}

TEST_F(PushKeyFileTest, NotNeededWhenTheConfigGivesTheDefaultVhostAKey) {
  config::VhostConfig v;
  v.name = config_.default_vhost;
  v.push_key_secondary = "configured";
  config_.vhosts.push_back(v);
  EXPECT_FALSE(load_or_generate_push_key(config_));
  EXPECT_FALSE(std::filesystem::exists(push_key_path(config_.data_dir)));
}

TEST_F(PushKeyFileTest, AMalformedFileIsAnErrorNamingIt) {
  std::filesystem::create_directories(config_.data_dir);
  std::ofstream(push_key_path(config_.data_dir)) << "push_key = \n";
  try {
    load_or_generate_push_key(config_);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("push-key.toml"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_push_key_file(dir_ / "absent.toml"), std::nullopt);
}

}  // namespace
}  // namespace sluice::manage
