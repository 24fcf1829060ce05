// DescribeLiveStreamState: online, offline or forbidden.
//   describe_live_stream_state VHOST APP STREAM
#include "example_service.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: describe_live_stream_state VHOST APP STREAM\n";
    return 2;
  }
  return run_example([&] {
    auto live = example_service();
    sluice::DescribeLiveStreamStateRequest request;
    request.vhost = argv[1];
    request.app = argv[2];
    request.stream = argv[3];
    auto response = live.describe_live_stream_state(request);
    std::cout << response.stream_state << " " << response.type << "\n";
  });
}
