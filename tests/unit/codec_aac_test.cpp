// AudioSpecificConfig from ffmpeg's AAC-LC encoder and, bit by bit, the
// HE-AAC forms ffmpeg cannot make; our ADTS header against ffmpeg's.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "flv_file.hpp"
#include "media/codec/codec_config.hpp"

namespace sluice::media::codec {
namespace {

TEST(CodecAac, FfmpegAacLc) {
  struct Case {
    const char* fixture;
    uint32_t hz;
    uint8_t channels;
  };
  for (const Case& c : {Case{"codec/h264-baseline-aac-lc.flv", 44100, 1},
                        Case{"codec/h264-high-bframes-aac-lc.flv", 48000, 2}}) {
    auto config =
        parse_audio_config(test::first_sequence_header(test::read_flv_fixture(c.fixture), 8));
    ASSERT_TRUE(config) << c.fixture << ": " << config.error();
    EXPECT_EQ(config->aac.object_type, 2u);
    EXPECT_EQ(config->aac.core_object_type, 2u);
    EXPECT_EQ(config->aac.sampling_frequency, c.hz);
    EXPECT_EQ(config->aac.channel_configuration, c.channels);
    EXPECT_FALSE(config->aac.sbr);
  }
}

TEST(CodecAac, AdtsHeaderMatchesFfmpeg) {
  auto tags = test::read_flv_fixture("codec/h264-baseline-aac-lc.flv");
  auto config = parse_audio_config(test::first_sequence_header(tags, 8));
  ASSERT_TRUE(config) << config.error();
  const std::string adts = test::read_fixture_text("codec/h264-baseline-aac-lc.adts");
  // ffmpeg's ADTS file is the raw frames in order, each behind a header.
  size_t pos = 0, compared = 0;
  for (const auto& t : tags) {
    if (t.type != 8 || t.body.size() < 2 || t.body[1] != 1) continue;
    const size_t raw = t.body.size() - 2;
    auto header = adts_header(config->aac, raw);
    ASSERT_TRUE(header);
    ASSERT_LE(pos + 7 + raw, adts.size());
    EXPECT_EQ(std::string(header->begin(), header->end()), adts.substr(pos, 7))
        << "frame " << compared;
    EXPECT_EQ(std::string(t.body.begin() + 2, t.body.end()), adts.substr(pos + 7, raw));
    pos += 7 + raw;
    ++compared;
  }
  EXPECT_EQ(pos, adts.size());
  EXPECT_GE(compared, 5u);
}

TEST(CodecAac, HeAacExplicitSbr) {
  // AOT 5 | 24 kHz (6) | stereo | extension 48 kHz (3) | core AOT 2
  auto config = parse_audio_specific_config(std::vector<uint8_t>{0x2B, 0x11, 0x88});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->object_type, 5u);
  EXPECT_EQ(config->core_object_type, 2u);
  EXPECT_TRUE(config->sbr);
  EXPECT_FALSE(config->ps);
  EXPECT_EQ(config->sampling_frequency, 24000u);
  EXPECT_EQ(config->extension_sampling_frequency, 48000u);
  EXPECT_EQ(config->channel_configuration, 2);
  // ADTS describes the AAC-LC core at its own rate.
  auto header = adts_header(*config, 100);
  ASSERT_TRUE(header);
  EXPECT_EQ((*header)[2] >> 6, 1);           // profile: AOT 2 - 1
  EXPECT_EQ(((*header)[2] >> 2) & 0x0F, 6);  // 24 kHz
}

TEST(CodecAac, HeAacV2ParametricStereo) {
  // AOT 29 | 24 kHz | mono | extension 48 kHz | core AOT 2
  auto config = parse_audio_specific_config(std::vector<uint8_t>{0xEB, 0x09, 0x88});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->object_type, 29u);
  EXPECT_TRUE(config->ps);
  EXPECT_TRUE(config->sbr);
  EXPECT_EQ(config->core_object_type, 2u);
  EXPECT_EQ(config->channel_configuration, 1);
}

TEST(CodecAac, EscapedObjectTypeAndExplicitFrequency) {
  // AOT 31 + 6 bits (10) = 42 | 44.1 kHz (4) | stereo
  auto escaped = parse_audio_specific_config(std::vector<uint8_t>{0xF9, 0x48, 0x40});
  ASSERT_TRUE(escaped) << escaped.error();
  EXPECT_EQ(escaped->object_type, 42u);
  EXPECT_EQ(escaped->sampling_frequency, 44100u);
  EXPECT_FALSE(adts_header(*escaped, 100)) << "ADTS has no profile for AOT 42";

  // AOT 2 | index 15 + 24-bit 44100 | stereo
  auto explicit_rate =
      parse_audio_specific_config(std::vector<uint8_t>{0x17, 0x80, 0x56, 0x22, 0x10});
  ASSERT_TRUE(explicit_rate) << explicit_rate.error();
  EXPECT_EQ(explicit_rate->sampling_frequency, 44100u);
  EXPECT_FALSE(explicit_rate->sampling_index);
  EXPECT_FALSE(adts_header(*explicit_rate, 100)) << "ADTS has only the 4-bit index";
}

TEST(CodecAac, MalformedConfigsFail) {
  EXPECT_FALSE(parse_audio_specific_config({}));
  EXPECT_FALSE(parse_audio_specific_config(std::vector<uint8_t>{0x12}));          // cut
  EXPECT_FALSE(parse_audio_specific_config(std::vector<uint8_t>{0x00, 0x10}));    // AOT 0
  auto reserved = parse_audio_specific_config(std::vector<uint8_t>{0x16, 0x90});  // index 13
  ASSERT_FALSE(reserved);
  EXPECT_NE(reserved.error().find("reserved sampling frequency"), std::string::npos);
  EXPECT_FALSE(parse_audio_specific_config(std::vector<uint8_t>{0x2B, 0x11}));  // SBR cut
  EXPECT_FALSE(parse_audio_config(std::vector<uint8_t>{0x2F, 0x00, 0x12, 0x10}))
      << "MP3 (format 2) is not AAC";
  EXPECT_FALSE(parse_audio_config(std::vector<uint8_t>{0xAF, 0x01, 0x12, 0x10}))
      << "a raw frame is not a sequence header";
  EXPECT_FALSE(parse_audio_config(std::vector<uint8_t>{0xAF}));
  const AacConfig lc{2, 2, 4, 44100, std::nullopt, 2, false, false};
  EXPECT_TRUE(adts_header(lc, 8191 - 7));
  EXPECT_FALSE(adts_header(lc, 8191 - 6)) << "13-bit frame length";
}

}  // namespace
}  // namespace sluice::media::codec
