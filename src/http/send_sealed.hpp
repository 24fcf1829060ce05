#pragma once
// Sends a sealed file's bytes (base/sealed_bytes.hpp) to a socket with
// sendfile(2): the kernel queues the file's pages, without copying them into
// the socket buffer as write(2) would. Waits for the socket to take more
// when its buffer is full, until `deadline`; a slow reader never blocks the
// thread.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>

namespace sluice::http {

// Throws boost::system::system_error on a socket error, and with
// asio::error::timed_out when `deadline` passes first.
boost::asio::awaitable<void> send_sealed(boost::asio::ip::tcp::socket& socket, int fd, size_t size,
                                         std::chrono::steady_clock::time_point deadline);

}  // namespace sluice::http
