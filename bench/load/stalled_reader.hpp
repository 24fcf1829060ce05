#pragma once
// A viewer that has stopped reading: the socket stays open, unread, so the
// server's send buffer and the viewer's queue fill up as with a stalled
// player. The server is expected to drop such a viewer (README, "Slow viewers").
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "session_stats.hpp"

namespace sluice::load {

// Opens `socket` (IPv4) with SO_RCVBUF set to `bytes`, ready for async_connect.
void open_with_receive_buffer(boost::asio::ip::tcp::socket& socket, int bytes);

// Checks the connection's TCP state once a second without reading; ends the
// session as "reset_while_stalled" (the server reset it) or
// "closed_while_stalled" (the server closed it) when that happens. Runs until
// cancelled otherwise.
boost::asio::awaitable<void> hold_unread(boost::asio::ip::tcp::socket& socket, SessionStats& stats);

}  // namespace sluice::load
