#pragma once
// What the HLS segmenter tests (TS and LL) share: a real media::Stream that
// feeds a segmenter the codec fixture's frames, its one GOP repeated every
// `GopMs` (frames at or past GopMs are left out, so GOPs never overlap), and
// a viewer that keeps the stream through the publisher's grace, as HLS
// sessions do.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "flv_file.hpp"
#include "media/registry.hpp"
#include "media/stream.hpp"
#include "media/subscriber.hpp"

namespace sluice::test {

template <typename Segmenter, typename Limits, uint32_t GopMs>
struct SegmenterFixture : ::testing::Test {
  static constexpr uint32_t kGopMs = GopMs;

  boost::asio::io_context io;
  config::MediaConfig cfg;
  media::Registry registry{io.get_executor(), cfg};
  media::StreamKey key{"v", "live", "s"};
  std::vector<FlvTag> tags = read_flv_fixture("codec/h264-baseline-aac-lc.flv");
  std::shared_ptr<media::Stream> stream;
  std::shared_ptr<Segmenter> segmenter;
  media::StreamAttachment attached;

  void start(Limits limits) {
    stream = registry.stream_for_publisher(key);
    segmenter = std::make_shared<Segmenter>(limits);
    attached = stream->attach_output(segmenter);
    stream->begin_publish({});
  }
  // The fixture's headers, then `gops` copies of its GOP from `start_ms`;
  // `audio`/`video` leave a track out.
  void publish(uint32_t start_ms, int gops, bool audio = true, bool video = true) {
    auto wanted = [&](const FlvTag& t) { return (t.type == 8 && audio) || (t.type == 9 && video); };
    for (const auto& t : tags) {
      if (is_header(t) && wanted(t))
        stream->publish(static_cast<media::FrameKind>(t.type), start_ms, t.body);
    }
    for (int g = 0; g < gops; ++g) {
      for (const auto& t : tags) {
        if (is_header(t) || !wanted(t) || t.timestamp >= GopMs) continue;
        stream->publish(static_cast<media::FrameKind>(t.type), start_ms + g * GopMs + t.timestamp,
                        t.body);
      }
    }
  }
  size_t video_per_gop() const {
    size_t n = 0;
    for (const auto& t : tags) n += t.type == 9 && t.body.size() > 1 && t.body[1] == 1;
    return n;
  }

 private:
  static bool is_header(const FlvTag& t) { return t.body.size() > 1 && t.body[1] == 0; }
};

// Keeps a stream through the publisher's grace without taking its frames.
struct IdleViewer : media::Subscriber {
  void on_frame(const media::FramePtr&) override {}
  void on_publisher_joined() override {}
  void on_publisher_left() override {}
  void on_stream_closed() override {}
};

}  // namespace sluice::test
