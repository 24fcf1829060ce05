#pragma once
// How many connections a group of listeners may hold: in total, and per
// client address. RTMP and HTTP-FLV share one budget (a viewer is a viewer,
// whichever protocol it plays); the management API has its own, so media
// clients can never take the descriptors it needs to answer.
//
// A connection is admitted with a Ticket, which gives its place back when
// the session ends. IPv6 clients are counted per /64 (the block one
// subscriber usually gets), IPv4 clients per address; addresses in an
// exempt range (loopback by default: a local proxy or tool speaks for many
// clients) count only towards the total.
#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/address_range.hpp"

namespace sluice {

class ConnectionBudget {
 public:
  enum class Refusal { kNone, kTotal, kPerAddress };

  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept { *this = std::move(other); }
    Ticket& operator=(Ticket&& other) noexcept;
    ~Ticket() { release(); }

    bool admitted() const { return budget_ != nullptr; }
    Refusal refusal() const { return refusal_; }

   private:
    friend class ConnectionBudget;
    void release();

    ConnectionBudget* budget_ = nullptr;
    std::string address_key_;  // empty: not counted per address
    Refusal refusal_ = Refusal::kNone;
  };

  // max_per_address 0: no per-address cap. `keys` name the settings behind
  // the caps in log lines ("limits.max_connections").
  struct Keys {
    std::string total;
    std::string per_address;
  };
  ConnectionBudget(size_t max_total, size_t max_per_address, std::vector<AddressRange> exempt = {},
                   Keys keys = {"max_connections", "max_connections_per_ip"});
  ConnectionBudget(const ConnectionBudget&) = delete;
  ConnectionBudget& operator=(const ConnectionBudget&) = delete;

  Ticket admit(const boost::asio::ip::address& peer);

  size_t max_total() const { return max_total_; }
  size_t max_per_address() const { return max_per_address_; }
  size_t in_use() const { return in_use_; }
  // Connections counted for the address (or /64) `peer` belongs to.
  size_t in_use_by(const boost::asio::ip::address& peer) const;
  // "over limits.max_connections (864)", for log lines.
  std::string describe(Refusal refusal) const;

 private:
  std::string address_key(const boost::asio::ip::address& peer) const;

  size_t max_total_;
  size_t max_per_address_;
  std::vector<AddressRange> exempt_;
  Keys keys_;
  size_t in_use_ = 0;
  std::unordered_map<std::string, size_t> per_address_;
};

}  // namespace sluice
