//===- CpuConv.h - Convolution library calls on the CPU (oneDNN) -*- C++ -*-===//
//
// A conv_forward or conv_backward_data LibraryCall runs as a oneDNN
// convolution primitive, created
// once when the session is planned (never per step) in the layouts oneDNN
// prefers for the shapes, with reorders from and to the artifact's dense
// NCHW-like layouts; executed by the calling thread's GNU OpenMP team, the
// pool the generated kernels run on.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_CPUCONV_H
#define DLCC_RUNTIME_CPUCONV_H

#include "Backend.h"

#include <memory>
#include <string>

namespace dlcc::runtime {

class CpuConv {
public:
  ~CpuConv();
  CpuConv(const CpuConv &) = delete;
  CpuConv &operator=(const CpuConv &) = delete;

  /// The primitive for `c` (validated by the loader: the shapes agree with
  /// strides, pads, dilations and groups), or null with `why` (one phrase)
  /// for what oneDNN does not run here: element types other than f32
  /// (compile those with --generated-conv).
  static std::unique_ptr<CpuConv> create(const ConvParams &c, uint32_t threads,
                                         std::string &why);

  /// y = conv(x, w), or for backward data (x, w, y) = (dY, W, dX),
  /// dX = conv_backward_data(dY, W), on host buffers.
  dlcc_status_t run(void *x, void *w, void *y) const;

  struct Impl;

private:
  explicit CpuConv(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_CPUCONV_H
