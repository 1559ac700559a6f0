//===- CpuGemm.h - GEMM library calls on the CPU (oneDNN) -------*- C++ -*-===//
//
// A gemm LibraryCall runs as a oneDNN matmul primitive, created once when the
// session is planned (never per step) and executed by the calling thread's
// GNU OpenMP team: the same pool the generated kernels run on, so the two
// never fight over cores.
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
  /// lies within the operands), or null with `why` (one phrase) for what
  /// oneDNN does not run here: element types other than f32 (oneDNN has no
  /// f64 GEMM; compile those with --generated-gemm), alpha != 1 or beta != 0.
  static std::unique_ptr<CpuGemm> create(const GemmParams &g, uint32_t threads,
                                         std::string &why);

  /// C = op(A) * op(B) on host buffers.
  dlcc_status_t run(void *a, void *b, void *c) const;

  struct Impl;

private:
  explicit CpuGemm(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_CPUGEMM_H
