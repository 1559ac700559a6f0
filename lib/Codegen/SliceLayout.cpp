//===- SliceLayout.cpp - when a slice is a view of its source -------------===//
#include "dlcc/Codegen/SliceLayout.h"

#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/STLExtras.h"

namespace mlir::dlcc {

std::optional<int64_t> contiguousSliceElementOffset(ArrayRef<int64_t> shape,
                                                    ArrayRef<int64_t> offsets,
                                                    ArrayRef<int64_t> sizes,
                                                    ArrayRef<int64_t> strides) {
  if (offsets.size() != shape.size() || sizes.size() != shape.size() ||
      llvm::any_of(shape, ShapedType::isDynamic) ||
      llvm::any_of(offsets, ShapedType::isDynamic) ||
      llvm::any_of(sizes, ShapedType::isDynamic) ||
      llvm::any_of(strides, [](int64_t s) { return s != 1; }))
    return std::nullopt;
  size_t d = 0;
  while (d < shape.size() && sizes[d] == 1)
    ++d;
  for (size_t e = d + 1; e < shape.size(); ++e)
    if (offsets[e] != 0 || sizes[e] != shape[e])
      return std::nullopt;
  int64_t linear = 0;
  for (size_t e = 0; e < shape.size(); ++e)
    linear = linear * shape[e] + offsets[e];
  return linear;
}

} // namespace mlir::dlcc
