#pragma once
// For the SDK's tests: a one-thread loopback HTTP stand-in that records what
// arrives and answers with a canned response (or with nothing), and what the
// server would check of a request.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/sha256.hpp"
#include "live_error_of.hpp"
#include "sign/signer.hpp"
#include "sluice/live_service.hpp"

namespace sluice::sdk_test {

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Received {
  std::string method, target, body;
  std::map<std::string, std::string> headers;  // lower-case names
  sign::Headers raw_headers;
};

class FakeServer {
 public:
  // `reply`: the whole HTTP response; empty = close without answering.
  explicit FakeServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("fake server: cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~FakeServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }

  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      ++connections_;
      serve(client);
      ::close(client);
    }
  }

  void serve(int client) {
    std::string data;
    char buf[4096];
    size_t header_end = std::string::npos;
    size_t body_length = 0;
    for (;;) {
      if (header_end != std::string::npos && data.size() >= header_end + 4 + body_length) break;
      pollfd p{client, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) return;
      ssize_t n = ::read(client, buf, sizeof buf);
      if (n <= 0) return;
      data.append(buf, static_cast<size_t>(n));
      if (header_end == std::string::npos &&
          (header_end = data.find("\r\n\r\n")) != std::string::npos) {
        Received r = parse_head(data.substr(0, header_end));
        if (r.headers.count("content-length"))
          body_length = std::stoul(r.headers["content-length"]);
      }
    }
    Received r = parse_head(data.substr(0, header_end));
    r.body = data.substr(header_end + 4, body_length);
    {
      std::lock_guard lock(mutex_);
      received_.push_back(std::move(r));
    }
    if (!reply_.empty()) (void)!::write(client, reply_.data(), reply_.size());
  }

  static Received parse_head(const std::string& head) {
    Received r;
    size_t line_end = head.find("\r\n");
    std::string first = head.substr(0, line_end);
    r.method = first.substr(0, first.find(' '));
    r.target = first.substr(first.find(' ') + 1, first.rfind(' ') - first.find(' ') - 1);
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t end = head.find("\r\n", pos);
      if (end == std::string::npos) end = head.size();
      std::string line = head.substr(pos, end - pos);
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon), value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.raw_headers.emplace_back(name, value);
      r.headers[lower(name)] = value;
      pos = end + 2;
    }
    return r;
  }

  std::string reply_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::vector<Received> received_;
};

inline std::string http_reply(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

inline const char* const kMeta =
    R"("ResponseMetadata":{"RequestId":"r1","Action":"A","Version":"2023-01-01",)"
    R"("Service":"live","Region":"cn-north-1")";

inline std::string ok(const std::string& result) {
  return std::string("{") + kMeta + "}" + (result.empty() ? "" : ",\"Result\":" + result) + "}";
}

// What the server does: rebuild the signature from the request as received.
inline void expect_verifies(const Received& r, const std::string& secret) {
  auto auth = sign::parse_authorization(r.headers.at("authorization"));
  ASSERT_TRUE(auth);
  sign::CanonicalInput in;
  in.method = r.method;
  size_t q = r.target.find('?');
  in.path = r.target.substr(0, q);
  in.query = sign::decode_query(q == std::string::npos ? "" : r.target.substr(q + 1));
  in.headers = r.raw_headers;
  in.signed_headers = auth->signed_headers;
  in.body_sha256_hex = sha256_hex(r.body);
  EXPECT_EQ(sign::signature(secret, r.headers.at("x-date"), auth->scope, in), auth->signature);
}

inline LiveService client(const FakeServer& server) {
  LiveService live(server.host(), "AK", "SK");
  live.set_scheme("http");
  live.set_connect_timeout(std::chrono::milliseconds(2000));
  live.set_request_timeout(std::chrono::milliseconds(5000));
  return live;
}

}  // namespace sluice::sdk_test
