#include "ts/psi.hpp"

#include "ts/crc32.hpp"

namespace sluice::ts {
namespace {

void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v & 0xFF));
}

// pointer_field, then the section from table_id; `body` is what follows the
// 8-byte long-form header (table_id_extension onwards is filled here).
std::vector<uint8_t> section(uint8_t table_id, uint16_t table_id_extension,
                             const std::vector<uint8_t>& body) {
  std::vector<uint8_t> out{0x00};  // pointer_field: the section starts right away
  out.push_back(table_id);
  // section_syntax_indicator, '0', two reserved bits, then the 12-bit length
  // of everything after it: 5 bytes of header, the body and the CRC.
  const uint16_t length = static_cast<uint16_t>(5 + body.size() + 4);
  put16(out, static_cast<uint16_t>(0xB000 | length));
  put16(out, table_id_extension);
  out.push_back(0xC1);  // reserved, version 0, current_next_indicator
  out.push_back(0x00);  // section_number
  out.push_back(0x00);  // last_section_number
  out.insert(out.end(), body.begin(), body.end());
  const uint32_t crc = mpeg2_crc32(std::span(out).subspan(1));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(crc >> shift));
  return out;
}

}  // namespace

std::vector<uint8_t> pat_section() {
  std::vector<uint8_t> body;
  put16(body, kProgramNumber);
  put16(body, static_cast<uint16_t>(0xE000 | kPmtPid));
  return section(0x00, /*transport_stream_id=*/1, body);
}

std::vector<uint8_t> pmt_section(const std::vector<ElementaryStream>& streams, uint16_t pcr_pid) {
  std::vector<uint8_t> body;
  put16(body, static_cast<uint16_t>(0xE000 | pcr_pid));
  put16(body, 0xF000);  // program_info_length 0
  for (const auto& s : streams) {
    body.push_back(static_cast<uint8_t>(s.type));
    put16(body, static_cast<uint16_t>(0xE000 | s.pid));
    put16(body, 0xF000);  // ES_info_length 0
  }
  return section(0x02, kProgramNumber, body);
}

}  // namespace sluice::ts
