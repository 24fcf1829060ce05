#pragma once
// The CRC that ends every MPEG-2 PSI section (ISO/IEC 13818-1 Annex A):
// polynomial 0x04C11DB7, initial value 0xFFFFFFFF, no reflection, no final
// XOR. Not zlib's CRC-32, which reflects.
#include <cstdint>
#include <span>

namespace sluice::ts {

uint32_t mpeg2_crc32(std::span<const uint8_t> data);

}  // namespace sluice::ts
