#pragma once
// The end of a connection whose request was refused before it was read in
// full (a header or body over the limit), once the answer is written.
// Closing at once would leave the client's unread bytes in our receive
// buffer, and the kernel then resets the connection: a client still sending
// gets EPIPE/ECONNRESET and never reads the answer. So, as nginx's
// lingering close does, only our sending side is shut (the client reads the
// answer and then end-of-stream) and what the client still sends is read
// and dropped, up to kLingerBytes or kLingerTime, whichever comes first.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>

namespace sluice::http {

inline constexpr size_t kLingerBytes = 8 * 1024 * 1024;
inline constexpr auto kLingerTime = std::chrono::seconds(5);

boost::asio::awaitable<void> lingering_close(boost::asio::ip::tcp::socket& socket);

}  // namespace sluice::http
