#include "http/response_body.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/write.hpp>
#include <sstream>

#include "http/route_set.hpp"

namespace sluice::http {
namespace {

std::string serialized(Response& response) {
  response.prepare_payload();
  std::ostringstream out;
  out << response;
  return out.str();
}

TEST(ResponseBody, TextIsWrittenWithItsLength) {
  Response response{boost::beast::http::status::ok, 11};
  response.body() = std::string("hello");
  const auto wire = serialized(response);
  EXPECT_NE(wire.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_TRUE(wire.ends_with("\r\n\r\nhello"));
}

TEST(ResponseBody, SharedBytesAreWrittenFromTheSharedCopy) {
  auto bytes =
      std::make_shared<const std::vector<uint8_t>>(std::vector<uint8_t>{'t', 's', 0, 0x47});
  Response response{boost::beast::http::status::ok, 11};
  response.body() = std::string("replaced");
  response.body().share(bytes);
  const auto wire = serialized(response);
  EXPECT_NE(wire.find("Content-Length: 4\r\n"), std::string::npos);
  EXPECT_TRUE(wire.ends_with(std::string("\r\n\r\nts\0\x47", 8)));

  // The buffer handed to the socket is the shared vector itself: no copy.
  boost::beast::error_code ec;
  ResponseBody::writer writer(response.base(), response.body());
  writer.init(ec);
  auto buffers = writer.get(ec);
  ASSERT_TRUE(buffers);
  EXPECT_EQ(buffers->first.data(), bytes->data());
  EXPECT_EQ(buffers->first.size(), bytes->size());
  EXPECT_FALSE(buffers->second);
  EXPECT_EQ(bytes.use_count(), 2);  // held by the response while it is written
}

}  // namespace
}  // namespace sluice::http
