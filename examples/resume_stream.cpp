// ResumeStream: lifts a stream's forbid.
//   resume_stream VHOST APP STREAM
#include "example_service.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: resume_stream VHOST APP STREAM\n";
    return 2;
  }
  return run_example([&] {
    auto live = example_service();
    sluice::ResumeStreamRequest request;
    request.vhost = argv[1];
    request.app = argv[2];
    request.stream = argv[3];
    auto response = live.resume_stream(request);
    std::cout << "ResumeStream done, request " << response.metadata.request_id << "\n";
  });
}
