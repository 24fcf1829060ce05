// onMetaData's absent-track mark: added only to single-track metadata of
// the shape encoders send, never twice, and every malformed or cut copy is
// left alone without reading past its end.
#include "media/metadata.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sluice::media {
namespace {

// onMetaData + ECMA array {<key>: 7} as ffmpeg writes it (-an: videocodecid).
Bytes single_track_metadata(const std::string& key) {
  const std::string wire = std::string("\x02\x00\x0aonMetaData\x08\x00\x00\x00\x01", 18) +
                           std::string("\x00\x0c", 2) + key +
                           std::string("\x00\x40\x1c\x00\x00\x00\x00\x00\x00", 9) +  // 7.0
                           std::string("\x00\x00\x09", 3);
  return Bytes(wire.begin(), wire.end());
}

Bytes video_only_metadata() {
  return single_track_metadata("videocodecid");
}

std::string text(const Bytes& b) {
  return std::string(b.begin(), b.end());
}

TEST(Metadata, AVideoOnlyStreamGetsAnEmptyAudioCodecIdObject) {
  const auto in = video_only_metadata();
  auto out = mark_absent_track(in, /*has_audio=*/false, /*has_video=*/true);
  ASSERT_TRUE(out);
  // Everything before the end marker is kept; the key follows; the array ends.
  EXPECT_TRUE(std::equal(in.begin() + 18, in.end() - 3, out->begin() + 18));
  const std::string added =
      std::string("\x00\x0c", 2) + "audiocodecid" + std::string("\x03\x00\x00\x09\x00\x00\x09", 7);
  EXPECT_EQ(text(*out).substr(out->size() - added.size()), added);
  EXPECT_EQ((*out)[17], 2);  // the array's count went from 1 to 2
  EXPECT_TRUE(is_metadata(*out));
  // Marking again finds the key and does nothing.
  EXPECT_FALSE(mark_absent_track(*out, false, true));
}

TEST(Metadata, AnAudioOnlyStreamGetsAnEmptyVideoCodecIdObject) {
  auto in = single_track_metadata("audiocodecid");
  auto out = mark_absent_track(in, /*has_audio=*/true, /*has_video=*/false);
  ASSERT_TRUE(out);
  EXPECT_NE(text(*out).find(std::string("\x00\x0cvideocodecid\x03\x00\x00\x09", 18)),
            std::string::npos);
}

TEST(Metadata, BothTracksOrNeitherAreLeftAlone) {
  EXPECT_FALSE(mark_absent_track(video_only_metadata(), true, true));
  EXPECT_FALSE(mark_absent_track(video_only_metadata(), false, false));
}

TEST(Metadata, OtherShapesAndEveryCutCopyAreLeftAlone) {
  auto object_form = video_only_metadata();
  object_form[13] = 0x03;  // an object, not an ECMA array
  EXPECT_FALSE(mark_absent_track(object_form, false, true));
  const auto in = video_only_metadata();
  for (size_t n = 0; n < in.size(); ++n) {
    Bytes cut(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(mark_absent_track(cut, false, true)) << "cut to " << n << " bytes";
  }
  Bytes not_metadata = in;
  not_metadata[5] = 'X';
  EXPECT_FALSE(mark_absent_track(not_metadata, false, true));
}

}  // namespace
}  // namespace sluice::media
