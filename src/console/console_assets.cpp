#include "console/console_assets.hpp"

namespace sluice::console {

const EmbeddedAsset* find_asset(std::string_view name) {
  for (const auto& asset : embedded_assets())
    if (asset.name == name) return &asset;
  return nullptr;
}

}  // namespace sluice::console
