//===- Passes.h - dlcc dialect transformation passes ------------*- C++ -*-===//
#ifndef DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_H
#define DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <cstdint>

namespace mlir::dlcc {
#define GEN_PASS_DECL
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h.inc"

/// Totals over the kernel functions (`dlcc.kernel`) of a module after
/// `dlcc-form-dispatches`, for reports such as `dlcc --report`.
struct KernelSummary {
  int64_t kernelCount = 0;
  /// Sum of the kernels' `dlcc.kernel_flops`.
  int64_t totalFlops = 0;
  /// Sum of the kernels' `dlcc.kernel_bytes`.
  int64_t totalBytes = 0;
};

/// Counts the kernel functions of `module` and adds up their estimates.
KernelSummary summarizeKernels(ModuleOp module);
} // namespace mlir::dlcc

#endif // DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_H
