#pragma once
// Racing coroutines with asio's `a || b`: that operator waits for the first
// one to *succeed*, so a coroutine that fails would leave the others running
// (a protocol error would wait for a timeout). Wrapping each racer in
// FirstError::guard turns its failure into a normal completion, which ends
// the race at once, and keeps the first failure for the session to report.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <exception>

namespace sluice {

class FirstError {
 public:
  boost::asio::awaitable<void> guard(boost::asio::awaitable<void> task) {
    try {
      co_await std::move(task);
    } catch (const boost::system::system_error& e) {
      // The losers of a race are cancelled; that is not a failure.
      if (e.code() != boost::asio::error::operation_aborted) record(std::current_exception());
    } catch (...) {
      record(std::current_exception());
    }
  }

  void record(std::exception_ptr e) {
    if (!error_) error_ = e;
  }
  // Rethrows the first failure, if any.
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::exception_ptr error_;
};

}  // namespace sluice
