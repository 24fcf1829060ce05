#pragma once
// An HLS attribute list (RFC 8216 4.2): NAME=value pairs separated by
// commas, where a quoted-string value may itself hold commas.
#include <optional>
#include <string_view>

namespace sluice::load {

// The value of `name` in `list` ("DURATION=0.200,URI=\"a.m4s\""), quotes
// removed; nullopt when it is absent.
std::optional<std::string_view> attribute(std::string_view list, std::string_view name);

}  // namespace sluice::load
