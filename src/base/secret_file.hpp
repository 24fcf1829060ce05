#pragma once
// Secrets sluice generates for itself (the API key pair, the push key) and
// the files it keeps them in.
#include <cstddef>
#include <filesystem>
#include <string>

namespace sluice {

// `length` characters of [A-Za-z0-9] from OpenSSL's CSPRNG, uniformly
// (rejection sampling). Throws when no random bytes can be had.
std::string random_alphanumeric(size_t length);

// Creates `file` with mode 0600 from the start (never readable by others,
// not even briefly), writes `text` and fsyncs it. Refuses to overwrite.
void write_private_file(const std::filesystem::path& file, const std::string& text);

}  // namespace sluice
