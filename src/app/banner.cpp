#include "app/banner.hpp"

#include <boost/asio/ip/address.hpp>

namespace sluice {
namespace {

constexpr const char* kExampleStream = "live/livestream";

enum class Reach { all_interfaces, loopback, one_address };

Reach reach_of(const std::string& host) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return Reach::one_address;
  if (address.is_unspecified()) return Reach::all_interfaces;
  if (address.is_loopback()) return Reach::loopback;
  return Reach::one_address;
}

// The host to put in a URL: a wildcard bind is reached locally by loopback
// (of its own family), a specific address by itself.
std::string url_host(const std::string& host) {
  std::string h = host;
  if (reach_of(host) == Reach::all_interfaces)
    h = host.find(':') != std::string::npos ? "::1" : "127.0.0.1";
  return h.find(':') != std::string::npos ? "[" + h + "]" : h;
}

std::string authority(const config::Endpoint& listen, uint16_t port) {
  return url_host(listen.host) + ":" + std::to_string(port);
}

std::string listener_line(const char* name, const config::Endpoint& listen, uint16_t port) {
  const std::string bound =
      (listen.host.find(':') != std::string::npos ? "[" + listen.host + "]" : listen.host) + ":" +
      std::to_string(port);
  std::string reach;
  switch (reach_of(listen.host)) {
    case Reach::all_interfaces:
      reach = "all interfaces: reachable from other machines";
      break;
    case Reach::loopback:
      reach = "loopback only: this machine only";
      break;
    case Reach::one_address:
      reach = "one address: reachable from other machines that can route to it";
      break;
  }
  std::string line = "  ";
  line += name;
  line.append(6 - std::string(name).size(), ' ');
  line += bound;
  if (bound.size() < 24) line.append(24 - bound.size(), ' ');
  return line + " " + reach + "\n";
}

}  // namespace

std::string banner_text(const config::Config& config, const BoundPorts& ports) {
  const std::string rtmp =
      "rtmp://" + authority(config.rtmp.listen, ports.rtmp) + "/" + kExampleStream;
  const std::string flv =
      "http://" + authority(config.http.listen, ports.http) + "/" + kExampleStream + ".flv";
  const std::string api = "http://" + authority(config.api.listen, ports.api) + "/";
  std::string text = "\nsluice " SLUICE_VERSION " is up. Listeners:\n";
  text += listener_line("rtmp", config.rtmp.listen, ports.rtmp);
  text += listener_line("http", config.http.listen, ports.http);
  text += listener_line("api", config.api.listen, ports.api);
  auto row = [&text](const std::string& label, const std::string& value) {
    text +=
        "  " + label + std::string(label.size() < 17 ? 17 - label.size() : 1, ' ') + value + "\n";
  };
  text += "Push and play in the default vhost, for example:\n";
  row("push (RTMP):", rtmp);
  row("", "ffmpeg -re -i input.mp4 -c copy -f flv " + rtmp);
  row("play (RTMP):", rtmp);
  row("play (HTTP-FLV):", flv);
  row("", "ffplay " + flv);
  row("management API:",
      api + " (Volcengine Live OpenAPI 2023-01-01, signed; " + api + "healthz unsigned)");
  const bool any_wildcard = reach_of(config.rtmp.listen.host) == Reach::all_interfaces ||
                            reach_of(config.http.listen.host) == Reach::all_interfaces ||
                            reach_of(config.api.listen.host) == Reach::all_interfaces;
  if (any_wildcard)
    text += "From another machine, use this machine's address in place of the loopback one.\n";
  text += "(sluice serve --quiet, or banner = false in the config, leaves this out.)\n\n";
  return text;
}

}  // namespace sluice
