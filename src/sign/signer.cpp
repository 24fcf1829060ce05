#include "sign/signer.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>

#include "base/sha256.hpp"

namespace sluice::sign {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Form decoding: '+' is a space; a malformed %XX stays as written (as
// Python's parse_qsl does), which then simply fails the signature.
std::string form_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string collapse_whitespace(std::string_view v) {
  std::string out;
  bool pending_space = false;
  for (char c : v) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c);
    }
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

std::string join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(sep);
    out += items[i];
  }
  return out;
}

std::string hmac_raw(std::span<const uint8_t> key, std::string_view msg) {
  auto d = hmac_sha256(key, {as_bytes(msg)});
  return std::string(d.begin(), d.end());
}

}  // namespace

std::string Scope::to_string() const {
  return date + "/" + region + "/" + service + "/" + std::string(kTerminator);
}

std::string uri_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

Params decode_query(std::string_view raw_query) {
  Params params;
  if (raw_query.empty()) return params;
  for (auto part : split(raw_query, '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    params.emplace_back(form_decode(part.substr(0, eq)), eq == std::string_view::npos
                                                             ? std::string()
                                                             : form_decode(part.substr(eq + 1)));
  }
  return params;
}

std::string canonical_query(const Params& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& [k, v] : params) encoded.emplace_back(uri_encode(k), uri_encode(v));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [k, v] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += k;
    out.push_back('=');
    out += v;
  }
  return out;
}

std::string canonical_request(const CanonicalInput& in) {
  std::string headers;
  for (const auto& name : in.signed_headers) {
    std::string value;
    for (const auto& [k, v] : in.headers) {
      if (lower(k) == name) {
        value = collapse_whitespace(v);
        break;
      }
    }
    headers += name + ":" + value + "\n";
  }
  // The path keeps '/' bare; every other character follows RFC 3986.
  std::string path;
  for (char c : in.path.empty() ? std::string("/") : in.path) {
    path += c == '/' ? std::string("/") : uri_encode(std::string_view(&c, 1));
  }
  return in.method + "\n" + path + "\n" + canonical_query(in.query) + "\n" + headers + "\n" +
         join(in.signed_headers, ';') + "\n" + in.body_sha256_hex;
}

std::string string_to_sign(std::string_view x_date, const Scope& scope,
                           std::string_view canonical) {
  return std::string(kAlgorithm) + "\n" + std::string(x_date) + "\n" + scope.to_string() + "\n" +
         sha256_hex(canonical);
}

Sha256Digest signing_key(std::string_view secret_key, const Scope& scope) {
  // The raw secret keys the chain: no "AWS4"-style prefix.
  std::string k = hmac_raw(as_bytes(secret_key), scope.date);
  k = hmac_raw(as_bytes(k), scope.region);
  k = hmac_raw(as_bytes(k), scope.service);
  return hmac_sha256(as_bytes(k), {as_bytes(kTerminator)});
}

std::string signature(std::string_view secret_key, std::string_view x_date, const Scope& scope,
                      const CanonicalInput& in) {
  auto key = signing_key(secret_key, scope);
  return to_hex(hmac_sha256(key, {as_bytes(string_to_sign(x_date, scope, canonical_request(in)))}));
}

std::string authorization(std::string_view access_key, const Scope& scope,
                          const std::vector<std::string>& signed_headers,
                          std::string_view signature_hex) {
  return std::string(kAlgorithm) + " Credential=" + std::string(access_key) + "/" +
         scope.to_string() + ", SignedHeaders=" + join(signed_headers, ';') +
         ", Signature=" + std::string(signature_hex);
}

std::optional<Authorization> parse_authorization(std::string_view header) {
  header = trim(header);
  auto space = header.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  Authorization a;
  a.algorithm = std::string(header.substr(0, space));
  std::optional<std::string_view> credential, signed_headers, sig;
  for (auto part : split(header.substr(space + 1), ',')) {
    part = trim(part);
    auto eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    auto key = part.substr(0, eq);
    auto value = part.substr(eq + 1);
    if (key == "Credential")
      credential = value;
    else if (key == "SignedHeaders")
      signed_headers = value;
    else if (key == "Signature")
      sig = value;
  }
  if (!credential || !signed_headers || !sig) return std::nullopt;
  auto cred = split(*credential, '/');
  if (cred.size() != 5) return std::nullopt;
  a.access_key = std::string(cred[0]);
  a.scope = {std::string(cred[1]), std::string(cred[2]), std::string(cred[3])};
  a.terminator = std::string(cred[4]);
  for (auto h : split(*signed_headers, ';')) {
    if (!h.empty()) a.signed_headers.push_back(lower(h));
  }
  a.signature = std::string(*sig);
  return a;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sluice::sign
