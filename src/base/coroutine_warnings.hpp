#pragma once
// GCC 12 at -O2 reports Asio's awaitable frames (allocated and freed by
// Asio's own operator new/delete pair) as -Wmismatched-new-delete in some
// coroutines that await a coroutine returning a large value: a false
// positive (GCC bug 109224). Included by the .cpp files that hit it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
