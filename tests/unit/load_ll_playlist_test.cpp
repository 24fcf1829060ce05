// The load tool's reading of an LL-HLS playlist (bench/load/media_playlist,
// ll_part_cursor): parts numbered per segment, the preload hint, server
// control, and where an LL player starts and goes next. The playlist is the
// one sluice renders (src/hls/ll_playlist.cpp), in shape and URIs.
#include <gtest/gtest.h>

#include "ll_part_cursor.hpp"
#include "media_playlist.hpp"
#include "playlist_attributes.hpp"

namespace sluice::load {
namespace {

// Segments 20 and 21 complete (5 parts each, the last of 21 shorter), 22 open
// with two parts; parts of 20 listed, 19 not. One part is an independent one
// inside segment 22 only at its start.
constexpr const char* kLive = R"(#EXTM3U
#EXT-X-VERSION:9
#EXT-X-TARGETDURATION:1
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600,CAN-SKIP-UNTIL=6.0
#EXT-X-PART-INF:PART-TARGET=0.200
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA-SEQUENCE:19
#EXT-X-MAP:URI="s.init0.mp4?hls_ctx=ab"
#EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:00:00.000Z
#EXTINF:1.000,
s.19.m4s?hls_ctx=ab
#EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:00:01.000Z
#EXT-X-PART:DURATION=0.200,URI="s.20_0.m4s?hls_ctx=ab",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.200,URI="s.20_1.m4s?hls_ctx=ab"
#EXT-X-PART:DURATION=0.200,URI="s.20_2.m4s?hls_ctx=ab"
#EXT-X-PART:DURATION=0.200,URI="s.20_3.m4s?hls_ctx=ab"
#EXT-X-PART:DURATION=0.200,URI="s.20_4.m4s?hls_ctx=ab"
#EXTINF:1.000,
s.20.m4s?hls_ctx=ab
#EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:00:02.000Z
#EXT-X-PART:DURATION=0.200,URI="s.21_0.m4s?hls_ctx=ab",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.200,URI="s.21_1.m4s?hls_ctx=ab"
#EXT-X-PART:DURATION=0.200,URI="s.21_2.m4s?hls_ctx=ab"
#EXT-X-PART:DURATION=0.200,URI="s.21_3.m4s?hls_ctx=ab"
#EXT-X-PART:DURATION=0.100,URI="s.21_4.m4s?hls_ctx=ab"
#EXTINF:0.900,
s.21.m4s?hls_ctx=ab
#EXT-X-PART:DURATION=0.200,URI="s.22_0.m4s?hls_ctx=ab",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.200,URI="s.22_1.m4s?hls_ctx=ab"
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="s.22_2.m4s?hls_ctx=ab"
)";

MediaPlaylist parse(std::string_view text) {
  std::string error;
  auto playlist = parse_media_playlist(text, error);
  EXPECT_TRUE(playlist) << error;
  return playlist ? *playlist : MediaPlaylist{};
}

TEST(LoadLlPlaylist, ReadsPartsHintAndServerControl) {
  const auto p = parse(kLive);
  ASSERT_EQ(p.segments.size(), 3u);
  EXPECT_EQ(p.segments.back().sequence, 21u);
  EXPECT_EQ(p.next_sequence, 22u);
  ASSERT_EQ(p.parts.size(), 12u);
  EXPECT_EQ(p.parts[0].msn, 20u);
  EXPECT_EQ(p.parts[0].index, 0u);
  EXPECT_TRUE(p.parts[0].independent);
  EXPECT_FALSE(p.parts[1].independent);
  EXPECT_EQ(p.parts[9].msn, 21u);
  EXPECT_EQ(p.parts[9].index, 4u);
  EXPECT_DOUBLE_EQ(p.parts[9].duration_s, 0.1);
  EXPECT_EQ(p.parts[11].msn, 22u);
  EXPECT_EQ(p.parts[11].index, 1u);
  EXPECT_EQ(p.parts[11].uri, "s.22_1.m4s?hls_ctx=ab");
  ASSERT_TRUE(p.preload_hint);
  EXPECT_EQ(p.preload_hint->msn, 22u);
  EXPECT_EQ(p.preload_hint->index, 2u);
  EXPECT_EQ(p.preload_hint->uri, "s.22_2.m4s?hls_ctx=ab");
  EXPECT_TRUE(p.can_block_reload);
  EXPECT_EQ(p.part_hold_back_s, 0.6);
  EXPECT_EQ(p.part_target_s, 0.2);
  EXPECT_EQ(p.map_uri, "s.init0.mp4?hls_ctx=ab");
  EXPECT_EQ(p.parts_of_complete(21), 5u);
  EXPECT_EQ(p.parts_of_complete(19), std::nullopt);  // parts not listed
  EXPECT_EQ(p.parts_of_complete(22), std::nullopt);  // still open
}

TEST(LoadLlPlaylist, ADeltaUpdateKeepsTheSequenceNumbers) {
  const auto p = parse(
      "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:10\n"
      "#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n#EXTINF:1.0,\ns.14.m4s\n"
      "#EXT-X-PART:DURATION=0.2,URI=\"s.15_0.m4s\"\n");
  ASSERT_EQ(p.segments.size(), 1u);
  EXPECT_EQ(p.segments[0].sequence, 14u);
  ASSERT_EQ(p.parts.size(), 1u);
  EXPECT_EQ(p.parts[0].msn, 15u);
  EXPECT_FALSE(p.preload_hint);
}

TEST(LoadLlPlaylist, APartWithoutUriIsAnError) {
  std::string error;
  EXPECT_FALSE(
      parse_media_playlist("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-PART:DURATION=0.2\n", error));
  EXPECT_EQ(error, "EXT-X-PART without URI");
}

TEST(LoadLlPlaylist, AttributesMayQuoteCommas) {
  const std::string_view list = R"(URI="a,b.m4s",DURATION=0.2,INDEPENDENT=YES)";
  EXPECT_EQ(attribute(list, "URI"), "a,b.m4s");
  EXPECT_EQ(attribute(list, "DURATION"), "0.2");
  EXPECT_EQ(attribute(list, "INDEPENDENT"), "YES");
  EXPECT_EQ(attribute(list, "BYTERANGE"), std::nullopt);
  EXPECT_EQ(attribute(R"(URI="unclosed)", "URI"), std::nullopt);
}

TEST(LoadLlPartCursor, StartsPartHoldBackFromTheEdgeOnAnIndependentPart) {
  auto p = parse(kLive);
  // 0.6 s back from the end of 22_1 lies in 21_3; decoding starts at 21_0.
  EXPECT_EQ(ll_start_part(p), (PartId{21, 0}));
  // With every part independent (audio-only) it starts right there.
  for (auto& part : p.parts) part.independent = true;
  EXPECT_EQ(ll_start_part(p), (PartId{21, 3}));
  // Without PART-HOLD-BACK: three part targets, the same here.
  p.part_hold_back_s.reset();
  EXPECT_EQ(ll_start_part(p), (PartId{21, 3}));
  p.parts.clear();
  EXPECT_EQ(ll_start_part(p), std::nullopt);
}

TEST(LoadLlPartCursor, MovesOnToTheNextSegmentAndCatchesUpWithTheWindow) {
  const auto p = parse(kLive);
  EXPECT_EQ(ll_next_part({21, 3}, p), (PartId{21, 3}));
  EXPECT_EQ(ll_next_part({21, 5}, p), (PartId{22, 0}));  // 21 ended after part 4
  EXPECT_EQ(ll_next_part({22, 2}, p), (PartId{22, 2}));  // the open segment's next
  EXPECT_EQ(ll_next_part({18, 2}, p), (PartId{20, 0}));  // fell out of the window
}

}  // namespace
}  // namespace sluice::load
