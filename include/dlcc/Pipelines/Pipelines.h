//===- Pipelines.h - the pass pipelines shared by dlcc and dlcc-opt -*- C++ -*-===//
#ifndef DLCC_PIPELINES_PIPELINES_H
#define DLCC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace dlcc {

/// Clean-up after import: canonicalization (folds, identity removal) and CSE.
/// Registered as `dlcc-import-cleanup`; `dlcc --emit=mlir` runs exactly this,
/// so any `dlcc` failure reproduces with `dlcc-opt --dlcc-import-cleanup`.
void buildImportCleanupPipeline(mlir::OpPassManager &pm);

/// Kernel formation: index bounds of the inputs recorded
/// (`dlcc-annotate-index-bounds`), dlcc to linalg, elementwise fusion, one function per
/// kernel (`dlcc-form-dispatches`). Registered as `dlcc-form-kernels`; this is
/// what `dlcc --emit=kernels` and `dlcc --report` run after the clean-up.
void buildKernelFormationPipeline(mlir::OpPassManager &pm);

/// The reference CPU lowering used by execution tests: dlcc to linalg, then
/// bufferization, loops and LLVM, with no kernel formation. Registered as
/// `dlcc-reference-cpu-lowering`; its output runs under mlir-runner.
void buildReferenceCpuLoweringPipeline(mlir::OpPassManager &pm);

/// Registers the pipelines above with the global pass registry.
void registerDlccPipelines();

} // namespace dlcc

#endif // DLCC_PIPELINES_PIPELINES_H
