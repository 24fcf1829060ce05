#pragma once
// One HTTP exchange over libcurl. One easy handle per transport, reused so
// that connections are kept alive: not thread-safe, like LiveService.
#include <chrono>
#include <string>
#include <utility>

#include "sluice/live_service.hpp"

namespace sluice::sdk {

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpTransport {
 public:
  HttpTransport();
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  void set_connect_timeout(std::chrono::milliseconds timeout) { connect_timeout_ = timeout; }
  void set_request_timeout(std::chrono::milliseconds timeout) { request_timeout_ = timeout; }
  void set_ca_file(std::string pem_path) { ca_file_ = std::move(pem_path); }

  // Sends the request as prepared (its headers verbatim) and returns any
  // answer, whatever its status. Throws LiveError(kNetwork) when there is none.
  HttpResponse send(const PreparedRequest& request);

 private:
  void* curl_;  // CURL*
  std::chrono::milliseconds connect_timeout_{5000};
  std::chrono::milliseconds request_timeout_{30000};
  std::string ca_file_;  // empty: the system's CA store
};

}  // namespace sluice::sdk
