// ForbidStream: disconnects the stream and refuses its publishes until END_TIME
// (RFC 3339; default: 90 days).
//   forbid_stream VHOST APP STREAM [END_TIME]
#include "example_service.hpp"

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::cerr << "usage: forbid_stream VHOST APP STREAM [END_TIME]\n";
    return 2;
  }
  return run_example([&] {
    auto live = example_service();
    sluice::ForbidStreamRequest request;
    request.vhost = argv[1];
    request.app = argv[2];
    request.stream = argv[3];
    if (argc == 5) request.end_time = argv[4];
    auto response = live.forbid_stream(request);
    std::cout << "ForbidStream done, request " << response.metadata.request_id << "\n";
  });
}
