#pragma once
// One RTMP connection, from handshake to close, as a publisher or a player.
//
// Three coroutines run side by side and the first to finish ends the others:
// the reader (chunks in → commands and media), the writer (the only one that
// writes to the socket: command replies, then media for players) and a
// watchdog (handshake and idle timeouts). Everything runs on the media
// io_context's one thread, so session state needs no locks.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "manage/access_gate.hpp"
#include "media/stream_attachment.hpp"
#include "media/stream_name.hpp"
#include "media/subscription.hpp"
#include "net/listener.hpp"
#include "net/server_context.hpp"
#include "rtmp/amf0.hpp"
#include "rtmp/chunk_reader.hpp"
#include "rtmp/play_limit.hpp"

namespace sluice::rtmp {

class Session : public Connection, public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, ServerContext& context);
  ~Session() override;

  boost::asio::awaitable<void> run() override;
  // Ends the session from outside (kill, shutdown); safe to call repeatedly.
  void close(const std::string& reason) override;
  // A publish cut short by the server stopping is recorded as "interrupted".
  void shutdown() override;
  uint64_t id() const { return id_; }

 private:
  enum class Role { kNone, kPublisher, kPlayer };
  using Clock = std::chrono::steady_clock;

  boost::asio::awaitable<void> handshake();
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<void> write_loop();
  boost::asio::awaitable<void> watchdog();
  boost::asio::awaitable<void> write_player_media();
  // The messages that end a play: `completed` when its Duration is reached,
  // otherwise because the stream ended (no publisher within the grace).
  std::vector<std::vector<uint8_t>> play_end_messages(bool completed) const;

  void handle(Message& m);
  void handle_command(const Message& m);
  void handle_data(Message& m);
  void on_connect(double txn, const amf0::Value& args);
  // publish and play ask the access gate, which may await: handle_command
  // parks them and the reader runs them before it reads on.
  boost::asio::awaitable<void> run_parked_command();
  boost::asio::awaitable<void> on_publish(const std::vector<amf0::Value>& cmd);
  boost::asio::awaitable<void> on_play(const std::vector<amf0::Value>& cmd);
  manage::AccessRequest access_request(manage::AccessAction action,
                                       const media::ResolvedStream& resolved) const;
  void stop_publishing(store::EndReason reason);
  void disconnect(media::DisconnectCause cause);
  void stop_playing();
  // Ends a play for `why` (the first reason given wins), then closes.
  void end_play(manage::PlayEnd why, const std::string& reason);
  void maybe_acknowledge();

  void send(std::vector<uint8_t> wire);
  // The gate said no: the protocol's status for it, then close.
  void refuse(manage::AccessAction action, const manage::Refusal& refusal);
  // The name did not resolve (`why`), so the gate was never asked.
  void refuse_unresolved(manage::AccessAction action, const std::string& name,
                         const std::string& why);
  void send_result(double txn, std::vector<amf0::Value> values);
  void wake_writer() { wake_.cancel(); }
  void on_subscription_news();
  std::string describe() const;

  boost::asio::ip::tcp::socket socket_;
  ServerContext& context_;
  const uint64_t id_;
  const std::string peer_;
  const uint32_t out_chunk_size_;

  ChunkReader reader_;
  Role role_ = Role::kNone;
  bool connected_ = false;
  bool closing_ = false;
  std::string close_reason_;
  Clock::time_point last_read_ = Clock::now();
  bool handshake_done_ = false;

  media::ConnectTarget target_;
  std::optional<std::vector<amf0::Value>> parked_command_;
  uint32_t peer_window_ = 0;  // how often the peer wants an Acknowledgement
  uint64_t acknowledged_ = 0;

  std::shared_ptr<media::Stream> stream_;
  std::string key_text_;  // vhost/app/stream, for log lines
  std::optional<manage::PublishTicket> ticket_;
  store::EndReason end_reason_ = store::EndReason::kNormal;
  std::shared_ptr<media::Subscription> subscription_;
  // Removes the viewer from the stream on every way the session ends.
  media::StreamAttachment watching_;
  Clock::time_point play_deadline_;
  bool play_started_ = false;
  PlayLimit play_limit_{std::nullopt};
  // Reports the play's end to the lifecycle events.
  manage::PlayTicket play_;
  manage::PlayEnd play_end_ = manage::PlayEnd::kViewerLeft;
  uint64_t bytes_out_ = 0;  // everything written to the socket
  // Counts `bytes` written, for the session and, while it plays, its stream.
  void count_sent(size_t bytes);

  std::deque<std::vector<uint8_t>> outbox_;  // replies waiting for the writer
  boost::asio::steady_timer wake_;
};

}  // namespace sluice::rtmp
