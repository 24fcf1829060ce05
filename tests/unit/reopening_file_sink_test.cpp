#include "app/reopening_file_sink.hpp"

#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice {
namespace {

std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ReopeningFileSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-sink-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ReopeningFileSinkTest, RenamedAwayThenReopenedWritesANewFileAtThePath) {
  const auto path = dir_ / "sluice.log";
  auto sink = std::make_shared<ReopeningFileSink>(path);
  spdlog::logger logger("test", sink);
  logger.set_pattern("%v");
  logger.info("before");
  EXPECT_EQ(contents(path), "before\n");  // flushed per line
  std::filesystem::rename(path, dir_ / "sluice.log.1");
  logger.info("still the old file");
  EXPECT_EQ(sink->reopen(), "");
  logger.info("after");
  EXPECT_EQ(contents(dir_ / "sluice.log.1"), "before\nstill the old file\n");
  EXPECT_EQ(contents(path), "after\n");
}

TEST_F(ReopeningFileSinkTest, AppendsToAnExistingFile) {
  const auto path = dir_ / "sluice.log";
  std::ofstream(path) << "kept\n";
  auto sink = std::make_shared<ReopeningFileSink>(path);
  spdlog::logger logger("test", sink);
  logger.set_pattern("%v");
  logger.info("added");
  EXPECT_EQ(contents(path), "kept\nadded\n");
}

TEST_F(ReopeningFileSinkTest, AFileThatCannotBeOpenedIsAClearErrorAndReopenKeepsTheOld) {
  EXPECT_THROW(ReopeningFileSink(dir_ / "missing-dir" / "x.log"), std::runtime_error);
  const auto path = dir_ / "sub" / "sluice.log";
  std::filesystem::create_directories(path.parent_path());
  auto sink = std::make_shared<ReopeningFileSink>(path);
  spdlog::logger logger("test", sink);
  logger.set_pattern("%v");
  std::filesystem::rename(path.parent_path(), dir_ / "moved");
  const std::string problem = sink->reopen();
  EXPECT_NE(problem.find("cannot open log file"), std::string::npos) << problem;
  logger.info("to the old file");
  EXPECT_EQ(contents(dir_ / "moved" / "sluice.log"), "to the old file\n");
}

}  // namespace
}  // namespace sluice
