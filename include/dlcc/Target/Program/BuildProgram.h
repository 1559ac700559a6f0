//===- BuildProgram.h - compiled module to a train.bin program --*- C++ -*-===//
//
// The back end of `dlcc -o model.bin`: takes the module after kernel
// formation (one function per kernel, entry points calling them), runs kernel
// bufferization, tiling and the memory plan, compiles the kernels for the CPU
// (one shared object) and for CUDA (one cubin per architecture plus PTX), and
// fills an ArtifactBuilder with the state slots, kernels, images and each
// entry point's command stream.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_TARGET_PROGRAM_BUILDPROGRAM_H
#define DLCC_TARGET_PROGRAM_BUILDPROGRAM_H

#include "dlcc/Target/Artifact/ArtifactWriter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dlcc {

struct ProgramOptions {
  /// CUDA architectures to compile cubins for; empty: no CUDA images.
  std::vector<std::string> gpuChips = {"sm_80", "sm_90"};
  /// Also embed PTX (of the first chip) as the forward-compatible fallback.
  bool embedPtx = true;
  std::string cudaToolkit = "/usr/local/cuda";
  /// Directory of the cubin cache (keyed by a hash of PTX, chip and ptxas
  /// command line); empty: no cache.
  std::string cubinCacheDir;
  /// Compile the CPU shared object.
  bool cpuKernels = true;
  /// x86-64 micro-architecture level the CPU kernels may use ("x86-64",
  /// "x86-64-v2", "x86-64-v3", "x86-64-v4"); recorded in the artifact.
  std::string cpuBaseline = "x86-64-v3";
  /// Linker for the CPU shared object (empty: ld.lld next to LLVM, else cc).
  std::string linker;
  int64_t threadsPerBlock = 256;
  /// Run every GEMM as a generated kernel instead of a library call.
  bool generatedGemm = false;
  /// Run every convolution as a generated kernel instead of a library call.
  bool generatedConv = false;
  std::string producer = "dlcc 0.1";
};

/// Per-kernel facts for `dlcc --report`.
struct KernelReport {
  std::string name;
  std::string schedule;
  int64_t grid = 0, block = 0;
  int64_t flops = 0, bytes = 0;
  /// ptxas registers per chip, in ProgramOptions::gpuChips order.
  std::vector<uint32_t> registers;
};

struct ProgramReport {
  std::vector<KernelReport> kernels;
  uint64_t arenaBytes = 0;     // planned peak of the entry points' scratch
  uint64_t unplannedBytes = 0; // the sum of all scratch buffers
  uint64_t stateBytes = 0;     // state slots (and, once compiled, tensor constants)
  uint64_t launches = 0;
  uint64_t libraryCalls = 0;
  uint64_t copies = 0;
};

/// Registers what code generation needs in `registry` (every dialect and
/// its bufferization / LLVM-translation extensions) and the passes that the
/// lowering pipelines name (upstream's and dlcc's). Call before creating the
/// context.
void registerProgramBuildDependencies(mlir::DialectRegistry &registry);

/// Plans the module (after `dlcc-form-kernels`) in place: kernel
/// bufferization, tiling and `dlcc-plan-memory`. Diagnostics go to the
/// module's context.
mlir::LogicalResult planProgram(mlir::ModuleOp module,
                                const ProgramOptions &options);

/// Compiles a planned module into `builder` (state, kernels, images, entry
/// points); `report` may be null.
mlir::LogicalResult buildProgram(mlir::ModuleOp module,
                                 const ProgramOptions &options,
                                 artifact::ArtifactBuilder &builder,
                                 ProgramReport *report);

/// The report alone (no code generation) of a planned module.
ProgramReport reportPlannedProgram(mlir::ModuleOp module);

} // namespace dlcc

#endif // DLCC_TARGET_PROGRAM_BUILDPROGRAM_H
