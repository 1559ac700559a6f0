//===- Pipelines.cpp - the back-end pipeline shared by dlcc and dlcc-opt --===//
#include "dlcc/Pipelines/Pipelines.h"

#include "dlcc/Codegen/Passes.h"
#include "dlcc/Conversion/Passes.h"
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h"
#include "dlcc/Program/Passes.h"
#include "dlcc/Training/Passes.h"
#include "dlcc/Target/Cpu/Passes.h"
#include "dlcc/Target/Cuda/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/Timing.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/raw_ostream.h"

namespace dlcc {

std::optional<CompilePhase> parseCompilePhase(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<CompilePhase>>(name)
      .Case("imported", CompilePhase::Imported)
      .Case("mlir", CompilePhase::Mlir)
      .Case("kernels", CompilePhase::Kernels)
      .Case("planned", CompilePhase::Planned)
      .Case("cpu-llvm", CompilePhase::CpuLlvm)
      .Case("gpu-ptx", CompilePhase::GpuPtx)
      .Case("artifact", CompilePhase::Artifact)
      .Default(std::nullopt);
}

llvm::StringRef compilePhaseName(CompilePhase phase) {
  switch (phase) {
  case CompilePhase::Imported:
    return "imported";
  case CompilePhase::Mlir:
    return "mlir";
  case CompilePhase::Kernels:
    return "kernels";
  case CompilePhase::Planned:
    return "planned";
  case CompilePhase::CpuLlvm:
    return "cpu-llvm";
  case CompilePhase::GpuPtx:
    return "gpu-ptx";
  case CompilePhase::Artifact:
    return "artifact";
  }
  return "";
}

void buildImportCleanupPipeline(mlir::OpPassManager &pm) {
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
}

void buildKernelFormationPipeline(mlir::OpPassManager &pm,
                                  const BackendPipelineOptions &options) {
  mlir::dlcc::SelectLibraryCallsPassOptions select;
  select.generatedGemm = options.generatedGemm;
  select.generatedConv = options.generatedConv;
  pm.addPass(mlir::dlcc::createSelectLibraryCallsPass(select));
  pm.addPass(mlir::dlcc::createAnnotateIndexBoundsPass());
  pm.addPass(mlir::dlcc::createConvertDlccToLinalgPass());
  pm.addPass(mlir::dlcc::createFuseElementwisePass());
  pm.addPass(mlir::dlcc::createFormDispatchesPass());
}

namespace {

/// Math expansion, kernel bufferization and tiling, the memory plan, one
/// copy of each kernel.
void buildPlanningPipeline(mlir::OpPassManager &pm,
                           const BackendPipelineOptions &options) {
  pm.addPass(mlir::dlcc::createExpandMathPass());
  pm.addPass(mlir::dlcc::createBufferizeKernelsPass());
  mlir::dlcc::TileKernelsPassOptions tile;
  tile.threadsPerBlock = options.threadsPerBlock;
  pm.addPass(mlir::dlcc::createTileKernelsPass(tile));
  pm.addPass(mlir::dlcc::createPlanMemoryPass());
  pm.addPass(mlir::dlcc::createDeduplicateKernelsPass());
}

/// The chips of `gpu-chips` ("none" and an empty list: no GPU kernels).
std::vector<std::string> gpuChipsOf(const BackendPipelineOptions &options) {
  std::vector<std::string> chips;
  for (const std::string &chip : options.gpuChips)
    if (chip != "none")
      chips.push_back(chip);
  return chips;
}

} // namespace

mlir::LogicalResult buildBackendPipeline(mlir::OpPassManager &pm,
                                         const BackendPipelineOptions &options,
                                         std::string *error) {
  auto fail = [&](const llvm::Twine &message) {
    if (error)
      *error = message.str();
    return mlir::failure();
  };
  std::optional<CompilePhase> from = parseCompilePhase(options.from);
  std::optional<CompilePhase> to = parseCompilePhase(options.to);
  if (!from || *from > CompilePhase::Planned)
    return fail("from= must be imported, mlir, kernels or planned, not '" +
                options.from + "'");
  if (!to)
    return fail("to= must be a phase (mlir, kernels, planned, cpu-llvm, "
                "gpu-ptx, artifact), not '" +
                options.to + "'");
  if (*to < *from)
    return fail("to=" + options.to + " comes before from=" + options.from);
  // Whether the passes of phase `p` run: those after `from`, up to `to`.
  auto runs = [&](CompilePhase p) { return *from < p && p <= *to; };
  if (runs(CompilePhase::Mlir)) {
    buildImportCleanupPipeline(pm);
    if (options.train) {
      mlir::dlcc::BuildTrainStepPassOptions step;
      step.loss = options.loss;
      step.labelsName = options.labels;
      step.labelsKind = options.labelsKind;
      step.classAxis = options.classAxis;
      step.ignoreIndex = options.ignoreIndex;
      step.freeze = options.freeze;
      step.labelSmoothing = options.labelSmoothing;
      step.optimizer = options.optimizer;
      step.learningRate = options.learningRate;
      step.momentum = options.momentum;
      step.betas.assign(options.betas.begin(), options.betas.end());
      step.eps = options.eps;
      step.weightDecay = options.weightDecay;
      step.noDecay = options.noDecay;
      step.clipGradNorm = options.clipGradNorm;
      step.schedule = options.lrSchedule;
      step.warmupSteps = options.warmupSteps;
      step.totalSteps = options.totalSteps;
      step.stepSize = options.lrStepSize;
      step.gamma = options.lrGamma;
      step.gradientAccumulation = options.gradientAccumulation;
      pm.addPass(mlir::dlcc::createBuildTrainStepPass(step));
    }
    // Also ONNX's Gradient ops of an inference program.
    pm.addPass(mlir::dlcc::createExpandGradientsPass());
    if (options.train)
      buildImportCleanupPipeline(pm);
  }
  if (runs(CompilePhase::Kernels))
    buildKernelFormationPipeline(pm, options);
  if (runs(CompilePhase::Planned))
    buildPlanningPipeline(pm, options);
  if (runs(CompilePhase::CpuLlvm) && options.cpu) {
    pm.addPass(mlir::dlcc::createOutlineCpuKernelsPass());
    mlir::dlcc::buildCpuKernelLowering(pm.nest<mlir::ModuleOp>());
  }
  std::vector<std::string> chips = gpuChipsOf(options);
  if (runs(CompilePhase::GpuPtx) && !chips.empty()) {
    mlir::dlcc::MapKernelsToGpuPassOptions map;
    map.chips.assign(chips.begin(), chips.end());
    map.format = "isa";
    map.toolkit = options.cudaToolkit;
    pm.addPass(mlir::dlcc::createMapKernelsToGpuPass(map));
  }
  return mlir::success();
}

void buildReferenceCpuLoweringPipeline(mlir::OpPassManager &pm) {
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

std::unique_ptr<mlir::PassManager>
createPassManager(mlir::MLIRContext &context,
                  mlir::TimingScope *timing) {
  auto pm = std::make_unique<mlir::PassManager>(
      &context, mlir::ModuleOp::getOperationName());
  if (mlir::failed(mlir::applyPassManagerCLOptions(*pm)))
    return nullptr;
  if (timing)
    pm->enableTiming(*timing);
  return pm;
}

void registerDlccPipelines() {
  mlir::registerPassPipeline(
      "dlcc-backend-pipeline",
      "the passes `dlcc` runs, from one phase to another (from=imported|mlir|"
      "kernels|planned, to=mlir|kernels|planned|cpu-llvm|gpu-ptx)",
      [](mlir::OpPassManager &pm, llvm::StringRef text,
         llvm::function_ref<mlir::LogicalResult(const llvm::Twine &)>
             errorHandler) {
        BackendPipelineOptions options;
        if (mlir::failed(options.parseFromString(text)))
          return mlir::failure();
        std::string error;
        if (mlir::failed(buildBackendPipeline(pm, options, &error)))
          return errorHandler("dlcc-backend-pipeline: " + error);
        return mlir::success();
      },
      [](llvm::function_ref<void(const mlir::detail::PassOptions &)> print) {
        print(BackendPipelineOptions());
      });
  mlir::PassPipelineRegistration<>(
      "dlcc-reference-cpu-lowering",
      "dlcc to LLVM through linalg loops (reference execution for tests)",
      [](mlir::OpPassManager &pm) { buildReferenceCpuLoweringPipeline(pm); });
  mlir::PassPipelineRegistration<>(
      "dlcc-import-cleanup", "folds and CSE after ONNX import",
      [](mlir::OpPassManager &pm) { buildImportCleanupPipeline(pm); });
}

} // namespace dlcc
