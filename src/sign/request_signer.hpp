#pragma once
// The client side: the headers that sign a request (what the SDK, the load
// tool and the tests send). Signs x-date and x-content-sha256, plus
// content-type and host when given, like the Python SDK.
#include <chrono>
#include <string>

#include "sign/signer.hpp"

namespace sluice::sign {

struct ClientRequest {
  std::string method = "GET";
  std::string path = "/";
  Params query;              // decoded
  std::string host;          // signed when not empty
  std::string content_type;  // signed when not empty
  std::string body;
};

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string region = "cn-north-1";
  std::string service = "live";
};

// Headers to add to the request: X-Date, X-Content-Sha256, Authorization.
Headers signed_headers(const ClientRequest& request, const Credentials& credentials,
                       const std::string& x_date);

// "20240101T000000Z" for a time.
std::string format_x_date(std::chrono::system_clock::time_point t);

// The query string to send: RFC 3986-encoded, in the given order.
std::string encode_query(const Params& query);

}  // namespace sluice::sign
