//===- ConvolutionHints.h - what lowering tells library selection -*- C++ -*-===//
//
// dlcc-convert-to-linalg writes a convolution's data gradient as two linalg
// ops: an elementwise generic spreading grad_output over zeros (marked
// kConvSpreadAttr) and a contraction with the flipped filter (marked
// kConvBackwardDataAttr with the forward convolution's geometry: `strides`,
// `pad_low`, `pad_high`, `dilations`, `groups`). dlcc-select-library-calls
// checks the contraction's maps (the builders below, shared with the
// lowering) against that geometry and replaces them with one
// conv_backward_data library call. The filter gradient is one contraction
// (after the zero padding, a kernel of its own), marked
// kConvBackwardFilterAttr the same way. Discardable attributes: a pass that
// rewrites the ops drops them, and the generated kernels stay.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_CONVERSION_DLCCTOLINALG_CONVOLUTIONHINTS_H
#define DLCC_CONVERSION_DLCCTOLINALG_CONVOLUTIONHINTS_H

#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"

#include "mlir/IR/AffineMap.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::dlcc {

/// The indexing maps (t, w, dx) of the data gradient's contraction over
/// loops [N, G, C/G, D..., O/G, K...] (t the spread dy [N, G, O/G, L...], w
/// [G, O/G, C/G, K...]): dx[n,g,c,d] += t[n,g,o, d + (K-1)*dil - k*dil] *
/// w[g,o,c,k]; `kernel` holds the filter's spatial sizes K.
inline llvm::SmallVector<AffineMap>
backwardDataMaps(MLIRContext *ctx, llvm::ArrayRef<int64_t> kernel,
                 llvm::ArrayRef<int64_t> dilations) {
  int64_t s = int64_t(kernel.size()), loops = 4 + 2 * s;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  llvm::SmallVector<AffineExpr> te{d(0), d(1), d(3 + s)},
      we{d(1), d(3 + s), d(2)}, xe{d(0), d(1), d(2)};
  for (int64_t i = 0; i < s; ++i) {
    te.push_back(d(3 + i) + (kernel[i] - 1) * dilations[i] -
                 d(4 + s + i) * dilations[i]);
    we.push_back(d(4 + s + i));
    xe.push_back(d(3 + i));
  }
  return {AffineMap::get(loops, 0, te, ctx), AffineMap::get(loops, 0, we, ctx),
          AffineMap::get(loops, 0, xe, ctx)};
}

/// The indexing maps (x, dy, dw) of the filter gradient's contraction over
/// loops [G, O/G, C/G, K..., N, E...]: dw[g,o,c,k] +=
/// x[n,g,c, e*stride + k*dilation] * dy[n,g,o,e].
inline llvm::SmallVector<AffineMap>
backwardFilterMaps(MLIRContext *ctx, llvm::ArrayRef<int64_t> strides,
                   llvm::ArrayRef<int64_t> dilations) {
  int64_t s = int64_t(strides.size()), loops = 4 + 2 * s;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  llvm::SmallVector<AffineExpr> xe{d(3 + s), d(0), d(2)},
      dye{d(3 + s), d(0), d(1)}, we{d(0), d(1), d(2)};
  for (int64_t i = 0; i < s; ++i) {
    xe.push_back(d(4 + s + i) * strides[i] + d(3 + i) * dilations[i]);
    dye.push_back(d(4 + s + i));
    we.push_back(d(3 + i));
  }
  return {AffineMap::get(loops, 0, xe, ctx), AffineMap::get(loops, 0, dye, ctx),
          AffineMap::get(loops, 0, we, ctx)};
}

} // namespace mlir::dlcc

#endif // DLCC_CONVERSION_DLCCTOLINALG_CONVOLUTIONHINTS_H
