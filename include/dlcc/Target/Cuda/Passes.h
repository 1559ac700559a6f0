//===- Passes.h - CUDA code generation for dlcc kernels ---------*- C++ -*-===//
#ifndef DLCC_TARGET_CUDA_PASSES_H
#define DLCC_TARGET_CUDA_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <string>

namespace mlir::dlcc {
#define GEN_PASS_DECL
#include "dlcc/Target/Cuda/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlcc/Target/Cuda/Passes.h.inc"

/// Options of the `dlcc-cuda-codegen` pipeline (those of
/// `dlcc-map-kernels-to-gpu` plus the tiling width).
struct CudaCodegenOptions : public PassPipelineOptions<CudaCodegenOptions> {
  Option<int64_t> threadsPerBlock{
      *this, "threads-per-block",
      llvm::cl::desc("largest number of threads per block"),
      llvm::cl::init(256)};
  ListOption<std::string> chips{
      *this, "chips", llvm::cl::desc("GPU architectures (sm_80,sm_90)")};
  Option<std::string> features{*this, "features",
                               llvm::cl::desc("PTX features"),
                               llvm::cl::init("+ptx80")};
  Option<std::string> format{
      *this, "format",
      llvm::cl::desc("isa (PTX), bin (cubin), fatbin; gpu or nvvm stop early"),
      llvm::cl::init("isa")};
  Option<std::string> toolkit{*this, "toolkit",
                              llvm::cl::desc("CUDA toolkit path"),
                              llvm::cl::init("/usr/local/cuda")};
};

/// Kernel code generation for CUDA after `dlcc-form-kernels`:
/// dlcc-bufferize-kernels, dlcc-tile-kernels, dlcc-map-kernels-to-gpu.
void buildCudaCodegenPipeline(OpPassManager &pm,
                              const CudaCodegenOptions &options);

/// Registers the passes above and the `dlcc-cuda-codegen` pipeline.
void registerDlccCudaPassesAndPipelines();
} // namespace mlir::dlcc

#endif // DLCC_TARGET_CUDA_PASSES_H
