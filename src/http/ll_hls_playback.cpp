#include "http/ll_hls_playback.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <charconv>

#include "base/coroutine_warnings.hpp"
#include "hls/blocking_reload.hpp"
#include "hls/ll_playlist.hpp"
#include "http/hls_common.hpp"

namespace sluice::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;

constexpr size_t kSegmentsBeforeFirstPlaylist = 2;

// Waits until the segmenter's next part or `deadline`.
asio::awaitable<void> wait_next_part(const std::shared_ptr<hls::LlSegmenter>& segmenter,
                                     Clock::time_point deadline) {
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, deadline);
  segmenter->when_next_part([weak = std::weak_ptr(timer)] {
    if (auto t = weak.lock()) t->cancel();
  });
  boost::system::error_code ec;
  co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// The draft's bound on holding a request: three target durations.
Clock::duration hold_limit(const hls::LlSegmenter& segmenter) {
  return std::chrono::seconds(3 * segmenter.target_duration_s());
}

// A part index beyond any a segment of this stream can reach (parts are at
// least a frame long; a segment is about a target duration, a long GOP more).
uint64_t max_parts(const hls::LlSegmenter& segmenter) {
  const auto part_ms = static_cast<uint64_t>(segmenter.limits().part_target.count());
  return 4 * (segmenter.target_duration_s() * 1000 / part_ms + 1);
}

// Holds until `request` is listed or the hold limit passes; false when the
// request is beyond the live edge.
asio::awaitable<bool> hold_until_listed(const std::shared_ptr<hls::LlSegmenter>& segmenter,
                                        const hls::ReloadRequest& request) {
  const auto deadline = Clock::now() + hold_limit(*segmenter);
  for (;;) {
    const auto verdict = hls::decide_reload(request, segmenter->edge(), max_parts(*segmenter));
    if (verdict == hls::ReloadVerdict::kBadRequest) co_return false;
    // Held also while the publisher is away: within the grace it may come
    // back, and an answer listing nothing new makes players reload in a loop.
    if (verdict == hls::ReloadVerdict::kAnswer || Clock::now() >= deadline) co_return true;
    auto waiting = wait_next_part(segmenter, deadline);
    co_await std::move(waiting);
  }
}

struct MediaName {
  std::string_view stream;
  uint64_t msn = 0;
  std::optional<uint64_t> part;
};

std::optional<uint64_t> number(std::string_view digits) {
  uint64_t value = 0;
  if (digits.empty() || digits.size() > 19) return std::nullopt;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// "{stream}.{msn}" or "{stream}.{msn}_{part}".
std::optional<MediaName> parse_media_name(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  MediaName out;
  out.stream = name.substr(0, dot);
  auto rest = name.substr(dot + 1);
  const auto underscore = rest.find('_');
  auto msn = number(rest.substr(0, underscore));
  if (!msn) return std::nullopt;
  out.msn = *msn;
  if (underscore != std::string_view::npos) {
    out.part = number(rest.substr(underscore + 1));
    if (!out.part) return std::nullopt;
  }
  return out;
}

// A part, segment or init section never changes once listed.
Response media_answer(std::string body) {
  auto ok = hls_response(200, "video/mp4", std::move(body));
  ok.set(bhttp::field::cache_control, "max-age=60");
  return ok;
}

// The same, served from the segmenter's one copy (no copy per viewer).
Response media_answer(media::SharedBytes bytes) {
  auto ok = media_answer(std::string());
  ok.body().share(std::move(bytes));
  ok.prepare_payload();
  return ok;
}

}  // namespace

asio::awaitable<Response> serve_ll_playlist(ServerContext& context, HlsSessions& sessions,
                                            HlsSessions::Session& session, const QueryLookup& query,
                                            const RequestContext& r) {
  const auto parsed =
      hls::parse_reload({query.get("_HLS_msn"), query.get("_HLS_part"), query.get("_HLS_skip")});
  if (!parsed.error.empty()) co_return hls_text(400, parsed.error);
  // The session may end while the request waits: found again by these after.
  const auto id = session_param(query);
  const auto app = r.params.get("app"), stream = r.params.get("stream");
  auto segmenter = sessions.ll_segmenter(session);
  // The first playlist lists complete segments (players other than LL-HLS
  // ones read only those), two of them: with one, hls.js starts inside it,
  // finds nothing after its parts yet and reloads them in a loop, stalling.
  auto ready = [&] { return segmenter->segments().size() >= kSegmentsBeforeFirstPlaylist; };
  if (!ready()) {
    const auto key = HlsSessions::key_of(session);  // a copy, for after the wait
    const auto deadline = Clock::now() + context.config.media.play_wait_timeout;
    while (!ready() && Clock::now() < deadline) {
      auto waiting = wait_next_part(segmenter, deadline);
      co_await std::move(waiting);
    }
    if (segmenter->segments().empty())
      co_return hls_text(404, "stream " + key.to_string() + " is not being published");
  }
  auto holding = hold_until_listed(segmenter, parsed.request);
  if (!co_await std::move(holding))
    co_return hls_text(400, "_HLS_msn/_HLS_part is beyond the live edge");
  // The session may have ended while the request was held.
  auto* still = sessions.find_named(id, app, stream);
  if (!still) co_return hls_text(404, "the viewing session has ended");
  // The URIs keep the session's parameters, not the blocking-reload directives.
  const auto kept_query = query_without(r.query, {"_HLS_msn", "_HLS_part", "_HLS_skip"});
  const auto name = playlist_base_name(r.request.target());
  // Rendered once per part for every viewer of the stream, their query put in.
  auto playlist = sessions.ll_playlists(*still)->render(
      segmenter, {.name = name, .uri_query = kept_query, .skip = parsed.request.skip});
  sessions.count_bytes(*still, playlist.size());
  auto ok = hls_response(200, "application/vnd.apple.mpegurl", std::move(playlist));
  ok.set(bhttp::field::cache_control, "no-cache");
  co_return ok;
}

asio::awaitable<Response> serve_ll_media(ServerContext& context, HlsSessions& sessions,
                                         const RequestContext& r) {
  const auto name = parse_media_name(r.params.get("stream"));
  if (!name) co_return hls_text(404, "not a segment or part name ({stream}.{msn}[_{part}].m4s)");
  const QueryLookup query(r.query);  // the session id is a view into it
  const auto id = session_param(query);
  auto* session = sessions.find_named(id, r.params.get("app"), name->stream);
  if (!session) co_return no_session(context, r, name->stream);
  auto segmenter = sessions.ll_segmenter(*session);
  // The next part (the preload hint) or segment is held until it exists.
  const hls::ReloadRequest wanted{.msn = name->msn, .part = name->part};
  if (hls::decide_reload(wanted, segmenter->edge(), max_parts(*segmenter)) ==
      hls::ReloadVerdict::kWait) {
    auto holding = hold_until_listed(segmenter, wanted);
    co_await std::move(holding);
    // The session may have ended while the request was held.
    session = sessions.find_named(id, r.params.get("app"), name->stream);
    if (!session) co_return hls_text(404, "the viewing session has ended");
  }
  if (name->part) {
    const auto* part = segmenter->find_part(name->msn, *name->part);
    if (!part)
      co_return hls_text(404, "part " + std::to_string(name->msn) + "." +
                                  std::to_string(*name->part) + " is not in the window");
    sessions.count_bytes(*session, part->bytes->size());
    co_return media_answer(part->bytes);
  }
  // A whole segment is its parts joined, one copy per request (parts, what
  // LL-HLS players fetch at the live edge, are shared above).
  const auto* segment = segmenter->find_segment(name->msn);
  if (!segment)
    co_return hls_text(404, "segment " + std::to_string(name->msn) + " is not in the window");
  std::string body;
  body.reserve(segment->bytes);
  for (const auto& p : segment->parts) body.append(p.bytes->begin(), p.bytes->end());
  sessions.count_bytes(*session, body.size());
  co_return media_answer(std::move(body));
}

asio::awaitable<Response> serve_ll_init(ServerContext& context, HlsSessions& sessions,
                                        const RequestContext& r) {
  // "{stream}.init{generation}"
  const std::string_view name = r.params.get("stream");
  const auto dot = name.rfind('.');
  const auto tail = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  const auto generation = tail.starts_with("init") ? number(tail.substr(4)) : std::nullopt;
  if (!generation || *generation > UINT32_MAX)
    co_return hls_text(404, "not an init section name ({stream}.init{n}.mp4)");
  const QueryLookup query(r.query);
  auto* session =
      sessions.find_named(session_param(query), r.params.get("app"), name.substr(0, dot));
  if (!session) co_return no_session(context, r, name.substr(0, dot));
  auto init = sessions.ll_segmenter(*session)->find_init(static_cast<uint32_t>(*generation));
  if (!init) co_return hls_text(404, "no such init section");
  sessions.count_bytes(*session, init->size());
  co_return media_answer(init);
}

}  // namespace sluice::http
