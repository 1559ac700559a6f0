//===- ConvolutionHints.h - what lowering tells library selection -*- C++ -*-===//
//
// dlcc-convert-to-linalg writes a convolution's data gradient as two linalg
// ops: an elementwise generic spreading grad_output over zeros (marked
// kConvSpreadAttr) and a contraction with the flipped filter (marked
// kConvBackwardDataAttr with the forward convolution's geometry: `strides`,
// `pad_low`, `pad_high`, `dilations`, `groups`). dlcc-select-library-calls
// checks the two ops against that geometry and replaces them with one
// conv_backward_data library call. Discardable attributes: a pass that
// rewrites the ops drops them, and the generated kernels stay.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_CONVERSION_DLCCTOLINALG_CONVOLUTIONHINTS_H
#define DLCC_CONVERSION_DLCCTOLINALG_CONVOLUTIONHINTS_H

#include "llvm/ADT/StringRef.h"

namespace mlir::dlcc {

inline constexpr llvm::StringLiteral kConvSpreadAttr = "dlcc.conv_spread";
inline constexpr llvm::StringLiteral kConvBackwardDataAttr =
    "dlcc.conv_backward_data";

} // namespace mlir::dlcc

#endif // DLCC_CONVERSION_DLCCTOLINALG_CONVOLUTIONHINTS_H
