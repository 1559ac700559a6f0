//===- CpuGemm.h - GEMM library calls on the CPU (oneDNN) -------*- C++ -*-===//
//
// A LibraryCall of kind gemm runs as a oneDNN matmul primitive, created once
// when the session is created (never per step) and executed on the calling
// thread's OpenMP team, the same GNU OpenMP pool the generated kernels use.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_CPUGEMM_H
#define DLCC_RUNTIME_CPUGEMM_H

#include "dlcc-c/dlcc.h"
#include "dlcc/schema/train_bin_generated.h"

#include <memory>
#include <string>

namespace dlcc::runtime {

class CpuGemm {
public:
  ~CpuGemm();
  CpuGemm(const CpuGemm &) = delete;
  CpuGemm &operator=(const CpuGemm &) = delete;

  /// The primitive for `gemm` (already validated: extents within the
  /// operands). DLCC_STATUS_UNSUPPORTED for element types oneDNN does not
  /// multiply (f64, integers) or an alpha/beta other than 1/0; `where` names
  /// the command in messages.
  static dlcc_status_t create(const dlcc::schema::GemmDescriptor &gemm,
                              uint32_t threads, const std::string &where,
                              std::unique_ptr<CpuGemm> &out);

  /// C = op(A) * op(B) on host buffers.
  dlcc_status_t run(void *a, void *b, void *c) const;

  struct Impl;

private:
  explicit CpuGemm(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_CPUGEMM_H
