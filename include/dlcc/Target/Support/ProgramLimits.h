//===- ProgramLimits.h - limits shared by the compiler and the loader -----===//
//
// Dependency-free (no LLVM, no MLIR): the compiler refuses a model that
// would exceed these limits before it writes anything, and the runtime's
// artifact validator refuses an artifact that exceeds them, so dlcc never
// writes a program its own loader rejects.
//
//===----------------------------------------------------------------------===//

#ifndef DLCC_TARGET_SUPPORT_PROGRAMLIMITS_H
#define DLCC_TARGET_SUPPORT_PROGRAMLIMITS_H

#include <cstddef>
#include <cstdint>

namespace dlcc::limits {

/// The largest tensor (input, output, state slot, constant or intermediate
/// buffer): 2^40 bytes, 1 TiB, more than any single device holds.
inline constexpr uint64_t kMaxTensorBytes = uint64_t(1) << 40;

/// The most blocks of one kernel launch (CUDA's grid.x limit, 2^31 - 1).
inline constexpr uint64_t kMaxGridBlocks = (uint64_t(1) << 31) - 1;

/// The most threads of one block.
inline constexpr uint64_t kMaxThreadsPerBlock = 1024;

/// The byte size of a tensor of `rank` dimensions `dims` with
/// `elementBytes`-byte elements into `bytes`; false when a dimension is
/// negative or the size exceeds kMaxTensorBytes (no overflow on the way:
/// every partial product is checked against the limit first).
inline bool tensorByteSize(uint64_t elementBytes, const int64_t *dims,
                           size_t rank, uint64_t &bytes) {
  uint64_t total = elementBytes;
  if (total > kMaxTensorBytes)
    return false;
  bool empty = false;
  for (size_t i = 0; i < rank; ++i) {
    if (dims[i] < 0)
      return false;
    if (dims[i] == 0) {
      empty = true;
      continue;
    }
    if (uint64_t(dims[i]) > kMaxTensorBytes / total)
      return false;
    total *= uint64_t(dims[i]);
  }
  bytes = empty ? 0 : total;
  return true;
}

} // namespace dlcc::limits

#endif // DLCC_TARGET_SUPPORT_PROGRAMLIMITS_H
