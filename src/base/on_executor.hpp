#pragma once
// The one way to cross between sluice's threads: run a function on another
// executor and await its result (or its exception) on the caller's own.
// Nothing is shared: the function's captures are the message both ways.
//
//   auto streams = co_await on(media, [&] { return gate.online_streams(); });
//
// The caller's coroutine is suspended, not its thread: while it waits, its
// executor runs other work. The captured references must outlive the await,
// which they do when they belong to the awaiting coroutine's frame.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>
#include <utility>

namespace sluice {

template <typename F>
auto on(boost::asio::any_io_executor executor, F function)
    -> boost::asio::awaitable<std::invoke_result_t<F&>> {
  using Result = std::invoke_result_t<F&>;
  return boost::asio::co_spawn(
      std::move(executor),
      [function = std::move(function)]() mutable -> boost::asio::awaitable<Result> {
        co_return function();
      },
      boost::asio::use_awaitable);
}

}  // namespace sluice
