//===- Pipelines.cpp - the pass pipelines shared by dlcc and dlcc-opt -----===//
#include "dlcc/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

void dlcc::buildImportCleanupPipeline(mlir::OpPassManager &pm) {
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
}

void dlcc::registerDlccPipelines() {
  mlir::PassPipelineRegistration<>(
      "dlcc-import-cleanup", "folds and CSE after ONNX import",
      [](mlir::OpPassManager &pm) { buildImportCleanupPipeline(pm); });
}
