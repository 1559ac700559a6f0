//===- dlcc-opt.cpp - the dlcc dialect plus the upstream passes we use ----===//
//
// Any failure of the `dlcc` driver reproduces here: it registers the same
// dialects, passes and pipelines (`dlcc-backend-pipeline` runs exactly the
// passes of `dlcc`), plus upstream MLIR's for the lowering stages.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Conversion/Passes.h"
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"
#include "dlcc/Codegen/Passes.h"
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h"
#include "dlcc/Program/Passes.h"
#include "dlcc/Pipelines/Pipelines.h"
#include "dlcc/Target/Cpu/Passes.h"
#include "dlcc/Target/Cuda/Passes.h"
#include "dlcc/Training/Passes.h"
#include "dlcc/Training/VJP.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::dlcc::DlccDialect>();
  mlir::dlcc::registerVJPExternalModels(registry);
  mlir::registerAllPasses();
  mlir::dlcc::registerDlccConversionPasses();
  mlir::dlcc::registerDlccTransformsPasses();
  mlir::dlcc::registerDlccCodegenPasses();
  mlir::dlcc::registerDlccProgramPasses();
  mlir::dlcc::registerDlccTrainingPasses();
  mlir::dlcc::registerDlccCudaPasses();
  mlir::dlcc::registerDlccCpuPasses();
  dlcc::registerDlccPipelines();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "dlcc optimizer driver\n", registry));
}
