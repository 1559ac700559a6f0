//===- ShapeHelpers.h - host-side helpers of the shape handlers -*- C++ -*-===//
//
// Shared by ShapeOps.cpp (which defines them) and IndexingOps.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_LIB_IMPORTER_ONNX_SHAPEHELPERS_H
#define DLCC_LIB_IMPORTER_ONNX_SHAPEHELPERS_H

#include "NodeImporter.h"

namespace dlcc::onnx_import {

namespace shape_detail {
std::optional<int64_t> checkedProduct(llvm::ArrayRef<int64_t> shape);
bool fitsOnHost(llvm::ArrayRef<int64_t> shape);
llvm::SmallVector<int64_t> rowMajorStrides(llvm::ArrayRef<int64_t> shape);
void copyElement(HostTensor &dst, int64_t di, const HostTensor &src, int64_t si);
HostTensor hostRemap(const HostTensor &src, llvm::ArrayRef<int64_t> outShape,
                     llvm::function_ref<int64_t(llvm::ArrayRef<int64_t>)> srcIndex);
} // namespace shape_detail

} // namespace dlcc::onnx_import

#endif // DLCC_LIB_IMPORTER_ONNX_SHAPEHELPERS_H
