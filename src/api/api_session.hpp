#pragma once
// One HTTP/1.1 connection to the management API listener: keep-alive,
// request size limits, and an idle timeout (Boost.Beast).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>

#include "api/api_service.hpp"
#include "app/listener.hpp"

namespace sluice::api {

class ApiSession : public Connection, public std::enable_shared_from_this<ApiSession> {
 public:
  ApiSession(boost::asio::ip::tcp::socket socket, ApiService& service,
             const config::ApiConfig& config);
  boost::asio::awaitable<void> run() override;
  void close(const std::string& reason) override;

 private:
  boost::beast::tcp_stream stream_;
  ApiService& service_;
  const config::ApiConfig& config_;
  const std::string peer_;
  bool closing_ = false;
};

}  // namespace sluice::api
