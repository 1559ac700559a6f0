//===- Pipelines.cpp - the pass pipelines shared by dlcc and dlcc-opt -----===//
#include "dlcc/Pipelines/Pipelines.h"

#include "dlcc/Conversion/Passes.h"
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

void dlcc::buildImportCleanupPipeline(mlir::OpPassManager &pm) {
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
}

void dlcc::buildKernelFormationPipeline(mlir::OpPassManager &pm) {
  pm.addPass(mlir::dlcc::createAnnotateIndexBoundsPass());
  pm.addPass(mlir::dlcc::createConvertDlccToLinalgPass());
  pm.addPass(mlir::dlcc::createFuseElementwisePass());
  pm.addPass(mlir::dlcc::createFormDispatchesPass());
}

void dlcc::buildReferenceCpuLoweringPipeline(mlir::OpPassManager &pm) {
  using namespace mlir;
  pm.addPass(mlir::dlcc::createConvertDlccToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createConvertLinalgToLoopsPass());
  // Integer powers (math.ipowi) become small functions; no libm has them.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void dlcc::registerDlccPipelines() {
  mlir::PassPipelineRegistration<>(
      "dlcc-form-kernels",
      "dlcc to linalg, elementwise fusion and one function per kernel",
      [](mlir::OpPassManager &pm) { buildKernelFormationPipeline(pm); });
  mlir::PassPipelineRegistration<>(
      "dlcc-reference-cpu-lowering",
      "dlcc to LLVM through linalg loops (reference execution for tests)",
      [](mlir::OpPassManager &pm) { buildReferenceCpuLoweringPipeline(pm); });
  mlir::PassPipelineRegistration<>(
      "dlcc-import-cleanup", "folds and CSE after ONNX import",
      [](mlir::OpPassManager &pm) { buildImportCleanupPipeline(pm); });
}
