#pragma once
// LIMIT/OFFSET of a page request. The API validates page_num >= 1 and
// page_size >= 1; zeros are read as 1 rather than trusted into the arithmetic.
#include <algorithm>
#include <cstdint>

#include "store/store.hpp"

namespace sluice::store::sqlite {

struct PageWindow {
  int64_t limit = 1;
  int64_t offset = 0;
};

inline PageWindow window_of(const PageRequest& page) {
  const int64_t size = std::max<uint32_t>(page.page_size, 1);
  const int64_t number = std::max<uint32_t>(page.page_num, 1);
  return {size, (number - 1) * size};
}

}  // namespace sluice::store::sqlite
