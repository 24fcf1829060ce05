#include "app/banner.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/ip/address.hpp>
#include <memory>

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

std::string banner_text(const config::Config& config, const BoundPorts& ports,
                        const std::vector<std::string>& machine_addresses) {
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
  if (any_wildcard) {
    text += "From another machine, use this machine's address in place of the loopback one";
    // IPv6 addresses only when a listener is bound to "::" (which takes
    // IPv4 too); "0.0.0.0" takes IPv4 only.
    const bool v6_wildcard = config.rtmp.listen.host == "::" || config.http.listen.host == "::" ||
                             config.api.listen.host == "::";
    size_t shown = 0;
    for (const auto& address : machine_addresses) {
      if (address.find(':') != std::string::npos && !v6_wildcard) continue;
      text += (shown++ == 0 ? ": " : ", ") + address;
    }
    text += ".\n";
  }
  // Unsigned publishing is for trusted addresses only (loopback by default):
  // say so where other machines can reach the RTMP port.
  if (config.push_auth.required && reach_of(config.rtmp.listen.host) != Reach::loopback) {
    text += "Publishing from other machines needs a signed URL: sluice push-url " +
            std::string(kExampleStream) +
            " (README, \"Push and play authentication\"; trusted: loopback by default).\n";
  }
  text += "(sluice serve --quiet, or banner = false in the config, leaves this out.)\n\n";
  return text;
}

std::string generated_push_key_text(const std::string& key, const std::filesystem::path& file) {
  return "sluice generated the default vhost's push key (saved in " + file.string() +
         ", mode 0600):\n  push key: " + key +
         "\nPublishers on other machines need a URL signed with it: sluice push-url " +
         kExampleStream +
         " prints one (SDK: LiveService::generate_push_url; README, \"Push and play "
         "authentication\").\n\n";
}

std::vector<std::string> machine_addresses(size_t limit) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return {};
  std::unique_ptr<ifaddrs, decltype(&freeifaddrs)> owner(list, freeifaddrs);
  std::vector<std::string> v4, v6;
  for (const ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr) continue;
    boost::asio::ip::address address;
    if (i->ifa_addr->sa_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      address = boost::asio::ip::make_address_v4(ntohl(in->sin_addr.s_addr));
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      boost::asio::ip::address_v6::bytes_type bytes;
      std::copy(std::begin(in6->sin6_addr.s6_addr), std::end(in6->sin6_addr.s6_addr),
                bytes.begin());
      const auto v6_address = boost::asio::ip::make_address_v6(bytes);
      // Link-local addresses need a zone to be used; not worth printing.
      if (v6_address.is_link_local()) continue;
      address = v6_address;
    } else {
      continue;
    }
    if (address.is_loopback() || address.is_unspecified()) continue;
    (address.is_v4() ? v4 : v6).push_back(address.to_string());
  }
  v4.insert(v4.end(), v6.begin(), v6.end());
  if (v4.size() > limit) v4.resize(limit);
  return v4;
}

}  // namespace sluice
