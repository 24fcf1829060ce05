#include "fixtures.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace sluice::test {
namespace {

TEST(Fixtures, EveryRecordingAndTheVectorsAreInTheRepository) {
  for (const char* name : {"ffmpeg-publish.c2s", "gstreamer-rtmp2sink-publish.c2s",
                           "ffmpeg-play.c2s", "librtmp-play.c2s"}) {
    EXPECT_GT(read_fixture(name).size(), kHandshakeBytes) << name;
  }
  EXPECT_NE(read_fixture_text("sign/sign-vectors.json").find("\"vectors\""), std::string::npos);
}

TEST(Fixtures, AMissingFixtureIsAClearErrorNamingItsPath) {
  try {
    read_fixture("no-such-recording.c2s");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("tests/fixtures/rtmp/no-such-recording.c2s"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace sluice::test
