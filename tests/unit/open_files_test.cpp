#include "net/open_files.hpp"

#include <sys/resource.h>

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(OpenFiles, MediaConnectionsGetWhatIsLeftAfterSluiceAndTheApi) {
  // 1024 - 20 open - 32 headroom - 128 api = 844
  EXPECT_EQ(media_connections_that_fit(1024, 20, 128, 10000), 844u);
  EXPECT_EQ(media_connections_that_fit(1'048'576, 20, 128, 10000), 10000u);
  EXPECT_EQ(media_connections_that_fit(180, 20, 128, 10000), 0u);
  EXPECT_EQ(media_connections_that_fit(100, 20, 128, 10000), 0u);
}

TEST(OpenFiles, RaisesTheSoftLimitToTheHardOne) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  if (saved.rlim_max < 64) GTEST_SKIP() << "hard limit too low to test";
  rlimit lowered = saved;
  lowered.rlim_cur = 32;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  const auto limit = raise_open_files_limit();
  rlimit now{};
  getrlimit(RLIMIT_NOFILE, &now);
  setrlimit(RLIMIT_NOFILE, &saved);
  EXPECT_EQ(limit.soft_before, 32u);
  EXPECT_EQ(limit.soft, limit.hard);
  EXPECT_EQ(now.rlim_cur, now.rlim_max);
  EXPECT_FALSE(limit.raise_failed);
}

TEST(OpenFiles, CountsOpenDescriptors) {
  const size_t before = open_descriptor_count();
  FILE* f = std::fopen("/dev/null", "r");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(open_descriptor_count(), before + 1);
  std::fclose(f);
}

}  // namespace
}  // namespace sluice
