//===- Passes.h - CUDA code generation for dlcc kernels ---------*- C++ -*-===//
#ifndef DLCC_TARGET_CUDA_PASSES_H
#define DLCC_TARGET_CUDA_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::dlcc {
/// The default name of the gpu.module (and, once serialised, the
/// gpu.binary) holding every kernel (dlcc-map-kernels-to-gpu's module-name).
inline constexpr llvm::StringLiteral kGpuKernelModuleName = "dlcc_kernels";

#define GEN_PASS_DECL
#include "dlcc/Target/Cuda/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlcc/Target/Cuda/Passes.h.inc"

} // namespace mlir::dlcc

#endif // DLCC_TARGET_CUDA_PASSES_H
