//===- CpuConv.h - Convolution library calls on the CPU (oneDNN) -*- C++ -*-===//
//
// A conv_forward, conv_backward_data or conv_backward_filter LibraryCall
// runs as a oneDNN convolution primitive, created
// once when the session is planned (never per step) in the layouts oneDNN
// prefers for the shapes, with reorders from and to the artifact's dense
// NCHW-like layouts; executed on the process's shared GNU OpenMP team
// (ThreadPool.h), the pool the generated kernels run on.
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
  /// strides, pads, dilations and groups) in `out`: DLCC_STATUS_OK;
  /// DLCC_STATUS_UNSUPPORTED with `why` (one phrase, no message set) for
  /// what oneDNN does not run here: element types other than f32 (compile
  /// those with --generated-conv); DLCC_STATUS_OUT_OF_MEMORY, with its
  /// message set, when memory ran out (std::bad_alloc, or oneDNN's
  /// dnnl_out_of_memory, e.g. for the reorder buffers).
  static dlcc_status_t create(const ConvParams &c, uint32_t threads,
                              std::unique_ptr<CpuConv> &out, std::string &why);

  /// Bytes of scratch memory run() needs (0: none).
  uint64_t scratchpadBytes() const;

  /// Runs the call on host buffers in the artifact's operand order, the
  /// last one written: (X, W, Y), (dY, W, dX) or (X, dY, dW). `scratchpad`
  /// has at least scratchpadBytes() bytes (64-byte aligned), used during
  /// the call only.
  dlcc_status_t run(void *first, void *second, void *result,
                    void *scratchpad) const;

  struct Impl;

private:
  explicit CpuConv(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_CPUCONV_H
