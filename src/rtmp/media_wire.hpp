#pragma once
// Media between RTMP messages and media::Frames, both directions.
#include <cstdint>
#include <functional>
#include <vector>

#include "media/frame.hpp"
#include "rtmp/message.hpp"

namespace sluice::rtmp {

using MediaSink =
    std::function<void(media::FrameKind, uint32_t timestamp, std::vector<uint8_t>&& payload)>;

// Passes each media frame in a publisher's message to `sink`: audio and video
// as they are; `@setDataFrame onMetaData` unwrapped to `onMetaData` (what
// players expect to receive); aggregate messages (type 22) split into their
// FLV tags. Throws ProtocolError on a malformed aggregate message.
void for_each_media(Message& m, const MediaSink& sink);

// The frame as RTMP chunks on the media message stream, built once per frame
// and chunk size and shared by every RTMP viewer using that size (today all
// use rtmp.out_chunk_size).
media::SharedBytes rtmp_bytes(const media::Frame& frame, uint32_t chunk_size);

}  // namespace sluice::rtmp
