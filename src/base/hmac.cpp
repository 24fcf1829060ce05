#include "base/hmac.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

namespace sluice {

Sha256Digest hmac_sha256(std::span<const uint8_t> key,
                         std::initializer_list<std::span<const uint8_t>> parts) {
  // EVP_MAC_fetch is thread-safe; caching the fetched algorithm would save a
  // lookup per call but nothing here is hot enough to need it yet.
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr),
                                                        &EVP_MAC_free);
  if (!mac) throw std::runtime_error("OpenSSL has no HMAC");
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(mac.get()),
                                                                &EVP_MAC_CTX_free);
  char digest_name[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                         OSSL_PARAM_construct_end()};
  static const uint8_t kEmptyKey = 0;  // OpenSSL rejects a null key pointer even at length 0
  if (EVP_MAC_init(ctx.get(), key.empty() ? &kEmptyKey : key.data(), key.size(), params) != 1) {
    throw std::runtime_error("HMAC init failed");
  }
  for (auto part : parts) EVP_MAC_update(ctx.get(), part.data(), part.size());
  Sha256Digest out{};
  size_t len = 0;
  EVP_MAC_final(ctx.get(), out.data(), &len, out.size());
  return out;
}

}  // namespace sluice
