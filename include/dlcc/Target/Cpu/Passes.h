//===- Passes.h - CPU code generation for dlcc kernels ----------*- C++ -*-===//
#ifndef DLCC_TARGET_CPU_PASSES_H
#define DLCC_TARGET_CPU_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::dlcc {
/// The name of the nested module that dlcc-outline-cpu-kernels creates.
inline constexpr llvm::StringLiteral kCpuKernelModuleName = "dlcc_cpu_kernels";

#define GEN_PASS_DECL
#include "dlcc/Target/Cpu/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlcc/Target/Cpu/Passes.h.inc"

/// The CPU half of the back end, nested on the module that
/// dlcc-outline-cpu-kernels creates: dlcc-map-kernels-to-cpu, then
/// affine/SCF/math/memref/arith/func to the LLVM dialect with bare pointers.
void buildCpuKernelLowering(OpPassManager &pm);
} // namespace mlir::dlcc

#endif // DLCC_TARGET_CPU_PASSES_H
