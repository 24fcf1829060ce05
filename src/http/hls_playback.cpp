#include "http/hls_playback.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <charconv>

#include "base/coroutine_warnings.hpp"
#include "base/untrusted_text.hpp"
#include "hls/media_playlist.hpp"
#include "http/hls_common.hpp"
#include "http/ll_hls_playback.hpp"
#include "http/play_request.hpp"
#include "media/stream_name.hpp"

namespace sluice::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

// Waits until the segmenter has a segment or `deadline` passes.
asio::awaitable<void> wait_first_segment(const std::shared_ptr<hls::TsSegmenter>& segmenter,
                                         std::chrono::steady_clock::time_point deadline) {
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, deadline);
  segmenter->when_next_segment([weak = std::weak_ptr(timer)] {
    if (auto t = weak.lock()) t->cancel();
  });
  boost::system::error_code ec;
  co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// A playlist for a viewer that has its session.
asio::awaitable<Response> serve_session_playlist(ServerContext& context, HlsSessions& sessions,
                                                 HlsSessions::Session& session,
                                                 const QueryLookup& query,
                                                 const RequestContext& r) {
  const auto flavour = requested_flavour(context.config, HlsSessions::key_of(session).vhost, query);
  if (flavour.empty()) co_return hls_text(400, "hls must be ts or ll");
  if (flavour == "ll") {
    auto ll = serve_ll_playlist(context, sessions, session, query, r);
    co_return co_await std::move(ll);
  }
  auto segmenter = sessions.segmenter(session);
  auto* still = &session;
  if (segmenter->segments().empty()) {
    const auto key = HlsSessions::key_of(session);  // a copy: the session may end while waiting
    const auto deadline = std::chrono::steady_clock::now() + context.config.media.play_wait_timeout;
    while (segmenter->segments().empty() && std::chrono::steady_clock::now() < deadline) {
      auto waiting = wait_first_segment(segmenter, deadline);
      co_await std::move(waiting);
    }
    if (segmenter->segments().empty())
      co_return hls_text(404, "stream " + key.to_string() + " is not being published");
    still = sessions.find_named(session_param(query), key.app, key.stream);
    if (!still) co_return hls_text(404, "the viewing session has ended");
  }
  auto playlist = hls::render_ts_playlist(*segmenter, playlist_base_name(r.request.target()) + ".",
                                          r.query, false);
  sessions.count_bytes(*still, playlist.size());
  auto ok = hls_response(200, "application/vnd.apple.mpegurl", std::move(playlist));
  ok.set(bhttp::field::cache_control, "no-cache");
  co_return ok;
}

}  // namespace

asio::awaitable<Response> serve_hls_playlist(ServerContext& context, HlsSessions& sessions,
                                             const RequestContext& r) {
  const QueryLookup query(r.query);
  // A viewer's reloads: served from its session's stream.
  if (auto* session =
          sessions.find_named(session_param(query), r.params.get("app"), r.params.get("stream"))) {
    auto playlist = serve_session_playlist(context, sessions, *session, query, r);
    co_return co_await std::move(playlist);
  }
  // A new viewer (or one whose session ended): admitted, then sent to its session's URL.
  auto resolution = resolve_hls(context, r, r.params.get("stream"));
  if (!resolution.stream) {
    context.gate.refused_unresolved(
        manage::AccessAction::kPlay, manage::AccessProtocol::kHls, std::string(r.peer),
        printable(std::string(r.params.get("app")) + "/" + std::string(r.params.get("stream"))),
        {manage::Refusal::Kind::kBadName, resolution.refusal});
    co_return hls_text(400, resolution.refusal);
  }
  const auto& key = resolution.stream->key;
  if (requested_flavour(context.config, key.vhost, query).empty())
    co_return hls_text(400, "hls must be ts or ll");
  // Sessions outlive connections, so the connection caps do not bound them.
  if (sessions.size() >= context.config.hls.max_sessions) {
    auto busy = hls_text(503, "too many HLS viewers (hls.max_sessions)");
    busy.set(bhttp::field::retry_after, "5");
    co_return busy;
  }
  manage::AccessRequest access{
      manage::AccessAction::kPlay, manage::AccessProtocol::kHls, key,
      resolution.stream->domain,   resolution.stream->params,    std::string(r.peer),
      request_headers(r.request)};
  auto admission = context.gate.admit_play(std::move(access));
  auto decision = co_await std::move(admission);
  if (!decision.allowed())
    co_return hls_text(manage::http_status(*decision.refusal), decision.refusal->reason);
  const auto id = sessions.open(std::move(decision), key);
  // A stale hls_ctx is replaced, not repeated.
  std::string session_query = query_without(r.query, {kSessionParam});
  session_query += (session_query.empty() ? "" : "&") + std::string(kSessionParam) + "=" + id;
  auto redirect = hls_text(302, "the playlist of this viewing session follows");
  redirect.set(bhttp::field::location,
               playlist_base_name(r.request.target()) + ".m3u8?" + session_query);
  co_return redirect;
}

asio::awaitable<Response> serve_hls_segment(ServerContext& context, HlsSessions& sessions,
                                            const RequestContext& r) {
  // "{stream}.{seq}": the sequence number is what follows the last dot.
  const std::string_view name = r.params.get("stream");
  const auto dot = name.rfind('.');
  uint64_t sequence = 0;
  if (dot == std::string_view::npos || dot + 1 == name.size() || name.size() - dot > 20)
    co_return hls_text(404, "not a segment name (expected {stream}.{sequence}.ts)");
  const auto digits = name.substr(dot + 1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
  if (error != std::errc() || end != digits.data() + digits.size())
    co_return hls_text(404, "not a segment name (expected {stream}.{sequence}.ts)");
  const QueryLookup query(r.query);
  auto* session =
      sessions.find_named(session_param(query), r.params.get("app"), name.substr(0, dot));
  if (!session) co_return no_session(context, r, name.substr(0, dot));
  auto segmenter = sessions.segmenter(*session);
  const auto* segment = segmenter->find(sequence);
  if (!segment)
    co_return hls_text(404, "segment " + std::to_string(sequence) + " is not in the window");
  sessions.count_bytes(*session, segment->bytes->size());
  auto ok = hls_response(200, "video/mp2t", {});
  ok.body().share(segment->bytes);  // every viewer is served from the one copy
  ok.prepare_payload();
  // A segment never changes once listed.
  ok.set(bhttp::field::cache_control, "max-age=60");
  co_return ok;
}

}  // namespace sluice::http
