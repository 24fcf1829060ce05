#include "cli/stream_url.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "base/untrusted_text.hpp"
#include "base/url_parts.hpp"
#include "cli/usage_error.hpp"
#include "media/stream_name.hpp"

namespace sluice::cli {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool strip_suffix(std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size() || s.compare(s.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  s.resize(s.size() - suffix.size());
  return true;
}

}  // namespace

bool looks_like_url(const std::string& text) {
  auto sep = text.find("://");
  return sep != std::string::npos && sep > 0 &&
         std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(sep),
                     [](unsigned char c) { return std::isalnum(c) || c == '+' || c == '-'; });
}

StreamUrl parse_stream_url(const std::string& text) {
  const std::string shown = printable(text, kShownArgumentMax);
  auto bad = [&](const std::string& why) {
    return UsageError("bad stream URL \"" + shown + "\": " + why);
  };
  auto url = parse_url_parts(text);
  if (!url) throw bad("not a URL");
  const bool rtmp = url->scheme == "rtmp";
  if (!rtmp && url->scheme != "http" && url->scheme != "https")
    throw bad("expected rtmp://, http:// or https://");
  if (url->host.empty()) throw bad("no host");
  if (url->has_port && !url->port_number) throw bad("the port must be 1-65535");

  // The server decodes an HTTP path before naming (so does this); an RTMP
  // client's app and stream are taken as sent.
  std::vector<std::string> parts = rtmp ? url->encoded_segments : url->segments;
  if (!parts.empty() && parts.back().empty()) parts.pop_back();  // a trailing slash
  const char* shape =
      rtmp ? "rtmp://host[:port]/app/stream" : "http(s)://host[:port]/app/stream.flv (or .m3u8)";
  if (parts.size() != 2) throw bad(std::string("expected ") + shape);

  StreamUrl out;
  out.app = parts[0];
  out.stream = parts[1];
  if (!rtmp && !strip_suffix(out.stream, ".flv") && !strip_suffix(out.stream, ".m3u8"))
    throw bad(std::string("expected ") + shape);

  // As media::resolve: a vhost= parameter names the vhost (or one of its
  // domains), else domain= the domain, else the host does. Sent as Domain,
  // the server maps each through its own [[vhost]] table.
  media::QueryParams params;
  if (url->has_query) params = media::split_name("?" + url->encoded_query).params;
  out.domain = lower(url->host);
  for (const char* key : {"domain", "vhost"}) {
    if (auto it = params.find(key); it != params.end() && !it->second.empty())
      out.domain = lower(it->second);
  }
  return out;
}

}  // namespace sluice::cli
