//===- Support.h - Small helpers of the runtime's loader --------*- C++ -*-===//
//
// Checked arithmetic, little-endian reads and message formatting. The runtime
// uses no LLVM/MLIR code; these are the few helpers it needs.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_SUPPORT_H
#define DLCC_RUNTIME_SUPPORT_H

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace dlcc::runtime {

/// Concatenates the stream representations of `args`.
template <typename... Args> std::string strCat(const Args &...args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

/// "0x" followed by `value` in hexadecimal.
std::string hex(uint64_t value);

/// `text` in double quotes with non-printable bytes escaped, cut at 80 bytes.
std::string quoted(std::string_view text);

/// Fills `bytes` bytes at `dst` with copies of the `elementBytes`-byte
/// `element` (bytes a multiple of elementBytes > 0): a splat's value.
void fillWithElement(uint8_t *dst, uint64_t bytes, const uint8_t *element,
                     uint64_t elementBytes);

/// a + b, false on overflow.
inline bool checkedAdd(uint64_t a, uint64_t b, uint64_t &out) {
  return !__builtin_add_overflow(a, b, &out);
}
/// a * b, false on overflow.
inline bool checkedMul(uint64_t a, uint64_t b, uint64_t &out) {
  return !__builtin_mul_overflow(a, b, &out);
}
/// Whether [offset, offset + size) lies within [0, limit), without overflow.
inline bool rangeWithin(uint64_t offset, uint64_t size, uint64_t limit) {
  return size <= limit && offset <= limit - size;
}

inline uint32_t readLE32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}
inline uint64_t readLE64(const uint8_t *p) {
  return uint64_t(readLE32(p)) | uint64_t(readLE32(p + 4)) << 32;
}

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_SUPPORT_H
