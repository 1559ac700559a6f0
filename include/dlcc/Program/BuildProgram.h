//===- BuildProgram.h - compiled module to a train.bin program --*- C++ -*-===//
//
// The end of `dlcc -o model.bin`: takes the module after the back-end
// pipeline (dlcc/Pipelines/Pipelines.h, phase gpu-ptx: entry points calling
// planned kernels, the CPU kernels in a nested LLVM-dialect module, the GPU
// kernels as PTX in a gpu.binary), links the CPU shared object, assembles the
// cubins with ptxas, and fills an ArtifactBuilder with the state slots,
// kernels, images and each entry point's command stream.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_PROGRAM_BUILDPROGRAM_H
#define DLCC_PROGRAM_BUILDPROGRAM_H

#include "dlcc/Target/Artifact/ArtifactWriter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlcc {

/// What turns the pipeline's output into an artifact (the passes' own
/// options are BackendPipelineOptions).
struct ProgramOptions {
  /// CUDA architectures the pipeline compiled PTX for, in its order (the
  /// report's register columns follow it).
  std::vector<std::string> gpuChips = {"sm_80", "sm_90"};
  /// Also embed PTX (of the first chip) as the forward-compatible fallback.
  bool embedPtx = true;
  std::string cudaToolkit = "/usr/local/cuda";
  /// Directory of the cubin cache (keyed by a hash of PTX, chip and ptxas
  /// command line); empty: no cache.
  std::string cubinCacheDir;
  /// x86-64 micro-architecture level the CPU kernels may use ("x86-64",
  /// "x86-64-v2", "x86-64-v3", "x86-64-v4"); recorded in the artifact.
  std::string cpuBaseline = "x86-64-v3";
  /// Linker for the CPU shared object (empty: ld.lld next to LLVM, else cc).
  std::string linker;
  std::string producer = "dlcc 0.1";
  /// The most bytes of initial values and constants to store in the
  /// artifact (the compiler holds them in memory while writing it).
  uint64_t maxConstantBytes = UINT64_MAX;
};

/// Per-kernel facts for `dlcc --report`.
struct KernelReport {
  std::string name;
  std::string schedule;
  int64_t grid = 0, block = 0;
  int64_t flops = 0, bytes = 0;
  /// Calls from all entry points (one function may serve several calls:
  /// dlcc-deduplicate-kernels).
  int64_t calls = 0;
  /// ptxas registers per chip, in ProgramOptions::gpuChips order.
  std::vector<uint32_t> registers;
};

/// Per-entry-point facts for `dlcc --report`.
struct EntryPointReport {
  std::string name;
  uint64_t arenaBytes = 0; // the entry point's planned scratch peak
  uint64_t launches = 0, libraryCalls = 0;
  // With a backward pass: the bytes live at the peak computed before it
  // (activations kept for it) and by it (gradients, temporaries).
  std::optional<uint64_t> peakForwardBytes, peakBackwardBytes;
};

/// Per-state-slot facts for `dlcc --report`.
struct StateSlotReport {
  std::string name;
  std::string kind; // parameter, batch_norm_statistic, optimizer, rng
  std::vector<int64_t> shape;
  uint64_t bytes = 0;
  bool trained = false; // a parameter train_step updates
};

struct ProgramReport {
  std::vector<KernelReport> kernels;
  std::vector<EntryPointReport> entryPoints;
  std::vector<StateSlotReport> stateSlots;
  uint64_t arenaBytes = 0;     // planned peak of the entry points' scratch
  uint64_t unplannedBytes = 0; // the sum of all scratch buffers
  uint64_t stateBytes = 0;     // state slots (and, once compiled, tensor constants)
  uint64_t storedBytes = 0;    // initial values stored in the artifact (not zeros)
  uint64_t launches = 0;
  uint64_t libraryCalls = 0;
  uint64_t copies = 0;
};

/// Registers what code generation needs in `registry` (every dialect and
/// its bufferization / LLVM-translation extensions) and the passes that the
/// lowering pipelines name (upstream's and dlcc's). Call before creating the
/// context.
void registerProgramBuildDependencies(mlir::DialectRegistry &registry);

/// Compiles a module at phase gpu-ptx (or cpu-llvm, without GPU kernels)
/// into `builder` (state, kernels, images, entry points); `report` may be
/// null.
mlir::LogicalResult buildProgram(mlir::ModuleOp module,
                                 const ProgramOptions &options,
                                 artifact::ArtifactBuilder &builder,
                                 ProgramReport *report);

/// The report alone (no code generation) of a module at phase planned or
/// later.
ProgramReport reportPlannedProgram(mlir::ModuleOp module);

} // namespace dlcc

#endif // DLCC_PROGRAM_BUILDPROGRAM_H
