// KillStream: disconnects the stream's publisher (it may push again at once).
//   kill_stream VHOST APP STREAM
#include "example_service.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: kill_stream VHOST APP STREAM\n";
    return 2;
  }
  return run_example([&] {
    auto live = example_service();
    sluice::KillStreamRequest request;
    request.vhost = argv[1];
    request.app = argv[2];
    request.stream = argv[3];
    auto response = live.kill_stream(request);
    std::cout << "KillStream done, request " << response.metadata.request_id << "\n";
  });
}
