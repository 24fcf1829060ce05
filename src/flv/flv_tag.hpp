#pragma once
// FLV file layout (Adobe FLV spec v10.1, annex E): the 9-byte header plus
// PreviousTagSize0, and one tag per frame.
#include <cstdint>

#include "media/frame.hpp"

namespace sluice::flv {

// "FLV", version 1, flags (audio | video), header size 9, PreviousTagSize0 = 0.
media::Bytes file_header(bool has_audio = true, bool has_video = true);

// Tag header (11 bytes) + body + PreviousTagSize (4 bytes).
media::Bytes tag(const media::Frame& frame);

// tag(frame), built once per frame and shared by every HTTP-FLV viewer.
media::SharedBytes shared_tag(const media::Frame& frame);

}  // namespace sluice::flv
