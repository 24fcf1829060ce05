#pragma once
// One RTMP publisher replaying an FLV file at real time (paced by the tags'
// timestamps): connect / releaseStream / FCPublish / createStream / publish,
// Set Chunk Size 4096 first, @setDataFrame onMetaData from the file's script
// tag. With `loop`, the file repeats with continuous timestamps (sequence
// headers and metadata only once).
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>

#include "flv_file.hpp"
#include "session_stats.hpp"
#include "target.hpp"

namespace sluice::load {

struct PublisherResult {
  std::string stream;
  std::string error;       // empty: published until the end
  bool published = false;  // NetStream.Publish.Start seen
  uint64_t bytes_sent = 0;
  uint64_t tags_sent = 0;
  double publish_start_ms = 0;  // from TCP connect to Publish.Start
  double seconds = 0;           // from Publish.Start to the end
  Clock::time_point started{};  // Publish.Start
};

// With `stamp_wallclock`, every AVC frame carries the wall clock of its
// sending in an SEI NAL (wallclock_sei.hpp), for latency measurements.
boost::asio::awaitable<void> run_publisher(const Target& target, const FlvFile& file, bool loop,
                                           Clock::time_point end, PublisherResult& result,
                                           bool stamp_wallclock = false);

}  // namespace sluice::load
