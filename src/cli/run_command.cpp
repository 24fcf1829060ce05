#include "cli/run_command.hpp"

#include <iostream>

#include "cli/usage_error.hpp"
#include "sluice/live_service.hpp"

namespace sluice::cli {

int run_command(const std::function<int(std::string& endpoint_url)>& body) {
  std::string endpoint_url = "the endpoint";
  try {
    return body(endpoint_url);
  } catch (const UsageError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const LiveError& e) {
    switch (e.kind()) {
      case LiveError::Kind::kApi:
        std::cerr << "error: " << e.code() << " (" << e.code_n() << "): " << e.message();
        if (!e.request_id().empty()) std::cerr << " [request " << e.request_id() << "]";
        std::cerr << "\n";
        return kExitApiError;
      case LiveError::Kind::kNetwork:
        std::cerr << "error: cannot reach " << endpoint_url << ": " << e.message() << "\n";
        return kExitNetwork;
      case LiveError::Kind::kInvalidArgument:
        std::cerr << "error: " << e.message() << "\n";
        return kExitUsage;
      case LiveError::Kind::kResponse:
        std::cerr << "error: unreadable answer from " << endpoint_url;
        if (e.http_status() != 0) std::cerr << " (HTTP " << e.http_status() << ")";
        std::cerr << ": " << e.message() << "\n";
        return kExitApiError;
    }
    return kExitApiError;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitApiError;
  }
}

}  // namespace sluice::cli
