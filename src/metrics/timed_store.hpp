#pragma once
// A store that times every call of the one it wraps into StoreMetrics
// (sluice_store_query_seconds{operation}). `sluice serve` wraps its store in
// one, so every caller (the control service, the callback worker) is timed
// without timing code of its own. Control executor only, like the store.
#include <memory>

#include "metrics/store_metrics.hpp"
#include "store/store.hpp"

namespace sluice::metrics {

class TimedStore : public store::Store {
 public:
  // `metrics` must outlive the store.
  TimedStore(std::unique_ptr<store::Store> inner, StoreMetrics& metrics)
      : inner_(std::move(inner)), metrics_(metrics) {}

  int64_t open_publish(const store::OpenPublish& p,
                       const store::CallbackMaker& announce = {}) override;
  void touch_publishes(const std::vector<std::pair<int64_t, uint64_t>>& id_and_bytes,
                       store::TimePoint now) override;
  void close_publish(const store::ClosedStream& closed,
                     const store::CallbackMaker& announce = {}) override;
  std::vector<store::ClosedStream> recover_interrupted(
      const std::function<std::vector<store::CallbackMessage>(const store::ClosedStream&)>&
          announce = {}) override;
  store::Page<store::ClosedStream> closed_streams(const store::ClosedStreamQuery& q) override;
  void append_closed(const std::vector<store::ClosedStream>& records) override;
  void put_forbid(const store::Forbid& forbid) override;
  bool delete_forbid(const std::string& vhost, const std::string& app, const std::string& stream,
                     store::TimePoint now) override;
  std::optional<store::Forbid> find_forbid(const std::string& vhost, const std::string& app,
                                           const std::string& stream,
                                           store::TimePoint now) override;
  store::Page<store::Forbid> forbids(const store::ForbidQuery& q) override;
  void queue_callbacks(const std::vector<store::CallbackMessage>& messages) override;
  std::vector<store::CallbackMessage> due_callbacks(store::TimePoint now, size_t limit) override;
  std::optional<store::TimePoint> next_callback_due() override;
  void callbacks_delivered(const std::vector<int64_t>& ids) override;
  void callback_retry(int64_t id, uint32_t attempts, store::TimePoint next_attempt) override;
  void callback_failed(int64_t id, uint32_t attempts) override;
  uint64_t pending_callbacks() override;

 private:
  template <typename Call>
  auto timed(std::string_view operation, Call&& call);

  std::unique_ptr<store::Store> inner_;
  StoreMetrics& metrics_;
};

}  // namespace sluice::metrics
