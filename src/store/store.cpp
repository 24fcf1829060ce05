#include "store/store.hpp"

#include <array>

namespace sluice::store {
namespace {

constexpr std::array<std::pair<EndReason, std::string_view>, 6> kReasons{{
    {EndReason::kNormal, "normal"},
    {EndReason::kKilled, "killed"},
    {EndReason::kForbidden, "forbidden"},
    {EndReason::kError, "error"},
    {EndReason::kTimeout, "timeout"},
    {EndReason::kInterrupted, "interrupted"},
}};

}  // namespace

std::string_view to_string(EndReason reason) {
  for (const auto& [r, text] : kReasons) {
    if (r == reason) return text;
  }
  return "error";
}

std::optional<EndReason> end_reason_from_string(std::string_view text) {
  for (const auto& [r, t] : kReasons) {
    if (t == text) return r;
  }
  return std::nullopt;
}

}  // namespace sluice::store
