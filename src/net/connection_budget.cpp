#include "net/connection_budget.hpp"

namespace sluice {

namespace {

// One subscriber usually holds a whole IPv6 /64, so counting single IPv6
// addresses would let one client open as many connections as it likes.
constexpr size_t kIpv6SubscriberBytes = 8;

}  // namespace

ConnectionBudget::Ticket& ConnectionBudget::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    release();
    budget_ = other.budget_;
    address_key_ = std::move(other.address_key_);
    refusal_ = other.refusal_;
    other.budget_ = nullptr;
    other.address_key_.clear();
  }
  return *this;
}

void ConnectionBudget::Ticket::release() {
  if (!budget_) return;
  --budget_->in_use_;
  if (!address_key_.empty()) {
    auto it = budget_->per_address_.find(address_key_);
    if (it != budget_->per_address_.end() && --it->second == 0) budget_->per_address_.erase(it);
  }
  budget_ = nullptr;
}

ConnectionBudget::ConnectionBudget(size_t max_total, size_t max_per_address,
                                   std::vector<AddressRange> exempt, Keys keys)
    : max_total_(max_total),
      max_per_address_(max_per_address),
      exempt_(std::move(exempt)),
      keys_(std::move(keys)) {}

std::string ConnectionBudget::describe(Refusal refusal) const {
  switch (refusal) {
    case Refusal::kTotal:
      return "over " + keys_.total + " (" + std::to_string(max_total_) + ")";
    case Refusal::kPerAddress:
      return "over " + keys_.per_address + " (" + std::to_string(max_per_address_) + ")";
    case Refusal::kNone:
      break;
  }
  return "admitted";
}

std::string ConnectionBudget::address_key(const boost::asio::ip::address& peer) const {
  if (max_per_address_ == 0) return {};
  const Address16 address = to_address16(peer);
  for (const auto& range : exempt_) {
    if (range.contains(address)) return {};
  }
  const size_t bytes = is_ipv4(address) ? address.size() : kIpv6SubscriberBytes;
  return std::string(address.begin(), address.begin() + static_cast<std::ptrdiff_t>(bytes));
}

ConnectionBudget::Ticket ConnectionBudget::admit(const boost::asio::ip::address& peer) {
  Ticket ticket;
  if (in_use_ >= max_total_) {
    ticket.refusal_ = Refusal::kTotal;
    return ticket;
  }
  std::string key = address_key(peer);
  if (!key.empty()) {
    size_t& count = per_address_[key];
    if (count >= max_per_address_) {
      ticket.refusal_ = Refusal::kPerAddress;
      return ticket;
    }
    ++count;
  }
  ++in_use_;
  ticket.budget_ = this;
  ticket.address_key_ = std::move(key);
  return ticket;
}

size_t ConnectionBudget::in_use_by(const boost::asio::ip::address& peer) const {
  const std::string key = address_key(peer);
  if (key.empty()) return 0;
  auto it = per_address_.find(key);
  return it == per_address_.end() ? 0 : it->second;
}

}  // namespace sluice
