//===- ConvolutionGeometry.h - Output extents and padding of convolutions -===//
//
// Dependency-free (no LLVM, no MLIR): shared by the compiler, which decides
// which convolutions become library calls, and by the runtime and its CUDA
// plugin, which validate and run them. One rule, one place.
//
// All arguments are assumed below 2^31 (the artifact validator checks it), so
// no product or sum overflows int64_t.
//
//===----------------------------------------------------------------------===//

#ifndef DLCC_TARGET_SUPPORT_CONVOLUTIONGEOMETRY_H
#define DLCC_TARGET_SUPPORT_CONVOLUTIONGEOMETRY_H

#include <cstdint>

namespace dlcc::geometry {

/// The output extent of one spatial dimension of a convolution: input
/// `input` padded by `padBegin` and `padEnd`, filter `filter` dilated by
/// `dilation`, stride `stride`; -1 when the dilated filter does not fit the
/// padded input.
inline int64_t convOutputExtent(int64_t input, int64_t filter, int64_t stride,
                                int64_t dilation, int64_t padBegin,
                                int64_t padEnd) {
  int64_t room = input + padBegin + padEnd - dilation * (filter - 1) - 1;
  return room < 0 ? -1 : room / stride + 1;
}

/// Whether padding both ends by `padBegin` (cuDNN's symmetric padding)
/// computes the convolution whose output extent is `output`: output element
/// o reads input positions o * stride - padBegin + j * dilation whatever the
/// end padding, and positions past the input read zeros either way, so the
/// two agree exactly when the symmetric padding gives the same extent.
inline bool symmetricPaddingExpresses(int64_t input, int64_t filter,
                                      int64_t stride, int64_t dilation,
                                      int64_t padBegin, int64_t output) {
  return convOutputExtent(input, filter, stride, dilation, padBegin,
                          padBegin) == output;
}

} // namespace dlcc::geometry

#endif // DLCC_TARGET_SUPPORT_CONVOLUTIONGEOMETRY_H
