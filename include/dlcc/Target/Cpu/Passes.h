//===- Passes.h - CPU code generation for dlcc kernels ----------*- C++ -*-===//
#ifndef DLCC_TARGET_CPU_PASSES_H
#define DLCC_TARGET_CPU_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::dlcc {
#define GEN_PASS_DECL
#include "dlcc/Target/Cpu/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlcc/Target/Cpu/Passes.h.inc"

/// Options of the `dlcc-cpu-codegen` pipeline.
struct CpuCodegenOptions : public PassPipelineOptions<CpuCodegenOptions> {
  Option<int64_t> threadsPerBlock{
      *this, "threads-per-block",
      llvm::cl::desc("largest number of threads per block"),
      llvm::cl::init(256)};
};

/// Kernel code generation for the CPU after `dlcc-form-kernels`:
/// dlcc-bufferize-kernels, dlcc-tile-kernels, dlcc-map-kernels-to-cpu, then
/// the lowering to the LLVM dialect (bare-pointer calling convention).
void buildCpuCodegenPipeline(OpPassManager &pm,
                             const CpuCodegenOptions &options);

/// The lowering part of the pipeline above (after dlcc-map-kernels-to-cpu):
/// affine/SCF/math/memref/arith/func to the LLVM dialect, bare pointers.
void buildCpuLoweringToLlvm(OpPassManager &pm);

/// Registers the pass above and the `dlcc-cpu-codegen` pipeline.
void registerDlccCpuPassesAndPipelines();
} // namespace mlir::dlcc

#endif // DLCC_TARGET_CPU_PASSES_H
