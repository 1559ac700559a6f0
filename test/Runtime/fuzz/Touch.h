//===- Touch.h - reading fuzzed results so that they are checked -*- C++ -*-===//
//
// The fuzz targets read every byte a query or a run returns, so that
// AddressSanitizer sees an out-of-bounds or uninitialised result even when
// nothing else would look at it.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_TEST_RUNTIME_FUZZ_TOUCH_H
#define DLCC_TEST_RUNTIME_FUZZ_TOUCH_H

#include <cstddef>
#include <cstdint>

namespace dlcc::fuzz {

/// Keeps the reads in touch() from being optimised away.
inline volatile uint64_t sink;

/// Reads `size` bytes at `data`.
inline void touch(const void *data, size_t size) {
  const auto *p = static_cast<const uint8_t *>(data);
  uint64_t sum = 0;
  for (size_t i = 0; i < size; ++i)
    sum += p[i];
  sink = sink + sum;
}

} // namespace dlcc::fuzz

#endif // DLCC_TEST_RUNTIME_FUZZ_TOUCH_H
