//===- SliceLayout.h - when a slice is a view of its source -----*- C++ -*-===//
//
// One rule, used by dlcc-form-dispatches (a contiguous slice stays a view
// between kernels, any other slice becomes a gather kernel) and by the
// artifact exporter (a view is a byte offset into its source's buffer).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_DIALECT_DLCC_TRANSFORMS_SLICELAYOUT_H
#define DLCC_DIALECT_DLCC_TRANSFORMS_SLICELAYOUT_H

#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>

namespace mlir::dlcc {

/// The offset, in elements, of a slice (`offsets`, `sizes`, `strides` of the
/// source's rank, as tensor.extract_slice and memref.subview give them, also
/// when rank-reducing) of a row-major source of static `shape`, when the
/// slice is one contiguous range of it: all values static, unit strides,
/// and after the leading size-1 dimensions one partial dimension with every
/// later dimension taken whole. nullopt otherwise.
std::optional<int64_t> contiguousSliceElementOffset(ArrayRef<int64_t> shape,
                                                    ArrayRef<int64_t> offsets,
                                                    ArrayRef<int64_t> sizes,
                                                    ArrayRef<int64_t> strides);

} // namespace mlir::dlcc

#endif // DLCC_DIALECT_DLCC_TRANSFORMS_SLICELAYOUT_H
