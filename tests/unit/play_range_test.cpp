#include "rtmp/play_range.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace sluice::rtmp {
namespace {

using amf0::Value;

std::vector<Value> play(std::vector<Value> args) {
  std::vector<Value> cmd{Value::string("play"), Value::number(4), Value::null(),
                         Value::string("cam")};
  cmd.insert(cmd.end(), args.begin(), args.end());
  return cmd;
}

TEST(PlayRange, NoArgumentsMeanLiveOrRecordedUntilTheEnd) {
  const auto r = parse_play_range(play({}));
  EXPECT_EQ(r.start, PlayRange::Start::kLiveOrRecorded);
  EXPECT_FALSE(r.duration_ms);
}

TEST(PlayRange, StartInSecondsOrMillisecondsAsClientsSendIt) {
  // ffmpeg's default and live, librtmp's --live.
  EXPECT_EQ(parse_play_range(play({Value::number(-2000)})).start,
            PlayRange::Start::kLiveOrRecorded);
  EXPECT_EQ(parse_play_range(play({Value::number(-2)})).start, PlayRange::Start::kLiveOrRecorded);
  EXPECT_EQ(parse_play_range(play({Value::number(-1000)})).start, PlayRange::Start::kLiveOnly);
  EXPECT_EQ(parse_play_range(play({Value::number(-1)})).start, PlayRange::Start::kLiveOnly);
  // Other negative values are read as -2.
  EXPECT_EQ(parse_play_range(play({Value::number(-7)})).start, PlayRange::Start::kLiveOrRecorded);
}

TEST(PlayRange, NonNegativeStartIsAnOffsetInMilliseconds) {
  // librtmp without --live sends 0; with --start 2, 2000.
  auto zero = parse_play_range(play({Value::number(0)}));
  EXPECT_EQ(zero.start, PlayRange::Start::kOffset);
  EXPECT_EQ(zero.start_offset_ms, 0u);
  auto two = parse_play_range(play({Value::number(2000.7)}));
  EXPECT_EQ(two.start, PlayRange::Start::kOffset);
  EXPECT_EQ(two.start_offset_ms, 2000u);
}

TEST(PlayRange, DurationMinusOneZeroAndPositive) {
  EXPECT_FALSE(parse_play_range(play({Value::number(-1000), Value::number(-1)})).duration_ms);
  EXPECT_FALSE(parse_play_range(play({Value::number(-1000), Value::number(-5)})).duration_ms);
  EXPECT_EQ(parse_play_range(play({Value::number(-1000), Value::number(0)})).duration_ms, 0u);
  // rtmpdump --live --stop 3
  EXPECT_EQ(parse_play_range(play({Value::number(-1000), Value::number(3000)})).duration_ms, 3000u);
  // rtmpdump --start 2 --stop 5 sends Duration stop - start.
  EXPECT_EQ(parse_play_range(play({Value::number(2000), Value::number(3000)})).duration_ms, 3000u);
}

TEST(PlayRange, ArgumentsThatAreNotFiniteNumbersTakeTheirDefaults) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& bad :
       {Value::null(), Value::string("3000"), Value::boolean(true), Value::object(),
        Value::number(nan), Value::number(inf), Value::number(-inf)}) {
    const auto r = parse_play_range(play({bad, bad}));
    EXPECT_EQ(r.start, PlayRange::Start::kLiveOrRecorded);
    EXPECT_FALSE(r.duration_ms);
  }
}

TEST(PlayRange, HugeValuesAreCappedNotOverflowed) {
  const auto r = parse_play_range(play({Value::number(1e300), Value::number(1e300)}));
  EXPECT_EQ(r.start, PlayRange::Start::kOffset);
  EXPECT_EQ(r.start_offset_ms, 1'000'000'000'000u);
  EXPECT_EQ(r.duration_ms, 1'000'000'000'000u);
}

}  // namespace
}  // namespace sluice::rtmp
