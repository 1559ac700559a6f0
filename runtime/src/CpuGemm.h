//===- CpuGemm.h - GEMM library calls on the CPU (oneDNN) -------*- C++ -*-===//
//
// A gemm LibraryCall runs as a oneDNN matmul primitive, created once when the
// session is planned (never per step) and executed on the process's shared
// GNU OpenMP team (ThreadPool.h): the same pool the generated kernels run
// on, so the two never fight over cores.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_CPUGEMM_H
#define DLCC_RUNTIME_CPUGEMM_H

#include "Backend.h"

#include <memory>
#include <string>

namespace dlcc::runtime {

class CpuGemm {
public:
  ~CpuGemm();
  CpuGemm(const CpuGemm &) = delete;
  CpuGemm &operator=(const CpuGemm &) = delete;

  /// The primitive for `g` (validated by the loader: every element reached
  /// lies within the operands) in `out`: DLCC_STATUS_OK;
  /// DLCC_STATUS_UNSUPPORTED with `why` (one phrase, no message set) for
  /// what oneDNN does not run here: element types other than f32 (oneDNN
  /// has no f64 GEMM; compile those with --generated-gemm), alpha != 1 or
  /// beta != 0; DLCC_STATUS_OUT_OF_MEMORY, with its message set, when
  /// memory ran out (std::bad_alloc, or oneDNN's dnnl_out_of_memory).
  static dlcc_status_t create(const GemmParams &g, uint32_t threads,
                              std::unique_ptr<CpuGemm> &out, std::string &why);

  /// Bytes of scratch memory run() needs (0: none).
  uint64_t scratchpadBytes() const;

  /// C = op(A) * op(B) on host buffers; `scratchpad` has at least
  /// scratchpadBytes() bytes (64-byte aligned), used during the call only.
  dlcc_status_t run(void *a, void *b, void *c, void *scratchpad) const;

  struct Impl;

private:
  explicit CpuGemm(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_CPUGEMM_H
