#include "sdk/http_transport.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <system_error>

namespace sluice::sdk {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// Forgets the request's options (pointers into this call's locals) once it is
// done; live connections stay in the handle for the next request.
struct ResetAfter {
  CURL* curl;
  ~ResetAfter() { curl_easy_reset(curl); }
};

}  // namespace

HttpTransport::HttpTransport() {
  global_init_once();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw LiveError(LiveError::Kind::kNetwork, "curl_easy_init failed");
}

HttpTransport::~HttpTransport() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResponse HttpTransport::send(const PreparedRequest& request) {
  CURL* curl = static_cast<CURL*>(curl_);
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&headers](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown == nullptr) throw LiveError(LiveError::Kind::kNetwork, "curl_slist_append failed");
    (void)headers.release();
    headers.reset(grown);
  };
  for (const auto& [name, value] : request.headers) add_header(name + ": " + value);
  add_header("Expect:");  // no "100-continue" round trip on larger bodies

  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {};
  ResetAfter reset{curl};  // declared after what it points to: runs first
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request_timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "sluice-sdk-cpp");
  // Peer and host verification are libcurl's defaults; only the trust store
  // changes.
  if (!ca_file_.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file_.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
  if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }

  CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    std::string message = error[0] != '\0' ? error : curl_easy_strerror(rc);
    // "Couldn't connect to server" alone hides whether the port was closed,
    // the host unreachable or the connection reset: the system's word for it.
    long os_errno = 0;
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    if (os_errno != 0)
      message += " (" +
                 std::error_code(static_cast<int>(os_errno), std::system_category()).message() +
                 ")";
    throw LiveError(LiveError::Kind::kNetwork, request.method + " " + request.url + ": " + message);
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace sluice::sdk
