//===- Support.cpp - Small helpers of the runtime's loader ----------------===//

#include "Support.h"

#include <algorithm>
#include <cstring>

namespace dlcc::runtime {

std::string hex(uint64_t value) {
  static const char digits[] = "0123456789abcdef";
  std::string out = "0x";
  bool started = false;
  for (int shift = 60; shift >= 0; shift -= 4) {
    unsigned d = unsigned(value >> shift) & 0xf;
    if (d != 0 || started || shift == 0) {
      out += digits[d];
      started = true;
    }
  }
  return out;
}

std::string quoted(std::string_view text) {
  static const char digits[] = "0123456789abcdef";
  constexpr size_t kMaxShown = 80;
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += char(c);
    } else {
      out += "\\x";
      out += digits[c >> 4];
      out += digits[c & 0xf];
    }
  }
  if (text.size() > kMaxShown)
    out += "...";
  out += '"';
  return out;
}

void fillWithElement(uint8_t *dst, uint64_t bytes, const uint8_t *element,
                     uint64_t elementBytes) {
  if (bytes < elementBytes)
    return;
  std::memcpy(dst, element, elementBytes);
  // Doubling copies: log2(bytes / elementBytes) memcpy calls.
  uint64_t filled = elementBytes;
  while (filled < bytes) {
    uint64_t n = std::min(filled, bytes - filled);
    std::memcpy(dst + filled, dst, n);
    filled += n;
  }
}

} // namespace dlcc::runtime
