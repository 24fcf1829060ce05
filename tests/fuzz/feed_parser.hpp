#pragma once
// Runs bytes through a Beast parser the way beast::http::read does (put until
// done, need_more or an error; then end of input), without a socket.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>

namespace sluice::fuzz {

// True when a whole request was parsed.
template <typename Parser>
bool feed_parser(Parser& parser, const uint8_t* data, size_t size) {
  parser.eager(true);
  boost::beast::error_code ec;
  while (size > 0 && !parser.is_done()) {
    size_t used = parser.put(boost::asio::buffer(data, size), ec);
    if (ec == boost::beast::http::error::need_more) return false;
    if (ec || used == 0) return false;
    data += used;
    size -= used;
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec) return false;
  }
  return parser.is_done();
}

}  // namespace sluice::fuzz
