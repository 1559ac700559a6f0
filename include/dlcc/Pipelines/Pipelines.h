//===- Pipelines.h - the back-end pipeline shared by dlcc and dlcc-opt -*- C++ -*-===//
//
// dlcc compiles a model in one pass manager, in phases:
//
//   imported   the dlcc IR as the importer wrote it
//   mlir       + folds and CSE                      (dlcc-import-cleanup);
//                with `train`, the train_step entry point
//                (dlcc-build-train-step); every gradient expanded
//                (dlcc-expand-gradients)
//   kernels    + library calls selected on matmuls and convolutions, linalg,
//                fusion, one function per kernel
//   planned    + math expansion, kernel bufferization and tiling, the memory
//                plan
//   cpu-llvm   + the CPU kernels in a nested module, in the LLVM dialect
//   gpu-ptx    + the GPU kernels in one gpu.binary holding PTX per chip
//   artifact   (not IR: the shared object, cubins and the program file)
//
// `dlcc --compile-to=PHASE` prints the IR at a phase; `dlcc-opt
// --dlcc-backend-pipeline="from=A to=B ..."` runs the same passes on IR at
// phase A, so any failure of `dlcc` reproduces in dlcc-opt (the crash
// reproducer `dlcc` writes names this pipeline's passes).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_PIPELINES_PIPELINES_H
#define DLCC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
class TimingScope;
} // namespace mlir

namespace dlcc {

enum class CompilePhase {
  Imported,
  Mlir,
  Kernels,
  Planned,
  CpuLlvm,
  GpuPtx,
  Artifact,
};

/// The phase called `name` ("imported", ..., "artifact").
std::optional<CompilePhase> parseCompilePhase(llvm::StringRef name);
llvm::StringRef compilePhaseName(CompilePhase phase);

/// Options of the back-end pipeline (`dlcc-backend-pipeline` in dlcc-opt;
/// the `dlcc` driver fills them from its own options).
struct BackendPipelineOptions
    : public mlir::PassPipelineOptions<BackendPipelineOptions> {
  Option<std::string> from{
      *this, "from",
      llvm::cl::desc("phase of the input IR: imported, mlir, kernels or "
                     "planned"),
      llvm::cl::init("imported")};
  Option<std::string> to{
      *this, "to",
      llvm::cl::desc("last phase to run: mlir, kernels, planned, cpu-llvm or "
                     "gpu-ptx"),
      llvm::cl::init("gpu-ptx")};
  Option<bool> generatedGemm{
      *this, "generated-gemm",
      llvm::cl::desc("GEMMs as generated kernels, not library calls"),
      llvm::cl::init(false)};
  Option<bool> generatedConv{
      *this, "generated-conv",
      llvm::cl::desc("convolutions as generated kernels, not library calls"),
      llvm::cl::init(false)};
  Option<int64_t> threadsPerBlock{
      *this, "threads-per-block",
      llvm::cl::desc("largest number of threads per block"),
      llvm::cl::init(256)};
  Option<bool> cpu{*this, "cpu",
                   llvm::cl::desc("compile the kernels for the CPU"),
                   llvm::cl::init(true)};
  ListOption<std::string> gpuChips{
      *this, "gpu-chips",
      llvm::cl::desc("CUDA architectures (none: no GPU kernels)")};
  Option<std::string> cudaToolkit{
      *this, "cuda-toolkit", llvm::cl::desc("CUDA toolkit directory"),
      llvm::cl::init("/usr/local/cuda")};
  // The training program (phase mlir): dlcc-build-train-step's options.
  Option<bool> train{*this, "train",
                     llvm::cl::desc("add the train_step entry point"),
                     llvm::cl::init(false)};
  Option<std::string> loss{*this, "loss",
                           llvm::cl::desc("cross_entropy, mse or none"),
                           llvm::cl::init("cross_entropy")};
  Option<std::string> labels{*this, "labels",
                             llvm::cl::desc("the labels input's name"),
                             llvm::cl::init("labels")};
  Option<std::string> labelsKind{
      *this, "labels-kind",
      llvm::cl::desc("cross-entropy labels: indices or probabilities"),
      llvm::cl::init("indices")};
  Option<int64_t> classAxis{*this, "class-axis",
                            llvm::cl::desc("the logits' class dimension"),
                            llvm::cl::init(-1)};
  Option<int64_t> ignoreIndex{
      *this, "ignore-index",
      llvm::cl::desc("the class index that counts for nothing"),
      llvm::cl::init(-100)};
  Option<double> labelSmoothing{*this, "label-smoothing",
                                llvm::cl::desc("label smoothing epsilon"),
                                llvm::cl::init(0)};
  Option<std::string> freeze{
      *this, "freeze",
      llvm::cl::desc("regular expression of parameters not to train"),
      llvm::cl::init("")};
  Option<std::string> optimizer{
      *this, "optimizer",
      llvm::cl::desc("sgd, momentum, nesterov, adagrad, adam or adamw"),
      llvm::cl::init("sgd")};
  Option<double> momentum{*this, "momentum",
                          llvm::cl::desc("the momentum factor"),
                          llvm::cl::init(0.9)};
  ListOption<double> betas{*this, "betas",
                           llvm::cl::desc("Adam's decay rates")};
  Option<double> eps{*this, "eps", llvm::cl::desc("the optimizer's epsilon"),
                     llvm::cl::init(-1)};
  Option<double> weightDecay{*this, "weight-decay",
                             llvm::cl::desc("weight decay"),
                             llvm::cl::init(-1)};
  Option<std::string> noDecay{
      *this, "no-decay",
      llvm::cl::desc("regular expression of parameters without weight decay"),
      llvm::cl::init("")};
  Option<double> clipGradNorm{*this, "clip-grad-norm",
                              llvm::cl::desc("global gradient norm limit"),
                              llvm::cl::init(0)};
  Option<std::string> lrSchedule{
      *this, "lr-schedule",
      llvm::cl::desc("constant, warmup, linear, cosine or step"),
      llvm::cl::init("constant")};
  Option<int64_t> warmupSteps{*this, "warmup-steps",
                              llvm::cl::desc("linear warm-up steps"),
                              llvm::cl::init(0)};
  Option<int64_t> totalSteps{*this, "total-steps",
                             llvm::cl::desc("steps to the end of the decay"),
                             llvm::cl::init(0)};
  Option<int64_t> lrStepSize{*this, "lr-step-size",
                             llvm::cl::desc("step decay period"),
                             llvm::cl::init(1)};
  Option<double> lrGamma{*this, "lr-gamma",
                         llvm::cl::desc("step decay factor"),
                         llvm::cl::init(0.1)};
  Option<double> learningRate{*this, "lr",
                              llvm::cl::desc("the initial learning rate"),
                              llvm::cl::init(0.01)};
  Option<bool> gradientAccumulation{
      *this, "gradient-accumulation",
      llvm::cl::desc("also build the accumulate and apply entry points"),
      llvm::cl::init(false)};
};

/// Adds the passes that take IR at phase `from` to phase `to` (see the
/// header comment; `to` = artifact stops at gpu-ptx, the last IR phase).
/// Fails with a message on an unknown or backward phase range.
mlir::LogicalResult buildBackendPipeline(mlir::OpPassManager &pm,
                                         const BackendPipelineOptions &options,
                                         std::string *error = nullptr);

/// Clean-up after import: canonicalization (folds, identity removal) and CSE.
void buildImportCleanupPipeline(mlir::OpPassManager &pm);

/// Kernel formation: library calls selected and outlined
/// (`dlcc-select-library-calls`, unless `generated-gemm` / `generated-conv`),
/// index bounds of the inputs recorded (`dlcc-annotate-index-bounds`), dlcc
/// to linalg, elementwise fusion, one function per kernel
/// (`dlcc-form-dispatches`).
void buildKernelFormationPipeline(mlir::OpPassManager &pm,
                                  const BackendPipelineOptions &options);

/// The reference CPU lowering used by execution tests: dlcc to linalg, then
/// bufferization, loops and LLVM, with no kernel formation. Registered as
/// `dlcc-reference-cpu-lowering`; its output runs under mlir-runner. It is a
/// semantic oracle for the tests, not part of the product.
void buildReferenceCpuLoweringPipeline(mlir::OpPassManager &pm);

/// The pass manager every dlcc tool runs on a module: MLIR's pass-manager
/// command-line options applied (--mlir-print-ir-*, --mlir-timing through
/// `timing`, the crash reproducer, --mlir-pass-statistics); nullptr after
/// printing a message when those options are invalid.
std::unique_ptr<mlir::PassManager>
createPassManager(mlir::MLIRContext &context,
                  mlir::TimingScope *timing = nullptr);

/// Registers `dlcc-backend-pipeline`, `dlcc-import-cleanup` and
/// `dlcc-reference-cpu-lowering`.
void registerDlccPipelines();

} // namespace dlcc

#endif // DLCC_PIPELINES_PIPELINES_H
