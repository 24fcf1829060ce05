#include "rtmp/session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "base/errors.hpp"
#include "base/first_error.hpp"
#include "base/peer_address.hpp"
#include "base/reset_connection.hpp"
#include "base/untrusted_text.hpp"
#include "rtmp/chunk_writer.hpp"
#include "rtmp/handshake.hpp"
#include "rtmp/media_wire.hpp"
#include "rtmp/play_range.hpp"
#include "rtmp/protocol_messages.hpp"

namespace sluice::rtmp {

namespace asio = boost::asio;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;
using amf0::Value;

namespace {

constexpr uint32_t kServerWindow = 2'500'000;
constexpr size_t kMaxCommandSize = 64 * 1024;
constexpr size_t kSmallReadBuffer = 1024;
constexpr size_t kPublisherReadBuffer = 64 * 1024;

uint32_t now_ms() {
  using namespace std::chrono;
  return static_cast<uint32_t>(
      duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

// A timeout of silence, recorded as end reason "timeout" rather than "error".
class SilenceTimeout : public ProtocolError {
 public:
  using ProtocolError::ProtocolError;
};

const std::string& string_arg(const std::vector<Value>& cmd, size_t i) {
  static const std::string kEmpty;
  return i < cmd.size() ? cmd[i].as_string() : kEmpty;
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, ServerContext& context)
    : socket_(std::move(socket)),
      context_(context),
      id_(context.next_session_id++),
      peer_(peer_address(socket_)),
      out_chunk_size_(context.config.rtmp.out_chunk_size),
      reader_(context.config.rtmp.max_message_size),
      wake_(socket_.get_executor(), asio::steady_timer::time_point::max()) {
  reader_.set_partial_bytes_limit(context.config.rtmp.max_partial_bytes_before_publish);
}

Session::~Session() = default;

std::string Session::describe() const {
  return key_text_.empty() ? "rtmp " + peer_ : "rtmp " + peer_ + " " + key_text_;
}

void Session::on_subscription_news() {
  if (subscription_->ending() != media::Subscription::Ending::kTooSlow) return wake_writer();
  // The writer is most likely stuck in a write the viewer is not reading:
  // shut the socket so that write fails now instead of never.
  end_play(manage::PlayEnd::kTooSlow, "player too slow: skipped to a keyframe " +
                                          std::to_string(subscription_->skips()) + " times");
  reset_connection(socket_);
}

void Session::close(const std::string& reason) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = reason;
  wake_writer();
}

void Session::shutdown() {
  end_reason_ = store::EndReason::kInterrupted;
  end_play(manage::PlayEnd::kShutdown, "server shutting down");
}

void Session::end_play(manage::PlayEnd why, const std::string& reason) {
  if (!closing_) play_end_ = why;
  close(reason);
}

asio::awaitable<void> Session::run() {
  auto self = shared_from_this();
  std::string error;
  try {
    FirstError failure;
    co_await (failure.guard(handshake()) || failure.guard(watchdog()));
    failure.rethrow();
    if (handshake_done_ && !closing_) {
      co_await (failure.guard(read_loop()) || failure.guard(write_loop()) ||
                failure.guard(watchdog()));
      failure.rethrow();
    }
  } catch (const SilenceTimeout& e) {
    error = e.what();
    end_reason_ = store::EndReason::kTimeout;
  } catch (const ProtocolError& e) {
    error = e.what();
    end_reason_ = store::EndReason::kError;
  } catch (const boost::system::system_error& e) {
    // A publisher that just disconnects ends its stream normally, as with
    // nginx-rtmp and SRS; a reset or other failure of a publisher counts as
    // an error. Failures after we decided to close are our own doing.
    const bool peer_left = e.code() == asio::error::eof ||
                           e.code() == asio::error::operation_aborted ||
                           (e.code() == asio::error::connection_reset && role_ != Role::kPublisher);
    if (!closing_ && !peer_left) {
      error = e.code().message();
      end_reason_ = store::EndReason::kError;
    }
  } catch (const std::exception& e) {
    error = std::string("internal error: ") + e.what();
    end_reason_ = store::EndReason::kError;
  }
  stop_publishing(end_reason_);
  stop_playing();
  if (play_.active()) {
    // Not closing by our own decision: the player left, or failed.
    if (!closing_)
      play_end_ = error.empty() ? manage::PlayEnd::kViewerLeft : manage::PlayEnd::kError;
    play_.finish(play_end_, bytes_out_);
  }
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (!error.empty()) {
    spdlog::warn("{} closed: {}", describe(), error);
  } else if (!close_reason_.empty()) {
    spdlog::info("{} closed: {}", describe(), close_reason_);
  } else {
    spdlog::debug("{} closed by peer", describe());
  }
}

asio::awaitable<void> Session::handshake() {
  // C0 and C1 (RTMP spec 5.2.2-5.2.3).
  std::vector<uint8_t> c0c1(1 + handshake::kPacketSize);
  co_await asio::async_read(socket_, asio::buffer(c0c1), use_awaitable);
  if (c0c1[0] != handshake::kRtmpVersion) {
    throw ProtocolError("unsupported RTMP version " + std::to_string(c0c1[0]) + " in C0");
  }
  auto response = handshake::respond(std::span(c0c1).subspan(1), now_ms());
  co_await asio::async_write(socket_, asio::buffer(response.s0s1s2), use_awaitable);
  // C2 echoes S1; clients differ in how faithfully, so it is read, not checked.
  std::vector<uint8_t> c2(handshake::kPacketSize);
  co_await asio::async_read(socket_, asio::buffer(c2), use_awaitable);
  handshake_done_ = true;
  last_read_ = Clock::now();
  spdlog::debug("rtmp {} handshake done ({})", peer_,
                response.variant == handshake::Variant::kDigest ? "digest" : "plain");
}

asio::awaitable<void> Session::watchdog() {
  const auto& cfg = context_.config.rtmp;
  const auto started = Clock::now();
  asio::steady_timer timer(socket_.get_executor());
  // Sleeps until the earliest moment the session could be overdue, then
  // checks again (reads move the deadline), so thousands of sessions cost
  // a timer wake-up per timeout period each, not a steady polling load.
  for (;;) {
    Clock::time_point deadline;
    if (!handshake_done_) {
      deadline = started + cfg.handshake_timeout;
    } else if (role_ == Role::kPlayer) {
      deadline = Clock::now() + std::chrono::hours(1);  // a player may send nothing for hours
    } else {
      // Not publishing or playing yet: the handshake timeout again; a
      // publisher without media: the idle timeout.
      deadline = last_read_ + (role_ == Role::kNone ? cfg.handshake_timeout : cfg.idle_timeout);
    }
    if (Clock::now() >= deadline) {
      if (!handshake_done_) {
        throw SilenceTimeout("handshake not completed within " +
                             std::to_string(cfg.handshake_timeout.count()) + " ms");
      }
      throw SilenceTimeout("nothing received for " +
                           std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              Clock::now() - last_read_)
                                              .count()) +
                           " ms");
    }
    timer.expires_at(deadline);
    co_await timer.async_wait(use_awaitable);
  }
}

asio::awaitable<void> Session::read_loop() {
  // Players send little (acks, pings), and memory per viewer counts at
  // thousands of viewers; only a publisher gets a large read buffer.
  std::vector<uint8_t> buffer(kSmallReadBuffer);
  std::vector<Message> inbox;
  while (!closing_) {
    if (role_ == Role::kPublisher && buffer.size() < kPublisherReadBuffer)
      buffer.resize(kPublisherReadBuffer);
    size_t n = co_await socket_.async_read_some(asio::buffer(buffer), use_awaitable);
    last_read_ = Clock::now();
    reader_.feed({buffer.data(), n}, [&](Message&& m) { inbox.push_back(std::move(m)); });
    for (auto& m : inbox) {
      handle(m);
      if (parked_command_) co_await run_parked_command();
      if (closing_) break;
    }
    inbox.clear();
    maybe_acknowledge();
  }
  // closing_: the writer flushes what is queued and then ends the session,
  // which cancels this wait.
  asio::steady_timer forever(socket_.get_executor(), asio::steady_timer::time_point::max());
  co_await forever.async_wait(use_awaitable);
}

void Session::maybe_acknowledge() {
  if (peer_window_ == 0) return;
  const uint64_t received = reader_.bytes_received();
  if (received - acknowledged_ >= peer_window_) {
    acknowledged_ = received;
    send(acknowledgement(
        static_cast<uint32_t>(received)));  // the spec's sequence number wraps at 2^32
  }
}

void Session::handle(Message& m) {
  switch (m.type) {
    case kSetChunkSize:
    case kAbort:
    case kAcknowledgement:
    case kSetPeerBandwidth:
      return;  // chunk-level ones are applied by the reader; the rest need nothing
    case kWindowAckSize:
      if (m.payload.size() >= 4) peer_window_ = ByteReader(m.payload).u32be();
      return;
    case kUserControl: {
      ByteReader r(m.payload);
      if (r.u16be() == kPingRequest) send(ping_response(r.u32be(), out_chunk_size_));
      return;
    }
    case kCommandAmf0:
      return handle_command(m);
    case kCommandAmf3:
      // AMF3 command messages start with a format byte, then AMF0 (spec 7.1.1).
      if (!m.payload.empty()) m.payload.erase(m.payload.begin());
      return handle_command(m);
    case kAudio:
    case kVideo:
    case kDataAmf0:
    case kAggregate:
      return handle_data(m);
    default:
      spdlog::debug("{} ignored message type {}", describe(), m.type);
  }
}

void Session::handle_command(const Message& m) {
  // Real commands are a few hundred bytes; decoded AMF0 can take ~100x its
  // wire size, so a large "command" is refused before decoding.
  if (m.payload.size() > kMaxCommandSize)
    throw ProtocolError("command message of " + std::to_string(m.payload.size()) + " bytes");
  auto cmd = amf0::decode_all(m.payload);
  if (cmd.empty() || !cmd[0].is_string()) throw ProtocolError("command without a name");
  const std::string& name = cmd[0].as_string();
  const double txn = cmd.size() > 1 ? cmd[1].as_number() : 0;
  spdlog::debug("{} command {}", describe(), printable(name));

  if (name == "connect") return on_connect(txn, cmd.size() > 2 ? cmd[2] : Value());
  if (!connected_) throw ProtocolError("'" + printable(name) + "' before connect");
  if (name == "createStream")
    return send_result(txn, {Value::null(), Value::number(kMediaStreamId)});
  if (name == "publish" || name == "play") {
    parked_command_ = std::move(cmd);
    return;
  }
  if (name == "FCUnpublish" || name == "deleteStream" || name == "closeStream") {
    if (role_ == Role::kPublisher) stop_publishing(store::EndReason::kNormal);
    if (role_ == Role::kPlayer) close("player closed the stream");
    return;
  }
  if (name == "getStreamLength") {
    // A number, as FMS answers: a live stream has no length (0). ffmpeg
    // warns "Unexpected reply on getStreamLength()" at every play otherwise.
    if (txn > 0) send_result(txn, {Value::null(), Value::number(0)});
    return;
  }
  if (name == "releaseStream" || name == "FCPublish" || name == "checkBandwidth" ||
      name == "_checkbw" || name == "FCSubscribe") {
    if (txn > 0) send_result(txn, {Value::null(), Value::undefined()});
    return;
  }
  if (name == "_result" || name == "_error" || name == "onBWDone" || name == "_onbwcheck" ||
      name == "_onbwdone" || name == "pause" || name == "receiveAudio" || name == "receiveVideo" ||
      name == "seek") {
    return;
  }
  spdlog::debug("{} unknown command '{}'", describe(), printable(name));
  if (txn > 0) {
    send(command(
        0,
        {Value::string("_error"), Value::number(txn), Value::null(),
         Value::object({{"level", Value::string("error")},
                        {"code", Value::string("NetConnection.Call.Failed")},
                        {"description", Value::string("unknown command " + printable(name))}})},
        out_chunk_size_));
  }
}

void Session::on_connect(double txn, const Value& args) {
  if (connected_) throw ProtocolError("second connect on one connection");
  target_ = media::parse_connect(args.get("app") ? args.get("app")->as_string() : "",
                                 args.get("tcUrl") ? args.get("tcUrl")->as_string() : "");
  connected_ = true;
  send(window_ack_size(kServerWindow));
  send(set_peer_bandwidth(kServerWindow, 2));  // 2 = dynamic
  send(set_chunk_size(out_chunk_size_));
  auto props = Value::object({{"fmsVer", Value::string("FMS/3,5,3,888")},
                              {"capabilities", Value::number(127)},
                              {"mode", Value::number(1)}});
  auto info = Value::object({{"level", Value::string("status")},
                             {"code", Value::string("NetConnection.Connect.Success")},
                             {"description", Value::string("Connection succeeded.")},
                             {"objectEncoding", Value::number(0)}});
  send(command(0, {Value::string("_result"), Value::number(txn), props, info}, out_chunk_size_));
}

asio::awaitable<void> Session::run_parked_command() {
  auto cmd = std::move(*parked_command_);
  parked_command_.reset();
  if (cmd[0].as_string() == "publish") {
    co_await on_publish(cmd);
  } else {
    co_await on_play(cmd);
  }
}

manage::AccessRequest Session::access_request(manage::AccessAction action,
                                              const media::ResolvedStream& resolved) const {
  manage::AccessRequest request;
  request.action = action;
  request.protocol = manage::AccessProtocol::kRtmp;
  request.key = resolved.key;
  request.domain = resolved.domain;
  request.params = resolved.params;
  request.client_address = peer_;
  return request;
}

asio::awaitable<void> Session::on_publish(const std::vector<Value>& cmd) {
  if (role_ != Role::kNone) throw ProtocolError("publish on a connection that already has a role");
  auto resolution = media::resolve(target_, string_arg(cmd, 3), context_.config);
  auto& resolved = resolution.stream;
  if (!resolved) {
    refuse_unresolved(manage::AccessAction::kPublish, string_arg(cmd, 3), resolution.refusal);
    co_return;
  }
  // Named, not a temporary of the co_await (GCC 12; docs/design.md, Threads).
  auto admission =
      context_.gate.admit_publish(access_request(manage::AccessAction::kPublish, *resolved));
  auto decision = co_await std::move(admission);
  if (!decision.allowed()) {
    refuse(manage::AccessAction::kPublish, *decision.refusal);
    co_return;
  }
  if (closing_) {  // ended while the gate decided
    context_.gate.publish_ended(*decision.ticket, end_reason_, 0);
    co_return;
  }
  ticket_ = std::move(decision.ticket);
  role_ = Role::kPublisher;
  reader_.set_partial_bytes_limit(context_.config.rtmp.max_partial_bytes);
  stream_ = std::move(decision.stream);
  key_text_ = resolved->key.to_string();
  media::PublisherInfo info;
  info.publish_id = ticket_->id;
  info.client_address = peer_;
  info.domain = resolved->domain;
  info.started_at = ticket_->start_time;
  info.disconnect = [weak = weak_from_this()](media::DisconnectCause cause) {
    if (auto self = weak.lock()) self->disconnect(cause);
  };
  stream_->begin_publish(std::move(info));
  send(user_control(kStreamBegin, kMediaStreamId, out_chunk_size_));
  send(on_status("status", "NetStream.Publish.Start", resolved->key.stream + " is now published.",
                 out_chunk_size_));
}

void Session::disconnect(media::DisconnectCause cause) {
  const bool killed = cause == media::DisconnectCause::kKilled;
  const auto reason = killed ? store::EndReason::kKilled : store::EndReason::kForbidden;
  // End the publish now, not when the socket is done: the stream must be free
  // for a new publisher (and its history written) before the API answers.
  send(on_status("error", killed ? "NetStream.Publish.Killed" : "NetStream.Publish.Rejected",
                 killed ? "the stream was killed through the management API"
                        : "the stream was forbidden through the management API",
                 out_chunk_size_));
  stop_publishing(reason);
  close(killed ? "killed through the management API" : "forbidden through the management API");
}

asio::awaitable<void> Session::on_play(const std::vector<Value>& cmd) {
  if (role_ != Role::kNone) throw ProtocolError("play on a connection that already has a role");
  auto resolution = media::resolve(target_, string_arg(cmd, 3), context_.config);
  auto& resolved = resolution.stream;
  if (!resolved) {
    refuse_unresolved(manage::AccessAction::kPlay, string_arg(cmd, 3), resolution.refusal);
    co_return;
  }
  auto admission = context_.gate.admit_play(access_request(manage::AccessAction::kPlay, *resolved));
  auto decision = co_await std::move(admission);
  if (!decision.allowed()) {
    refuse(manage::AccessAction::kPlay, *decision.refusal);
    co_return;
  }
  play_ = std::move(decision.play);
  if (closing_) co_return;  // ended while the gate decided
  // sluice keeps no recordings, so every Start plays the live stream (as SRS
  // and nginx-rtmp do): -2 and -1 wait for a publisher as usual, and an
  // offset (librtmp sends Start 0 unless told --live) has nothing recorded
  // to seek in. Duration is honoured; see PlayLimit.
  const PlayRange range = parse_play_range(cmd);
  play_limit_ = PlayLimit(range.duration_ms);
  role_ = Role::kPlayer;
  stream_ = std::move(decision.stream);
  key_text_ = resolved->key.to_string();
  send(user_control(kStreamBegin, kMediaStreamId, out_chunk_size_));
  send(on_status("status", "NetStream.Play.Reset",
                 "Playing and resetting " + resolved->key.stream + ".", out_chunk_size_));
  send(on_status("status", "NetStream.Play.Start", "Started playing " + resolved->key.stream + ".",
                 out_chunk_size_));
  send(
      data_message(kMediaStreamId,
                   {Value::string("|RtmpSampleAccess"), Value::boolean(true), Value::boolean(true)},
                   out_chunk_size_));
  play_deadline_ = Clock::now() + context_.config.media.play_wait_timeout;
  subscription_ =
      std::make_shared<media::Subscription>(context_.config.media, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->on_subscription_news();
      });
  watching_ = stream_->add_viewer(subscription_);
  if (range.duration_ms) {
    spdlog::debug("{} asked to play {} ms of media", describe(), *range.duration_ms);
  }
  if (range.start == PlayRange::Start::kOffset) {
    spdlog::debug("{} asked to start at {} ms; a live stream plays from its GOP cache", describe(),
                  range.start_offset_ms);
  }
}

void Session::handle_data(Message& m) {
  if (role_ != Role::kPublisher || !stream_) {
    spdlog::debug("{} media before publish ignored", describe());
    return;
  }
  for_each_media(m,
                 [this](media::FrameKind kind, uint32_t timestamp, std::vector<uint8_t>&& payload) {
                   stream_->publish(kind, timestamp, std::move(payload));
                 });
}

void Session::stop_publishing(store::EndReason reason) {
  if (role_ != Role::kPublisher || !stream_) return;
  const uint64_t bytes_in = stream_->stats().bytes_in;
  stream_->end_publish();
  stream_.reset();
  role_ = Role::kNone;
  reader_.set_partial_bytes_limit(context_.config.rtmp.max_partial_bytes_before_publish);
  if (ticket_) context_.gate.publish_ended(*ticket_, reason, bytes_in);
  ticket_.reset();
}

void Session::stop_playing() {
  if (!subscription_) return;
  watching_.reset();
  subscription_.reset();
}

void Session::send(std::vector<uint8_t> wire) {
  outbox_.push_back(std::move(wire));
  wake_writer();
}

void Session::refuse_unresolved(manage::AccessAction action, const std::string& name,
                                const std::string& why) {
  manage::Refusal refusal{manage::Refusal::Kind::kBadName, why};
  context_.gate.refused_unresolved(action, manage::AccessProtocol::kRtmp, peer_,
                                   printable(target_.app + "/" + name), refusal);
  refuse(action, refusal);
}

void Session::refuse(manage::AccessAction action, const manage::Refusal& refusal) {
  send(on_status("error", std::string(manage::rtmp_status_code(action, refusal)), refusal.reason,
                 out_chunk_size_));
  close(std::string(action == manage::AccessAction::kPublish ? "publish" : "play") +
        " refused: " + refusal.reason);
}

void Session::send_result(double txn, std::vector<Value> values) {
  values.insert(values.begin(), {Value::string("_result"), Value::number(txn)});
  send(command(0, values, out_chunk_size_));
}

asio::awaitable<void> Session::write_loop() {
  for (;;) {
    if (!outbox_.empty()) {
      std::vector<std::vector<uint8_t>> batch(std::make_move_iterator(outbox_.begin()),
                                              std::make_move_iterator(outbox_.end()));
      outbox_.clear();
      std::vector<asio::const_buffer> buffers;
      for (const auto& b : batch) buffers.push_back(asio::buffer(b));
      count_sent(co_await asio::async_write(socket_, buffers, use_awaitable));
      continue;
    }
    if (closing_) co_return;
    if (subscription_) {
      if (subscription_->ending() == media::Subscription::Ending::kTooSlow) {
        end_play(manage::PlayEnd::kTooSlow, "player too slow: skipped to a keyframe " +
                                                std::to_string(subscription_->skips()) + " times");
        continue;
      }
      if (subscription_->has_items()) {
        co_await write_player_media();
        continue;
      }
      if (subscription_->ending() == media::Subscription::Ending::kStreamClosed) {
        for (auto& wire : play_end_messages(false)) send(std::move(wire));
        end_play(manage::PlayEnd::kStreamEnded, "publisher did not return within the grace period");
        continue;
      }
      if (!play_started_ && !subscription_->publisher_live() && Clock::now() >= play_deadline_) {
        send(on_status("error", "NetStream.Play.StreamNotFound",
                       "no publisher for " + stream_->key().to_string(), out_chunk_size_));
        end_play(manage::PlayEnd::kNotPublished, "stream not published within the wait timeout");
        continue;
      }
    }
    wake_.expires_at(subscription_ && !play_started_ ? play_deadline_ : Clock::time_point::max());
    boost::system::error_code ec;
    co_await wake_.async_wait(asio::redirect_error(use_awaitable, ec));
  }
}

asio::awaitable<void> Session::write_player_media() {
  std::deque<media::QueueItem> items;
  subscription_->drain_into(items);
  std::vector<media::SharedBytes> keep_alive;
  std::vector<asio::const_buffer> buffers;
  keep_alive.reserve(items.size());
  buffers.reserve(items.size());
  bool complete = false;
  for (const auto& item : items) {
    if (item.frame) {
      const auto verdict = play_limit_.admit(*item.frame);
      if (verdict == PlayLimit::Verdict::kSkip) continue;
      if (verdict != PlayLimit::Verdict::kStop) {
        keep_alive.push_back(rtmp_bytes(*item.frame, out_chunk_size_));
        buffers.push_back(asio::buffer(*keep_alive.back()));
      }
      if (verdict == PlayLimit::Verdict::kSend) continue;
      complete = true;
      break;
    } else if (item.event == media::StreamEvent::kPublisherJoined) {
      if (!play_started_) {  // the first start was announced by Play.Start
        play_started_ = true;
        continue;
      }
      keep_alive.push_back(std::make_shared<const media::Bytes>(
          on_status("status", "NetStream.Play.PublishNotify",
                    stream_->key().stream + " is now published.", out_chunk_size_)));
    } else if (item.event == media::StreamEvent::kPublisherLeft) {
      keep_alive.push_back(std::make_shared<const media::Bytes>(
          on_status("status", "NetStream.Play.UnpublishNotify",
                    stream_->key().stream + " is now unpublished.", out_chunk_size_)));
    } else {
      continue;
    }
    buffers.push_back(asio::buffer(*keep_alive.back()));
  }
  if (complete) {
    // Nothing more is wanted: leave the stream now, so no more frames queue.
    stop_playing();
    for (auto& wire : play_end_messages(true)) {
      keep_alive.push_back(std::make_shared<const media::Bytes>(std::move(wire)));
      buffers.push_back(asio::buffer(*keep_alive.back()));
    }
    end_play(manage::PlayEnd::kCompleted, "play complete after " +
                                              std::to_string(play_limit_.sent_ms()) +
                                              " ms of media (the Duration asked for)");
  }
  count_sent(co_await asio::async_write(socket_, buffers, use_awaitable));
}

void Session::count_sent(size_t bytes) {
  bytes_out_ += bytes;
  // A player's bytes are its stream's too (a publisher's acks are not).
  if (play_.active() && stream_) stream_->count_sent(bytes);
}

std::vector<Wire> Session::play_end_messages(bool completed) const {
  // What FMS sends when a play ends: onPlayStatus Complete when the play got
  // all it asked for, then Stream EOF (GStreamer's rtmp2src goes EOS on it)
  // and NetStream.Play.Stop (librtmp, so rtmpdump, exits 0 on it; ffmpeg
  // ends cleanly). The session then closes: one play per connection.
  std::vector<Wire> out;
  if (completed) {
    out.push_back(data_message(
        kMediaStreamId,
        {Value::string("onPlayStatus"),
         Value::object(
             {{"level", Value::string("status")},
              {"code", Value::string("NetStream.Play.Complete")},
              {"duration", Value::number(static_cast<double>(play_limit_.sent_ms()) / 1000)}})},
        out_chunk_size_));
  }
  out.push_back(user_control(kStreamEof, kMediaStreamId, out_chunk_size_));
  out.push_back(on_status("status", "NetStream.Play.Stop",
                          "Stopped playing " + stream_->key().stream + ".", out_chunk_size_));
  return out;
}

}  // namespace sluice::rtmp
