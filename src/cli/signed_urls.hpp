#pragma once
// `sluice push-url` / `sluice play-url`: signed URLs (Volcengine volcTime /
// volcSecret) for a stream, with the vhost's key from --key, the
// environment (SLUICE_PUSH_KEY, SLUICE_PLAY_KEY) or the server's config.
#include <cstdint>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace sluice::cli {

struct SignedUrlTarget {
  std::string vhost;   // the stream's vhost: the key's owner
  std::string domain;  // when addressed by domain (a URL), sent as domain=
  std::string app, stream;
  std::string rtmp_address;  // HOST:PORT
  std::string http_address;  // HOST:PORT; empty for push (RTMP only)
};

// The URLs, RTMP first, each with volcTime and volcSecret (and vhost= or
// domain= when the stream is not in the default vhost).
std::vector<std::string> signed_urls(const SignedUrlTarget& target, const std::string& key,
                                     int64_t expiry_s);

void add_signed_url_commands(CLI::App& app, Registry& registry);

}  // namespace sluice::cli
