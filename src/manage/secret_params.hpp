#pragma once
// Which request parameters are credentials, so that nothing sluice tells
// another server (an authorization hook's query, a callback's fp_user_url)
// or stores carries one: volcSecret, and every name that contains "secret",
// "token" or "sign" in any case (token, auth_token, sign, signature, ...).
#include <string_view>

namespace sluice::manage {

bool is_secret_param(std::string_view name);

}  // namespace sluice::manage
