#include "manage/secret_params.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace sluice::manage {

bool is_secret_param(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("secret") != std::string::npos || lower.find("token") != std::string::npos ||
         lower.find("sign") != std::string::npos;
}

}  // namespace sluice::manage
