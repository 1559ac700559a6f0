//===- CpuConv.h - Convolution library calls on the CPU (oneDNN) -*- C++ -*-===//
//
// A conv_forward, conv_backward_data or conv_backward_filter LibraryCall
// runs as a oneDNN convolution primitive, created
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

  /// Runs the call on host buffers in the artifact's operand order, the
  /// last one written: (X, W, Y), (dY, W, dX) or (X, dY, dW).
  dlcc_status_t run(void *first, void *second, void *result) const;

  struct Impl;

private:
  explicit CpuConv(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_CPUCONV_H
