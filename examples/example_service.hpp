#pragma once
// Shared set-up of the examples: a LiveService for the endpoint in
// SLUICE_ENDPOINT (default 127.0.0.1:1985, plain http as sluice serves it
// locally; an https:// prefix for a sluice behind TLS), keys from
// VOLC_ACCESSKEY / VOLC_SECRETKEY as in Volcengine's SDKs.
#include <sluice/live_service.hpp>

#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>

// What the examples need before they can send anything (exit status 2).
struct ExampleSetupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline std::string example_env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

inline sluice::LiveService example_service() {
  // A request signed with an empty key is refused by any server; say so here.
  if (example_env("VOLC_ACCESSKEY").empty() || example_env("VOLC_SECRETKEY").empty())
    throw ExampleSetupError(
        "no API keys: set VOLC_ACCESSKEY and VOLC_SECRETKEY (sluice prints a generated pair at "
        "its first start and keeps it in <data_dir>/api-key.toml)");
  std::string endpoint = example_env("SLUICE_ENDPOINT");
  std::string scheme = "http";
  for (std::string_view prefix : {"http://", "https://"}) {
    if (endpoint.rfind(prefix, 0) == 0) {
      scheme = std::string(prefix.substr(0, prefix.size() - 3));
      endpoint.erase(0, prefix.size());
    }
  }
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  sluice::LiveService live(endpoint.empty() ? "127.0.0.1:1985" : endpoint);
  live.set_scheme(scheme);
  return live;
}

// Runs an example body and turns a failure into a readable message and an
// exit status: 1 for an API error, 2 for a set-up mistake, 3 for no answer.
template <typename Body>
int run_example(Body&& body) {
  try {
    body();
    return 0;
  } catch (const ExampleSetupError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const sluice::LiveError& e) {
    using Kind = sluice::LiveError::Kind;
    switch (e.kind()) {
      case Kind::kApi:
        std::cerr << "error: " << e.code() << " (" << e.code_n() << ", HTTP " << e.http_status()
                  << "): " << e.message() << "\n";
        return 1;
      case Kind::kNetwork:
        std::cerr << "error: no answer from the API: " << e.message() << "\n";
        return 3;
      case Kind::kResponse:
        std::cerr << "error: unreadable answer (HTTP " << e.http_status() << "): " << e.message()
                  << "\n";
        return 1;
      case Kind::kInvalidArgument:
        std::cerr << "error: " << e.message() << "\n";
        return 2;
    }
    return 1;
  }
}
