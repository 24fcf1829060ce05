// The texts a signed request carries, parsed on their own: Authorization,
// X-Date, RFC 3339 times and the raw query string (then re-encoded as the
// canonical query, which must not throw). Input: the field picked by the
// first byte, then its text. Seeds: tests/fixtures/sign.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/authenticator.hpp"
#include "base/rfc3339.hpp"
#include "sign/signer.hpp"

using namespace sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      if (auto auth = sign::parse_authorization(text)) (void)auth->scope.to_string();
      break;
    case 1:
      parse_x_date(text);
      break;
    case 2:
      if (auto t = parse_rfc3339(text)) {
        // What the API answers with must parse back to the same millisecond.
        auto again = parse_rfc3339(format_rfc3339_ms(*t));
        if (!again || to_unix_ms(*again) != to_unix_ms(*t)) __builtin_trap();
      }
      break;
    case 3:
      (void)sign::canonical_query(sign::decode_query(text));
      break;
  }
  return 0;
}
