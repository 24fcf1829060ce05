#pragma once
// onMetaData as players read it. One adjustment sluice makes for
// single-track streams: the absent track's codec id is added as an empty
// AMF0 object ("audiocodecid": {}), the convention FFmpeg's FLV demuxer
// reads, once it has seen the present track, as "no such track here" (libavformat/flvdec.c,
// amf_parse_object). Without it ffmpeg, ffprobe and ffplay wait for the
// missing track for their whole analysis window (5 s) before they play.
#include <cstdint>
#include <optional>
#include <span>

#include "media/frame.hpp"

namespace sluice::media {

// AMF0 string "onMetaData" at the start of a data message.
bool is_metadata(std::span<const uint8_t> payload);

// `payload` (onMetaData + an ECMA array, as encoders send it) with the
// codec id of the track that is absent added as an empty object; nullopt
// when the stream has both tracks or neither, when the key is already
// there, or when the bytes are not that shape (they are then left alone).
std::optional<Bytes> mark_absent_track(std::span<const uint8_t> payload, bool has_audio,
                                       bool has_video);

}  // namespace sluice::media
