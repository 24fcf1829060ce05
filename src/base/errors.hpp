#pragma once
// Protocol parsers throw ProtocolError on malformed or hostile input; a
// session catches it at its top, logs one line and closes the connection.
// Exceptions keep the coroutine code straight-line, and bad input is rare
// enough that their cost does not matter.
#include <stdexcept>
#include <string>

namespace sluice {

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sluice
