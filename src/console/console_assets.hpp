#pragma once
// The web console's files (console/ at the top of the repository), compiled
// into the binary at build time by cmake/embed_assets.cmake: the console is
// served without reading a file or fetching anything at run time.
#include <span>
#include <string_view>

namespace sluice::console {

struct EmbeddedAsset {
  std::string_view name;  // relative to console/, e.g. "index.html", "vendor/mpegts.js"
  std::string_view body;
  std::string_view etag;  // quoted, from the file's SHA-256
};

// Defined in the generated source (build/generated/console_assets.cpp).
std::span<const EmbeddedAsset> embedded_assets();

// The asset of that exact name, or null: a name is looked up in the table,
// never turned into a path, so "../" or "%2e%2e" cannot reach a file.
const EmbeddedAsset* find_asset(std::string_view name);

}  // namespace sluice::console
