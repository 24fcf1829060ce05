#pragma once
// Shared set-up of the examples: a LiveService for the endpoint in
// SLUICE_ENDPOINT (default 127.0.0.1:1985, plain http as sluice serves it
// locally), keys from VOLC_ACCESSKEY / VOLC_SECRETKEY as in Volcengine's SDKs.
#include <sluice/live_service.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

inline sluice::LiveService example_service() {
  const char* endpoint = std::getenv("SLUICE_ENDPOINT");
  sluice::LiveService live(endpoint ? endpoint : "127.0.0.1:1985");
  live.set_scheme("http");
  return live;
}

// Runs an example body and turns a LiveError into a readable exit.
template <typename Body>
int run_example(Body&& body) {
  try {
    body();
    return 0;
  } catch (const sluice::LiveError& e) {
    std::cerr << "error: " << e.code() << " (" << e.code_n() << ", HTTP " << e.http_status()
              << "): " << e.message() << "\n";
    return 1;
  }
}
