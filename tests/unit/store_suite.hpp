#pragma once
// The behaviour every store::Store must have, written only against the
// interface, as a type-parameterized suite. A backend runs it by providing a
// harness type and instantiating the suite in its own test file:
//
//   struct MyHarness {
//     MyHarness();                           // fresh, empty storage for one test
//     std::unique_ptr<store::Store> open();  // a Store over that storage; called again
//                                            // after the last one was destroyed, it
//                                            // reopens the same data
//   };
//   INSTANTIATE_TYPED_TEST_SUITE_P(My, StoreSuite, ::testing::Types<MyHarness>);
//
// Type-parameterized (not value-parameterized) so that several test files
// can include this header: gtest keeps each file's registration separate.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace sluice::store::suite {

// Whole milliseconds, the resolution a store keeps; around November 2023.
inline TimePoint at_ms(int64_t ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}
inline constexpr int64_t kT0 = 1'700'000'000'000;

inline OpenPublish make_publish(std::string stream, int64_t start_ms = kT0) {
  OpenPublish p;
  p.vhost = "vh";
  p.domain = "push.example.com";
  p.app = "live";
  p.stream = std::move(stream);
  p.source_type = "push";
  p.client_address = "203.0.113.7:50000";
  p.start_time = at_ms(start_ms);
  p.last_seen = at_ms(start_ms);
  p.bytes_in = 0;
  return p;
}

inline ClosedStream make_closed(int64_t id, std::string vhost, std::string app, std::string stream,
                                int64_t end_ms, std::string source_type = "push") {
  ClosedStream c;
  c.id = id;
  c.vhost = std::move(vhost);
  c.domain = c.vhost + ".example.com";
  c.app = std::move(app);
  c.stream = std::move(stream);
  c.source_type = std::move(source_type);
  c.client_address = "198.51.100.1:1935";
  c.start_time = at_ms(end_ms - 60'000);
  c.end_time = at_ms(end_ms);
  c.reason = EndReason::kNormal;
  c.bytes_in = 1000 + static_cast<uint64_t>(id);
  return c;
}

inline Forbid make_forbid(std::string stream, int64_t create_ms, int64_t end_ms,
                          std::string vhost = "vh", std::string app = "live") {
  Forbid f;
  f.vhost = std::move(vhost);
  f.app = std::move(app);
  f.stream = std::move(stream);
  f.domain = "push.example.com";
  f.create_time = at_ms(create_ms);
  f.end_time = at_ms(end_ms);
  return f;
}

// Every record whose end time is in [from_ms, to_ms], newest first, ten a page.
inline ClosedStreamQuery history(int64_t from_ms = 0, int64_t to_ms = kT0 * 2) {
  ClosedStreamQuery q;
  q.end_from = at_ms(from_ms);
  q.end_to = at_ms(to_ms);
  q.page.page_size = 10;
  return q;
}

inline ForbidQuery forbids_at(int64_t now_ms) {
  ForbidQuery q;
  q.now = at_ms(now_ms);
  return q;
}

inline int64_t ms_of(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Readable in a failure message, and equal exactly when every field is.
inline std::string describe(const ClosedStream& c) {
  return "#" + std::to_string(c.id) + " " + c.vhost + "|" + c.domain + "|" + c.app + "|" +
         c.stream + " " + c.source_type + " from " + c.client_address + " " +
         std::to_string(ms_of(c.start_time)) + ".." + std::to_string(ms_of(c.end_time)) + " " +
         std::string(to_string(c.reason)) + " " + std::to_string(c.bytes_in) + "B ?" + c.url_params;
}

inline std::string describe(const Forbid& f) {
  return f.vhost + "|" + f.app + "|" + f.stream + " (" + f.domain + ") " +
         std::to_string(ms_of(f.create_time)) + ".." + std::to_string(ms_of(f.end_time));
}

inline CallbackMessage make_callback(std::string order_key, std::string payload,
                                     int64_t next_attempt_ms = kT0) {
  CallbackMessage m;
  m.order_key = std::move(order_key);
  m.url = "http://127.0.0.1:9/" + m.order_key;
  m.payload = std::move(payload);
  m.created = at_ms(next_attempt_ms);
  m.next_attempt = at_ms(next_attempt_ms);
  return m;
}

inline std::string describe(const CallbackMessage& m) {
  return "#" + std::to_string(m.id) + " " + m.order_key + " -> " + m.url + " " + m.payload +
         " created " + std::to_string(ms_of(m.created)) + " next " +
         std::to_string(ms_of(m.next_attempt)) + " tries " + std::to_string(m.attempts) +
         (m.failed ? " failed" : "");
}

inline std::vector<std::string> payloads_of(const std::vector<CallbackMessage>& messages) {
  std::vector<std::string> payloads;
  for (const auto& m : messages) payloads.push_back(m.payload);
  return payloads;
}

inline std::vector<int64_t> ids_of(const Page<ClosedStream>& page) {
  std::vector<int64_t> ids;
  for (const auto& c : page.items) ids.push_back(c.id);
  return ids;
}

inline std::vector<std::string> streams_of(const Page<Forbid>& page) {
  std::vector<std::string> names;
  for (const auto& f : page.items) names.push_back(f.stream);
  return names;
}

// A small history that tells the filters apart. Ids 3 and 4 end together.
inline std::vector<ClosedStream> filter_fixture() {
  return {
      make_closed(1, "v1", "live", "cam_1", kT0 + 1000, "push"),
      make_closed(2, "v1", "live", "cam_2", kT0 + 2000, "relay"),
      make_closed(3, "v1", "game", "cam_1", kT0 + 3000, "push"),
      make_closed(4, "v2", "live", "cam_1", kT0 + 3000, "push"),
      make_closed(5, "v2", "live", "a_b", kT0 + 4000, "push"),
      make_closed(6, "v2", "live", "axb", kT0 + 5000, "relay"),
      make_closed(7, "v1", "live", "Cam_1", kT0 + 6000, "push"),
      make_closed(8, "v1", "live", "a%b", kT0 + 7000, "push"),
  };
}

inline std::string describe(const ClosedStreamQuery& q) {
  std::string text =
      "end [" + std::to_string(ms_of(q.end_from)) + ", " + std::to_string(ms_of(q.end_to)) + "]";
  if (q.names.vhost) text += " vhost=" + *q.names.vhost;
  if (q.names.app) text += " app=" + *q.names.app;
  if (q.names.stream) {
    text += (q.names.stream_match == MatchMode::kFuzzy ? " stream~" : " stream=") + *q.names.stream;
  }
  if (q.source_type) text += " source_type=" + *q.source_type;
  text += q.sort == SortOrder::kAsc ? " asc" : " desc";
  return text + " page " + std::to_string(q.page.page_num) + "x" + std::to_string(q.page.page_size);
}

// What closed_streams must answer, computed the slow and obvious way.
inline Page<ClosedStream> brute_force(std::vector<ClosedStream> records,
                                      const ClosedStreamQuery& q) {
  const auto matches = [&](const ClosedStream& r) {
    const auto& n = q.names;
    const bool stream_ok = !n.stream || (n.stream_match == MatchMode::kStrict
                                             ? r.stream == *n.stream
                                             : r.stream.find(*n.stream) != std::string::npos);
    return r.end_time >= q.end_from && r.end_time <= q.end_to &&
           (!n.vhost || r.vhost == *n.vhost) && (!n.app || r.app == *n.app) && stream_ok &&
           (!q.source_type || r.source_type == *q.source_type);
  };
  std::erase_if(records, [&](const ClosedStream& r) { return !matches(r); });
  std::sort(records.begin(), records.end(), [&](const ClosedStream& a, const ClosedStream& b) {
    const auto key_a = std::make_pair(a.end_time, a.id);
    const auto key_b = std::make_pair(b.end_time, b.id);
    return q.sort == SortOrder::kAsc ? key_a < key_b : key_b < key_a;
  });
  Page<ClosedStream> page;
  page.total = records.size();
  const size_t first = size_t{q.page.page_num - 1} * q.page.page_size;
  for (size_t i = first; i < records.size() && i < first + q.page.page_size; ++i) {
    page.items.push_back(records[i]);
  }
  return page;
}

template <typename Harness>
class StoreSuite : public ::testing::Test {
 protected:
  Store& store() { return *store_; }
  // Destroys the store (as a restart would) and opens the same data again.
  void reopen() {
    store_.reset();
    store_ = harness_.open();
  }
  // The ids of every record matching `query`, in its order, across one page.
  std::vector<int64_t> matching(ClosedStreamQuery query) {
    query.page.page_size = 1000;
    return ids_of(store().closed_streams(query));
  }

  Harness harness_;
  std::unique_ptr<Store> store_ = harness_.open();
};

TYPED_TEST_SUITE_P(StoreSuite);

// --- publishes ---

TYPED_TEST_P(StoreSuite, OpenTouchCloseRoundTrip) {
  Store& store = this->store();
  const int64_t id = store.open_publish(make_publish("cam"));
  ASSERT_GT(id, 0);
  store.touch_publishes({{id, 5000}}, at_ms(kT0 + 10'000));

  ClosedStream closed = make_closed(id, "vh", "live", "cam", kT0 + 12'000);
  closed.domain = "push.example.com";
  closed.client_address = "203.0.113.7:50000";
  closed.start_time = at_ms(kT0);
  closed.reason = EndReason::kKilled;
  closed.bytes_in = 6000;
  closed.url_params = "token=abc&user=7";
  store.close_publish(closed);

  const auto page = store.closed_streams(history());
  ASSERT_EQ(page.total, 1u);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(describe(page.items[0]), describe(closed));
  // Closed means no longer open: nothing is left to recover.
  EXPECT_TRUE(store.recover_interrupted().empty());
}

TYPED_TEST_P(StoreSuite, TouchUpdatesLiveAndIgnoresUnknownPublishes) {
  Store& store = this->store();
  const int64_t a = store.open_publish(make_publish("a"));
  const int64_t b = store.open_publish(make_publish("b"));
  store.touch_publishes({{a, 100}, {b, 200}, {a + b + 100, 300}}, at_ms(kT0 + 5000));
  store.touch_publishes({{b, 250}}, at_ms(kT0 + 9000));
  store.touch_publishes({}, at_ms(kT0 + 99'000));  // an empty beat changes nothing

  const auto recovered = store.recover_interrupted();
  ASSERT_EQ(recovered.size(), 2u);
  EXPECT_EQ(recovered[0].id, a);
  EXPECT_EQ(ms_of(recovered[0].end_time), kT0 + 5000);
  EXPECT_EQ(recovered[0].bytes_in, 100u);
  EXPECT_EQ(recovered[1].id, b);
  EXPECT_EQ(ms_of(recovered[1].end_time), kT0 + 9000);
  EXPECT_EQ(recovered[1].bytes_in, 250u);
}

TYPED_TEST_P(StoreSuite, PublishIdsIncreaseAndAreNeverReused) {
  const int64_t first = this->store().open_publish(make_publish("a"));
  const int64_t second = this->store().open_publish(make_publish("b"));
  EXPECT_GT(second, first);
  // Ending the newest publish frees the highest id; it must not come back,
  // neither now nor after a restart.
  this->store().close_publish(make_closed(second, "vh", "live", "b", kT0 + 1000));
  const int64_t third = this->store().open_publish(make_publish("c"));
  EXPECT_GT(third, second);
  this->store().close_publish(make_closed(third, "vh", "live", "c", kT0 + 2000));

  this->reopen();
  const int64_t fourth = this->store().open_publish(make_publish("d"));
  EXPECT_GT(fourth, third);
}

TYPED_TEST_P(StoreSuite, PublishIdsSkipIdsAlreadyInHistory) {
  Store& store = this->store();
  // Bulk-loaded history with explicit ids, and one record without (id 0),
  // which the store numbers itself.
  store.append_closed({make_closed(1000, "vh", "live", "old", kT0),
                       make_closed(0, "vh", "live", "unnumbered", kT0 + 1)});
  const auto loaded = store.closed_streams(history());
  ASSERT_EQ(loaded.items.size(), 2u);
  EXPECT_EQ(loaded.items[0].stream, "unnumbered");
  EXPECT_GT(loaded.items[0].id, 1000);

  const int64_t id = store.open_publish(make_publish("new"));
  EXPECT_GT(id, loaded.items[0].id);
  // So its closed record fits beside them.
  store.close_publish(make_closed(id, "vh", "live", "new", kT0 + 2));
  EXPECT_EQ(store.closed_streams(history()).total, 3u);
}

TYPED_TEST_P(StoreSuite, RecoverInterruptedAfterACrash) {
  OpenPublish publish = make_publish("cam");
  publish.source_type = "relay";
  publish.url_params = "room=9&name=%E4%BA%BA";
  const int64_t id = this->store().open_publish(publish);
  const int64_t other = this->store().open_publish(make_publish("other"));
  this->store().touch_publishes({{id, 777}}, at_ms(kT0 + 30'000));
  // The process dies: the store goes away without the publishes being closed.
  this->reopen();

  const auto recovered = this->store().recover_interrupted();
  ASSERT_EQ(recovered.size(), 2u);
  ClosedStream expected = make_closed(id, "vh", "live", "cam", kT0 + 30'000, "relay");
  expected.domain = "push.example.com";
  expected.client_address = "203.0.113.7:50000";
  expected.start_time = at_ms(kT0);
  expected.reason = EndReason::kInterrupted;
  expected.bytes_in = 777;
  expected.url_params = "room=9&name=%E4%BA%BA";
  EXPECT_EQ(describe(recovered[0]), describe(expected));
  // Never touched: it ends when it was last seen, at its start.
  EXPECT_EQ(recovered[1].id, other);
  EXPECT_EQ(ms_of(recovered[1].end_time), kT0);
  EXPECT_EQ(recovered[1].reason, EndReason::kInterrupted);

  // They are history now, and a second recovery finds nothing.
  const auto page = this->store().closed_streams(history());
  ASSERT_EQ(page.total, 2u);
  EXPECT_EQ(describe(page.items[0]), describe(expected));
  EXPECT_TRUE(this->store().recover_interrupted().empty());
  this->reopen();
  EXPECT_TRUE(this->store().recover_interrupted().empty());
  EXPECT_EQ(this->store().closed_streams(history()).total, 2u);
}

TYPED_TEST_P(StoreSuite, ClosingAnIdAlreadyInHistoryFails) {
  Store& store = this->store();
  const int64_t id = store.open_publish(make_publish("cam"));
  store.append_closed({make_closed(id, "vh", "live", "squatter", kT0)});
  // History is never overwritten: the close fails and the record stays.
  EXPECT_THROW(store.close_publish(make_closed(id, "vh", "live", "cam", kT0 + 5000)), StoreError);
  const auto page = store.closed_streams(history());
  ASSERT_EQ(page.total, 1u);
  EXPECT_EQ(page.items[0].stream, "squatter");
}

// --- history ---

TYPED_TEST_P(StoreSuite, HistoryPagesByEndTime) {
  std::vector<ClosedStream> records;
  for (int64_t id = 1; id <= 25; ++id) {
    records.push_back(make_closed(id, "vh", "live", "s" + std::to_string(id), kT0 + id * 1000));
  }
  this->store().append_closed(records);

  auto query = history();
  query.page.page_size = 10;
  const auto page_of = [&](uint32_t num, SortOrder sort) {
    query.page.page_num = num;
    query.sort = sort;
    return this->store().closed_streams(query);
  };
  const auto first = page_of(1, SortOrder::kDesc);
  EXPECT_EQ(first.total, 25u);
  EXPECT_EQ(ids_of(first), (std::vector<int64_t>{25, 24, 23, 22, 21, 20, 19, 18, 17, 16}));
  EXPECT_EQ(ids_of(page_of(2, SortOrder::kDesc)),
            (std::vector<int64_t>{15, 14, 13, 12, 11, 10, 9, 8, 7, 6}));
  const auto last = page_of(3, SortOrder::kDesc);
  EXPECT_EQ(last.total, 25u);
  EXPECT_EQ(ids_of(last), (std::vector<int64_t>{5, 4, 3, 2, 1}));
  const auto beyond = page_of(4, SortOrder::kDesc);
  EXPECT_EQ(beyond.total, 25u);
  EXPECT_TRUE(beyond.items.empty());

  EXPECT_EQ(ids_of(page_of(1, SortOrder::kAsc)),
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(ids_of(page_of(3, SortOrder::kAsc)), (std::vector<int64_t>{21, 22, 23, 24, 25}));
}

TYPED_TEST_P(StoreSuite, HistoryBreaksEndTimeTiesById) {
  this->store().append_closed({make_closed(5, "vh", "live", "s", kT0 + 1000),
                               make_closed(9, "vh", "live", "s", kT0 + 1000),
                               make_closed(3, "vh", "live", "s", kT0 + 1000),
                               make_closed(4, "vh", "live", "s", kT0 + 500)});
  auto query = history();
  query.sort = SortOrder::kAsc;
  EXPECT_EQ(this->matching(query), (std::vector<int64_t>{4, 3, 5, 9}));
  query.sort = SortOrder::kDesc;
  EXPECT_EQ(this->matching(query), (std::vector<int64_t>{9, 5, 3, 4}));
  // Pages split inside the tie without repeating or losing a record.
  query.page = {1, 2};
  EXPECT_EQ(ids_of(this->store().closed_streams(query)), (std::vector<int64_t>{9, 5}));
  query.page = {2, 2};
  EXPECT_EQ(ids_of(this->store().closed_streams(query)), (std::vector<int64_t>{3, 4}));
}

TYPED_TEST_P(StoreSuite, HistoryEndTimeRangeIsInclusive) {
  this->store().append_closed({make_closed(1, "vh", "live", "s", kT0 + 1000),
                               make_closed(2, "vh", "live", "s", kT0 + 2000),
                               make_closed(3, "vh", "live", "s", kT0 + 3000),
                               make_closed(4, "vh", "live", "s", kT0 + 4000)});
  EXPECT_EQ(this->matching(history(kT0 + 2000, kT0 + 3000)), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(this->matching(history(kT0 + 2001, kT0 + 2999)), (std::vector<int64_t>{}));
  EXPECT_EQ(this->matching(history(kT0 + 2000, kT0 + 2000)), (std::vector<int64_t>{2}));
  EXPECT_EQ(this->matching(history(kT0 + 1999, kT0 + 4000)), (std::vector<int64_t>{4, 3, 2}));
  EXPECT_EQ(this->store().closed_streams(history(kT0 + 1999, kT0 + 4000)).total, 3u);
}

TYPED_TEST_P(StoreSuite, HistoryFiltersAloneAndCombined) {
  this->store().append_closed(filter_fixture());
  const auto with = [](auto set) {
    ClosedStreamQuery q = history();
    set(q);
    return q;
  };
  using Ids = std::vector<int64_t>;
  EXPECT_EQ(this->matching(history()), (Ids{8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(this->matching(with([](auto& q) { q.names.vhost = "v2"; })), (Ids{6, 5, 4}));
  EXPECT_EQ(this->matching(with([](auto& q) { q.names.app = "game"; })), (Ids{3}));
  EXPECT_EQ(this->matching(with([](auto& q) { q.names.stream = "cam_1"; })), (Ids{4, 3, 1}));
  EXPECT_EQ(this->matching(with([](auto& q) { q.source_type = "relay"; })), (Ids{6, 2}));
  EXPECT_EQ(this->matching(with([](auto& q) {
    q.names.vhost = "v1";
    q.names.app = "live";
  })),
            (Ids{8, 7, 2, 1}));
  EXPECT_EQ(this->matching(with([](auto& q) {
    q.names.vhost = "v1";
    q.names.stream = "cam_1";
  })),
            (Ids{3, 1}));
  EXPECT_EQ(this->matching(with([](auto& q) {
    q.names.vhost = "v1";
    q.names.app = "live";
    q.names.stream = "cam_1";
    q.source_type = "push";
  })),
            (Ids{1}));
  EXPECT_EQ(this->matching(with([](auto& q) {
    q.names.stream = "cam";
    q.names.stream_match = MatchMode::kFuzzy;
    q.source_type = "push";
    q.end_from = at_ms(kT0 + 1500);
    q.end_to = at_ms(kT0 + 3000);
  })),
            (Ids{4, 3}));
  EXPECT_EQ(this->matching(with([](auto& q) { q.names.vhost = "nowhere"; })), (Ids{}));
  EXPECT_EQ(this->store().closed_streams(with([](auto& q) { q.names.vhost = "v1"; })).total, 5u);
}

TYPED_TEST_P(StoreSuite, StrictStreamFilterIsExactAndCaseSensitive) {
  this->store().append_closed(filter_fixture());
  const auto strict = [](std::string stream) {
    ClosedStreamQuery q = history();
    q.names.stream = std::move(stream);
    return q;
  };
  using Ids = std::vector<int64_t>;
  EXPECT_EQ(this->matching(strict("Cam_1")), (Ids{7}));
  EXPECT_EQ(this->matching(strict("cam")), (Ids{}));
  EXPECT_EQ(this->matching(strict("a_b")), (Ids{5}));
  EXPECT_EQ(this->matching(strict("a%b")), (Ids{8}));
}

TYPED_TEST_P(StoreSuite, FuzzyStreamFilterIsAPlainCaseSensitiveSubstring) {
  this->store().append_closed(filter_fixture());
  const auto fuzzy = [](std::string part) {
    ClosedStreamQuery q = history();
    q.names.stream = std::move(part);
    q.names.stream_match = MatchMode::kFuzzy;
    return q;
  };
  using Ids = std::vector<int64_t>;
  EXPECT_EQ(this->matching(fuzzy("cam")), (Ids{4, 3, 2, 1}));
  EXPECT_EQ(this->matching(fuzzy("Cam")), (Ids{7}));
  EXPECT_EQ(this->matching(fuzzy("m_1")), (Ids{7, 4, 3, 1}));
  // '%' and '_' are ordinary characters, not LIKE wildcards.
  EXPECT_EQ(this->matching(fuzzy("a%b")), (Ids{8}));
  EXPECT_EQ(this->matching(fuzzy("a_b")), (Ids{5}));
  EXPECT_EQ(this->matching(fuzzy("_")), (Ids{7, 5, 4, 3, 2, 1}));
  EXPECT_EQ(this->matching(fuzzy("%")), (Ids{8}));
  EXPECT_EQ(this->matching(fuzzy("xyz")), (Ids{}));
  EXPECT_EQ(this->store().closed_streams(fuzzy("_")).total, 6u);
}

TYPED_TEST_P(StoreSuite, HistoryKeepsEveryField) {
  ClosedStream record = make_closed(42, "vh", "live", "cam", kT0 + 5000, "relay");
  record.domain = "pull.example.com";
  record.client_address = "[2001:db8::1]:41000";
  record.start_time = at_ms(kT0 - 3'600'000);
  record.bytes_in = (uint64_t{1} << 63) + 5;  // beyond a signed 64-bit integer
  record.url_params = "a=1&b=%20&c";
  std::vector<ClosedStream> records{record};
  for (auto reason : {EndReason::kNormal, EndReason::kKilled, EndReason::kForbidden,
                      EndReason::kError, EndReason::kTimeout, EndReason::kInterrupted}) {
    ClosedStream r = make_closed(100 + static_cast<int64_t>(reason), "vh", "live", "r", kT0);
    r.reason = reason;
    records.push_back(r);
  }
  this->store().append_closed(records);
  this->reopen();
  auto query = history();
  query.sort = SortOrder::kAsc;
  query.page.page_size = 100;
  const auto page = this->store().closed_streams(query);
  ASSERT_EQ(page.items.size(), records.size());
  for (size_t i = 1; i < records.size(); ++i) {
    EXPECT_EQ(describe(page.items[i - 1]), describe(records[i]));
  }
  EXPECT_EQ(describe(page.items.back()), describe(record));
}

TYPED_TEST_P(StoreSuite, HistoryAgreesWithABruteForceScan) {
  // Two months of records, many ending exactly on (or a millisecond off)
  // whole hours, days and 30-day spans since the epoch: where a store that
  // keeps counts per time bucket would cut. Random queries over them must
  // give the totals and pages of a plain filter-and-sort.
  constexpr int64_t kHour = 3'600'000;
  constexpr int64_t kDay = 24 * kHour;
  constexpr int64_t k30Days = 30 * kDay;
  const int64_t base = kT0 - kT0 % k30Days;
  const std::vector<std::string> vhosts{"v1", "v2"};
  const std::vector<std::string> apps{"live", "game", "x"};
  const std::vector<std::string> streams{"cam_1", "cam_2",  "Cam_1",   "a_b", "a%b",
                                         "axb",   "room.1", "room-22", "s"};
  const std::vector<std::string> parts{"cam", "_", "%", "a", "1", "room", "zzz", "", "m_", "A"};
  const std::vector<std::string> types{"push", "relay"};
  std::mt19937_64 rng(20240601);
  const auto pick = [&](const auto& options) { return options[rng() % options.size()]; };
  const auto boundary = [&]() {
    const int64_t length = pick(std::vector<int64_t>{kHour, kDay, k30Days});
    return base + (static_cast<int64_t>(rng() % 3) - 1) * k30Days +
           static_cast<int64_t>(rng() % 60) * length % (3 * k30Days) +
           static_cast<int64_t>(rng() % 3) - 1;
  };
  std::vector<ClosedStream> records;
  std::vector<int64_t> points{base - 2 * k30Days, base + 3 * k30Days};
  for (int64_t id = 1; id <= 800; ++id) {
    const int64_t end =
        rng() % 3 == 0 ? boundary() : base - k30Days + static_cast<int64_t>(rng() % (3 * k30Days));
    records.push_back(make_closed(id, pick(vhosts), pick(apps), pick(streams), end, pick(types)));
    points.push_back(end);
    points.push_back(boundary());
  }
  std::shuffle(records.begin(), records.end(), rng);
  this->store().append_closed(records);

  for (int round = 0; round < 400; ++round) {
    ClosedStreamQuery q;
    int64_t from = pick(points), to = pick(points);
    if (from > to && rng() % 8 != 0) std::swap(from, to);  // sometimes an empty range
    q.end_from = at_ms(from);
    q.end_to = at_ms(to);
    if (rng() % 3 == 0) q.names.vhost = pick(vhosts);
    if (rng() % 3 == 0) q.names.app = pick(apps);
    if (rng() % 3 == 0) q.source_type = pick(types);
    if (rng() % 2 == 0) {
      q.names.stream_match = rng() % 2 == 0 ? MatchMode::kStrict : MatchMode::kFuzzy;
      q.names.stream = q.names.stream_match == MatchMode::kStrict ? pick(streams) : pick(parts);
    }
    q.sort = rng() % 2 == 0 ? SortOrder::kAsc : SortOrder::kDesc;
    q.page.page_size = 1 + static_cast<uint32_t>(rng() % 30);
    const uint64_t total = brute_force(records, q).total;
    q.page.page_num = 1 + static_cast<uint32_t>(rng() % (total / q.page.page_size + 2));

    const auto expected = brute_force(records, q);
    const auto actual = this->store().closed_streams(q);
    ASSERT_EQ(actual.total, expected.total) << describe(q);
    ASSERT_EQ(ids_of(actual), ids_of(expected)) << describe(q);
  }
}

TYPED_TEST_P(StoreSuite, FuzzyHistoryAgreesWithABruteForceScan) {
  // Substring filters whose matches range from none through a few names to
  // half and nearly all of the records, over a history added in batches
  // (the second older than the first, the third interleaved with both),
  // queried between batches, with ranges cut at or just off whole hours and
  // days, and every other filter combined.
  constexpr int64_t kHour = 3'600'000;
  constexpr int64_t kDay = 24 * kHour;
  const int64_t base = kT0 - kT0 % kDay;
  std::vector<std::string> streams;
  for (int k = 0; k < 120; ++k) {
    std::string name = "s" + std::to_string(k);
    if (k % 10 == 0) name += "_ten";
    if (k % 20 < 7) name += "_tf";
    if (k % 2 == 0) name += "_half";
    streams.push_back(name);
  }
  const std::vector<std::string> parts{"_half", "_tf", "_ten", "_tf_half", "s1", "s11",     "1",
                                       "7_",    "s",   "",     "zzz",      "S1", "_ten_tf_"};
  const std::vector<std::string> vhosts{"v1", "v2"};
  const std::vector<std::string> apps{"live", "game"};
  const std::vector<std::string> types{"push", "relay"};
  std::mt19937_64 rng(20240602);
  const auto pick = [&](const auto& options) { return options[rng() % options.size()]; };
  const auto near_boundary = [&](int64_t first_day) {
    const int64_t length = rng() % 2 ? kHour : kDay;
    return base + first_day * kDay + static_cast<int64_t>(rng() % 4) * length +
           static_cast<int64_t>(rng() % 3) - 1;
  };
  std::vector<ClosedStream> records;
  std::vector<int64_t> points{base - kDay, base + 10 * kDay};
  int64_t next_id = 1;
  const auto add_batch = [&](int64_t first_day, int64_t days) {
    std::vector<ClosedStream> batch;
    for (int i = 0; i < 500; ++i) {
      const int64_t end =
          rng() % 4 == 0 ? near_boundary(first_day + static_cast<int64_t>(rng() % days))
                         : base + first_day * kDay + static_cast<int64_t>(rng() % (days * kDay));
      // A few names carry a third of the records, as busy channels would.
      const std::string& stream = rng() % 3 == 0 ? streams[rng() % 4] : pick(streams);
      batch.push_back(make_closed(next_id++, pick(vhosts), pick(apps), stream, end, pick(types)));
      points.push_back(end);
      points.push_back(near_boundary(first_day + static_cast<int64_t>(rng() % days)));
    }
    std::shuffle(batch.begin(), batch.end(), rng);
    this->store().append_closed(batch);
    records.insert(records.end(), batch.begin(), batch.end());
  };
  const auto check = [&](int rounds) {
    for (int round = 0; round < rounds; ++round) {
      ClosedStreamQuery q;
      int64_t from = pick(points), to = pick(points);
      if (from > to) std::swap(from, to);
      q.end_from = at_ms(from);
      q.end_to = at_ms(to);
      if (rng() % 3 == 0) q.names.vhost = pick(vhosts);
      if (rng() % 3 == 0) q.names.app = pick(apps);
      if (rng() % 3 == 0) q.source_type = pick(types);
      q.names.stream = pick(parts);
      q.names.stream_match = MatchMode::kFuzzy;
      q.sort = rng() % 2 == 0 ? SortOrder::kAsc : SortOrder::kDesc;
      q.page.page_size = 1 + static_cast<uint32_t>(rng() % 25);
      const uint64_t total = brute_force(records, q).total;
      q.page.page_num = 1 + static_cast<uint32_t>(rng() % (total / q.page.page_size + 2));

      const auto expected = brute_force(records, q);
      const auto actual = this->store().closed_streams(q);
      ASSERT_EQ(actual.total, expected.total) << describe(q);
      ASSERT_EQ(ids_of(actual), ids_of(expected)) << describe(q);
    }
  };
  add_batch(3, 4);
  check(100);
  add_batch(0, 3);  // older than everything so far
  check(100);
  add_batch(1, 5);  // among both
  check(100);
  this->reopen();  // and the same answers from a fresh start
  check(50);
}

// --- forbids ---

TYPED_TEST_P(StoreSuite, PutThenFindForbid) {
  Store& store = this->store();
  const Forbid forbid = make_forbid("cam", kT0, kT0 + 60'000);
  store.put_forbid(forbid);
  const auto found = store.find_forbid("vh", "live", "cam", at_ms(kT0 + 1));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(describe(*found), describe(forbid));
  EXPECT_FALSE(store.find_forbid("vh", "live", "Cam", at_ms(kT0 + 1)).has_value());
  EXPECT_FALSE(store.find_forbid("vh", "other", "cam", at_ms(kT0 + 1)).has_value());
  EXPECT_FALSE(store.find_forbid("vh2", "live", "cam", at_ms(kT0 + 1)).has_value());
}

TYPED_TEST_P(StoreSuite, ForbiddingAgainKeepsCreateTimeAndUpdatesTheRest) {
  Store& store = this->store();
  store.put_forbid(make_forbid("cam", kT0, kT0 + 60'000));
  Forbid again = make_forbid("cam", kT0 + 10'000, kT0 + 120'000);
  again.domain = "other.example.com";
  store.put_forbid(again);
  const auto found = store.find_forbid("vh", "live", "cam", at_ms(kT0 + 90'000));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(ms_of(found->create_time), kT0);
  EXPECT_EQ(ms_of(found->end_time), kT0 + 120'000);
  EXPECT_EQ(found->domain, "other.example.com");
  // Shortening works too.
  store.put_forbid(make_forbid("cam", kT0 + 20'000, kT0 + 30'000));
  EXPECT_FALSE(store.find_forbid("vh", "live", "cam", at_ms(kT0 + 30'000)).has_value());
  EXPECT_EQ(store.forbids(forbids_at(kT0 + 20'000)).total, 1u);
}

TYPED_TEST_P(StoreSuite, ForbidExpiresAtItsEndTime) {
  Store& store = this->store();
  store.put_forbid(make_forbid("cam", kT0, kT0 + 60'000));
  EXPECT_TRUE(store.find_forbid("vh", "live", "cam", at_ms(kT0 + 59'999)).has_value());
  EXPECT_FALSE(store.find_forbid("vh", "live", "cam", at_ms(kT0 + 60'000)).has_value());
  EXPECT_EQ(store.forbids(forbids_at(kT0 + 59'999)).total, 1u);
  const auto expired = store.forbids(forbids_at(kT0 + 60'000));
  EXPECT_EQ(expired.total, 0u);
  EXPECT_TRUE(expired.items.empty());
}

TYPED_TEST_P(StoreSuite, ForbiddingAgainAfterExpiryStartsAFreshForbid) {
  Store& store = this->store();
  store.put_forbid(make_forbid("cam", kT0, kT0 + 60'000));
  store.put_forbid(make_forbid("cam", kT0 + 60'000, kT0 + 200'000));  // the old one just ended
  const auto found = store.find_forbid("vh", "live", "cam", at_ms(kT0 + 100'000));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(ms_of(found->create_time), kT0 + 60'000);
  EXPECT_EQ(ms_of(found->end_time), kT0 + 200'000);
}

TYPED_TEST_P(StoreSuite, DeleteForbidReportsWhetherOneWasInForce) {
  Store& store = this->store();
  store.put_forbid(make_forbid("cam", kT0, kT0 + 60'000));
  store.put_forbid(make_forbid("old", kT0, kT0 + 1000));
  EXPECT_FALSE(store.delete_forbid("vh", "live", "nothing", at_ms(kT0 + 5000)));
  EXPECT_FALSE(store.delete_forbid("vh", "live", "old", at_ms(kT0 + 5000)));  // expired
  EXPECT_TRUE(store.delete_forbid("vh", "live", "cam", at_ms(kT0 + 5000)));
  EXPECT_FALSE(store.find_forbid("vh", "live", "cam", at_ms(kT0 + 5000)).has_value());
  EXPECT_FALSE(store.delete_forbid("vh", "live", "cam", at_ms(kT0 + 5000)));
  // A forbid after a resume is a new one.
  store.put_forbid(make_forbid("cam", kT0 + 6000, kT0 + 9000));
  const auto found = store.find_forbid("vh", "live", "cam", at_ms(kT0 + 7000));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(ms_of(found->create_time), kT0 + 6000);
}

TYPED_TEST_P(StoreSuite, ForbidListingFiltersSortsAndPages) {
  Store& store = this->store();
  store.put_forbid(make_forbid("s3", kT0 + 3000, kT0 + 100'000));
  store.put_forbid(make_forbid("s1", kT0 + 1000, kT0 + 100'000));
  store.put_forbid(make_forbid("s2b", kT0 + 2000, kT0 + 100'000));
  store.put_forbid(make_forbid("s2a", kT0 + 2000, kT0 + 100'000));  // same create time as s2b
  store.put_forbid(make_forbid("expired", kT0 + 4000, kT0 + 5000));
  store.put_forbid(make_forbid("s1", kT0 + 500, kT0 + 100'000, "vh2"));
  store.put_forbid(make_forbid("s_x", kT0 + 600, kT0 + 100'000, "vh2", "game"));

  using Names = std::vector<std::string>;
  auto query = forbids_at(kT0 + 10'000);
  query.page.page_size = 100;
  EXPECT_EQ(streams_of(store.forbids(query)), (Names{"s3", "s2b", "s2a", "s1", "s_x", "s1"}));
  query.sort = SortOrder::kAsc;
  EXPECT_EQ(streams_of(store.forbids(query)), (Names{"s1", "s_x", "s1", "s2a", "s2b", "s3"}));

  query.page = {2, 4};
  const auto second = store.forbids(query);
  EXPECT_EQ(second.total, 6u);
  EXPECT_EQ(streams_of(second), (Names{"s2b", "s3"}));
  query.page = {3, 4};
  EXPECT_TRUE(store.forbids(query).items.empty());
  EXPECT_EQ(store.forbids(query).total, 6u);

  query.page = {1, 100};
  query.names.vhost = "vh2";
  const auto vh2 = store.forbids(query);
  ASSERT_EQ(vh2.total, 2u);
  EXPECT_EQ(describe(vh2.items[0]), describe(make_forbid("s1", kT0 + 500, kT0 + 100'000, "vh2")));
  query.names.app = "game";
  EXPECT_EQ(streams_of(store.forbids(query)), (Names{"s_x"}));
  query.names = {};
  query.names.stream = "s1";
  EXPECT_EQ(streams_of(store.forbids(query)), (Names{"s1", "s1"}));
  query.names.stream = "s2";
  query.names.stream_match = MatchMode::kFuzzy;
  EXPECT_EQ(streams_of(store.forbids(query)), (Names{"s2a", "s2b"}));
  query.names.stream = "_";
  EXPECT_EQ(streams_of(store.forbids(query)), (Names{"s_x"}));
  query.names.stream = "S";
  EXPECT_EQ(store.forbids(query).total, 0u);
}

// --- durability ---

// --- the whole RFC 3339 range (years 0001-9999) ---

// 2038-01-19T03:14:08Z (past 32-bit seconds), 2262-04-11T23:47:17Z (past
// 64-bit nanoseconds) and the last millisecond of 9999 all go in and come
// back exactly, filter and sort right, and survive a reopen.
TYPED_TEST_P(StoreSuite, TimesFromYear1To9999RoundTrip) {
  constexpr int64_t k2038 = 2'147'483'648'000;
  constexpr int64_t k2262 = 9'223'372'037'000;
  const int64_t first = to_unix_ms(kWallTimeMin);  // 0001-01-01T00:00:00.000Z
  const int64_t last = to_unix_ms(kWallTimeMax);   // 9999-12-31T23:59:59.999Z
  Store& store = this->store();
  std::vector<ClosedStream> records = {
      make_closed(1, "vh", "live", "y1", first + 60'000),
      make_closed(2, "vh", "live", "y2038", k2038),
      make_closed(3, "vh", "live", "y2262", k2262),
      make_closed(4, "vh", "live", "y9999", last),
  };
  records[0].start_time = at_ms(first);
  store.append_closed(records);
  store.put_forbid(make_forbid("far", k2262, last));

  this->reopen();
  ClosedStreamQuery all = history(first, last);
  all.sort = SortOrder::kAsc;
  const auto page = this->store().closed_streams(all);
  ASSERT_EQ(page.items.size(), 4u);
  for (size_t i = 0; i < records.size(); ++i)
    EXPECT_EQ(describe(page.items[i]), describe(records[i]));
  EXPECT_EQ(this->matching(history(k2262, last)), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(this->matching(history(k2038 + 1, k2262 - 1)), (std::vector<int64_t>{}));
  EXPECT_EQ(this->matching(history(last, last)), (std::vector<int64_t>{4}));

  const auto forbid = this->store().find_forbid("vh", "live", "far", at_ms(k2262 + 1));
  ASSERT_TRUE(forbid.has_value());
  EXPECT_EQ(ms_of(forbid->end_time), last);
  EXPECT_TRUE(this->store().find_forbid("vh", "live", "far", at_ms(last - 1)).has_value());
  EXPECT_FALSE(this->store().find_forbid("vh", "live", "far", at_ms(last)).has_value());
  EXPECT_EQ(this->store().forbids(forbids_at(k2262)).total, 1u);
}

TYPED_TEST_P(StoreSuite, EverythingWrittenSurvivesReopen) {
  const int64_t live = this->store().open_publish(make_publish("live"));
  const int64_t ended = this->store().open_publish(make_publish("ended"));
  this->store().touch_publishes({{live, 4096}}, at_ms(kT0 + 7000));
  this->store().close_publish(make_closed(ended, "vh", "live", "ended", kT0 + 8000));
  this->store().append_closed({make_closed(ended + 100, "vh", "live", "loaded", kT0 + 9000)});
  this->store().put_forbid(make_forbid("cam", kT0, kT0 + 60'000));
  this->store().put_forbid(make_forbid("gone", kT0, kT0 + 60'000));
  EXPECT_TRUE(this->store().delete_forbid("vh", "live", "gone", at_ms(kT0)));

  this->reopen();
  EXPECT_EQ(this->matching(history()), (std::vector<int64_t>{ended + 100, ended}));
  const auto forbids = this->store().forbids(forbids_at(kT0));
  EXPECT_EQ(streams_of(forbids), (std::vector<std::string>{"cam"}));
  const auto recovered = this->store().recover_interrupted();
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(recovered[0].id, live);
  EXPECT_EQ(recovered[0].bytes_in, 4096u);
  EXPECT_EQ(ms_of(recovered[0].end_time), kT0 + 7000);
}

TYPED_TEST_P(StoreSuite, WritesSurviveKillDashNine) {
  // A child process writes and is killed with no chance to clean up; what
  // the calls returned must be on disk. The parent's store is closed first
  // so that no connection is shared across fork().
  this->store_.reset();
  EXPECT_EXIT(
      {
        auto store = this->harness_.open();
        const int64_t id = store->open_publish(make_publish("cam"));
        store->touch_publishes({{id, 99}}, at_ms(kT0 + 3000));
        store->put_forbid(make_forbid("bad", kT0, kT0 + 60'000));
        store->queue_callbacks({make_callback("k", "told")});
        std::raise(SIGKILL);
      },
      ::testing::KilledBySignal(SIGKILL), "");

  this->store_ = this->harness_.open();
  EXPECT_TRUE(this->store().find_forbid("vh", "live", "bad", at_ms(kT0)).has_value());
  EXPECT_EQ(payloads_of(this->store().due_callbacks(at_ms(kT0), 10)),
            (std::vector<std::string>{"told"}));
  const auto recovered = this->store().recover_interrupted();
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(recovered[0].stream, "cam");
  EXPECT_EQ(recovered[0].bytes_in, 99u);
  EXPECT_EQ(ms_of(recovered[0].end_time), kT0 + 3000);
}

// --- callbacks (the outbox) ---

TYPED_TEST_P(StoreSuite, CallbacksOfOneKeyGoOutOneAtATimeInOrder) {
  Store& store = this->store();
  store.queue_callbacks({make_callback("vh/live/a", "a1"), make_callback("vh/live/b", "b1"),
                         make_callback("vh/live/a", "a2"), make_callback("vh/live/a", "a3")});
  EXPECT_EQ(store.pending_callbacks(), 4u);
  // Only each key's oldest message is due, oldest first.
  auto due = store.due_callbacks(at_ms(kT0), 10);
  ASSERT_EQ(payloads_of(due), (std::vector<std::string>{"a1", "b1"}));
  EXPECT_LT(due[0].id, due[1].id);
  const int64_t a1 = due[0].id;

  store.callbacks_delivered({a1});
  due = store.due_callbacks(at_ms(kT0), 10);
  ASSERT_EQ(payloads_of(due), (std::vector<std::string>{"b1", "a2"}));
  EXPECT_GT(due[1].id, a1);
  // The limit keeps the oldest.
  EXPECT_EQ(payloads_of(store.due_callbacks(at_ms(kT0), 1)), (std::vector<std::string>{"b1"}));

  store.callbacks_delivered({due[0].id, due[1].id});
  EXPECT_EQ(payloads_of(store.due_callbacks(at_ms(kT0), 10)), (std::vector<std::string>{"a3"}));
  EXPECT_EQ(store.pending_callbacks(), 1u);
}

TYPED_TEST_P(StoreSuite, CallbackIsDueOnlyOnceItsNextAttemptHasCome) {
  Store& store = this->store();
  EXPECT_FALSE(store.next_callback_due().has_value());
  EXPECT_TRUE(store.due_callbacks(at_ms(kT0), 10).empty());
  // The second message of the key is due at once, but waits behind the first.
  store.queue_callbacks({make_callback("k", "later", kT0 + 1000), make_callback("k", "now", kT0)});
  ASSERT_EQ(store.next_callback_due(), at_ms(kT0 + 1000));
  EXPECT_TRUE(store.due_callbacks(at_ms(kT0 + 999), 10).empty());
  auto due = store.due_callbacks(at_ms(kT0 + 1000), 10);
  ASSERT_EQ(payloads_of(due), (std::vector<std::string>{"later"}));

  // A failed try moves it on; it still holds back the one behind it.
  store.callback_retry(due[0].id, 1, at_ms(kT0 + 5000));
  EXPECT_EQ(store.next_callback_due(), at_ms(kT0 + 5000));
  EXPECT_TRUE(store.due_callbacks(at_ms(kT0 + 4999), 10).empty());
  due = store.due_callbacks(at_ms(kT0 + 5000), 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].payload, "later");
  EXPECT_EQ(due[0].attempts, 1u);
  EXPECT_EQ(ms_of(due[0].created), kT0 + 1000);  // the retry schedule still counts from here
  EXPECT_FALSE(due[0].failed);
}

TYPED_TEST_P(StoreSuite, FailedCallbackNoLongerBlocksItsKey) {
  Store& store = this->store();
  store.queue_callbacks({make_callback("k", "doomed"), make_callback("k", "next")});
  const auto due = store.due_callbacks(at_ms(kT0), 10);
  ASSERT_EQ(payloads_of(due), (std::vector<std::string>{"doomed"}));
  store.callback_failed(due[0].id, 7);
  EXPECT_EQ(store.pending_callbacks(), 1u);
  EXPECT_EQ(payloads_of(store.due_callbacks(at_ms(kT0), 10)), (std::vector<std::string>{"next"}));
  EXPECT_EQ(store.next_callback_due(), at_ms(kT0));
  this->reopen();
  EXPECT_EQ(payloads_of(this->store().due_callbacks(at_ms(kT0), 10)),
            (std::vector<std::string>{"next"}));
}

TYPED_TEST_P(StoreSuite, DeliveredCallbacksAreGoneAndTheirIdsNeverReturn) {
  Store& store = this->store();
  store.queue_callbacks({make_callback("k", "one")});
  const auto first = store.due_callbacks(at_ms(kT0), 10);
  ASSERT_EQ(first.size(), 1u);
  store.callbacks_delivered({first[0].id});
  store.callbacks_delivered({});
  EXPECT_EQ(store.pending_callbacks(), 0u);
  EXPECT_TRUE(store.due_callbacks(at_ms(kT0 * 2), 10).empty());
  EXPECT_FALSE(store.next_callback_due().has_value());

  // Receivers dedupe by id: a later message never reuses one, even after a restart.
  this->reopen();
  this->store().queue_callbacks({make_callback("k", "two")});
  const auto second = this->store().due_callbacks(at_ms(kT0), 10);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_GT(second[0].id, first[0].id);
}

TYPED_TEST_P(StoreSuite, PublishChangesQueueTheCallbacksTheyAnnounce) {
  Store& store = this->store();
  OpenPublish publish = make_publish("cam");
  publish.url_params = "token=1";
  int64_t announced_id = 0;
  const int64_t id = store.open_publish(publish, [&](int64_t publish_id) {
    announced_id = publish_id;
    return std::vector<CallbackMessage>{
        make_callback("vh/live/cam", "push " + std::to_string(publish_id)),
        make_callback("vh/live/cam", "push again " + std::to_string(publish_id))};
  });
  EXPECT_EQ(announced_id, id);
  store.close_publish(make_closed(id, "vh", "live", "cam", kT0 + 1000), [&](int64_t publish_id) {
    return std::vector<CallbackMessage>{
        make_callback("vh/live/cam", "push_end " + std::to_string(publish_id))};
  });
  const int64_t crashed = store.open_publish(make_publish("other"));
  this->reopen();
  const auto recovered = this->store().recover_interrupted([&](const ClosedStream& record) {
    return std::vector<CallbackMessage>{make_callback(
        "vh/live/other",
        "push_end " + std::to_string(record.id) + " " + std::string(to_string(record.reason)))};
  });
  ASSERT_EQ(recovered.size(), 1u);

  std::vector<std::string> sent;
  for (int round = 0; round < 10; ++round) {
    const auto due = this->store().due_callbacks(at_ms(kT0), 10);
    if (due.empty()) break;
    std::vector<int64_t> ids;
    for (const auto& m : due) {
      sent.push_back(m.payload);
      ids.push_back(m.id);
    }
    this->store().callbacks_delivered(ids);
  }
  const std::string n = std::to_string(id);
  EXPECT_EQ(sent, (std::vector<std::string>{"push " + n,
                                            "push_end " + std::to_string(crashed) + " interrupted",
                                            "push again " + n, "push_end " + n}));
}

TYPED_TEST_P(StoreSuite, AThrowingAnnounceWritesNothing) {
  Store& store = this->store();
  const auto throwing = [](int64_t) -> std::vector<CallbackMessage> {
    throw std::runtime_error("cannot build the payload");
  };
  EXPECT_THROW(store.open_publish(make_publish("lost"), throwing), std::runtime_error);
  // Neither the open record (nothing to recover) nor a message was written.
  EXPECT_EQ(store.pending_callbacks(), 0u);

  const int64_t id = store.open_publish(make_publish("cam"));
  EXPECT_THROW(store.close_publish(make_closed(id, "vh", "live", "cam", kT0 + 1000), throwing),
               std::runtime_error);
  EXPECT_EQ(store.closed_streams(history()).total, 0u);
  EXPECT_THROW(store.recover_interrupted([](const ClosedStream&) -> std::vector<CallbackMessage> {
    throw std::runtime_error("no");
  }),
               std::runtime_error);
  EXPECT_EQ(store.closed_streams(history()).total, 0u);
  EXPECT_EQ(store.pending_callbacks(), 0u);

  // The publish is still open, and only it.
  const auto recovered = store.recover_interrupted();
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(recovered[0].id, id);
}

TYPED_TEST_P(StoreSuite, CallbacksSurviveReopen) {
  CallbackMessage message = make_callback("vh/live/cam", R"({"event_type":"push_start"})", kT0);
  message.url = "http://127.0.0.1:8080/hook?x=1";
  message.created = at_ms(kT0 - 500);
  this->store().queue_callbacks({message, make_callback("vh/live/cam", "second")});
  auto due = this->store().due_callbacks(at_ms(kT0), 10);
  ASSERT_EQ(due.size(), 1u);
  this->store().callback_retry(due[0].id, 3, at_ms(kT0 + 9000));

  this->reopen();
  EXPECT_EQ(this->store().pending_callbacks(), 2u);
  EXPECT_EQ(this->store().next_callback_due(), at_ms(kT0 + 9000));
  due = this->store().due_callbacks(at_ms(kT0 + 9000), 10);
  ASSERT_EQ(due.size(), 1u);
  message.id = due[0].id;
  message.attempts = 3;
  message.next_attempt = at_ms(kT0 + 9000);
  EXPECT_EQ(describe(due[0]), describe(message));
}

REGISTER_TYPED_TEST_SUITE_P(
    StoreSuite, OpenTouchCloseRoundTrip, TouchUpdatesLiveAndIgnoresUnknownPublishes,
    PublishIdsIncreaseAndAreNeverReused, PublishIdsSkipIdsAlreadyInHistory,
    RecoverInterruptedAfterACrash, ClosingAnIdAlreadyInHistoryFails, HistoryPagesByEndTime,
    HistoryBreaksEndTimeTiesById, HistoryEndTimeRangeIsInclusive, HistoryFiltersAloneAndCombined,
    StrictStreamFilterIsExactAndCaseSensitive, FuzzyStreamFilterIsAPlainCaseSensitiveSubstring,
    HistoryKeepsEveryField, HistoryAgreesWithABruteForceScan, FuzzyHistoryAgreesWithABruteForceScan,
    PutThenFindForbid, ForbiddingAgainKeepsCreateTimeAndUpdatesTheRest, ForbidExpiresAtItsEndTime,
    ForbiddingAgainAfterExpiryStartsAFreshForbid, DeleteForbidReportsWhetherOneWasInForce,
    ForbidListingFiltersSortsAndPages, TimesFromYear1To9999RoundTrip,
    EverythingWrittenSurvivesReopen, WritesSurviveKillDashNine,
    CallbacksOfOneKeyGoOutOneAtATimeInOrder, CallbackIsDueOnlyOnceItsNextAttemptHasCome,
    FailedCallbackNoLongerBlocksItsKey, DeliveredCallbacksAreGoneAndTheirIdsNeverReturn,
    PublishChangesQueueTheCallbacksTheyAnnounce, AThrowingAnnounceWritesNothing,
    CallbacksSurviveReopen);

}  // namespace sluice::store::suite
