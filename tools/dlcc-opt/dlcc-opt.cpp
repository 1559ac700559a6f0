//===- dlcc-opt.cpp - the dlcc dialect plus the upstream passes we use ----===//
//
// Any failure of the `dlcc` driver reproduces here: it registers the same
// dialects and passes.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"
#include "dlcc/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::dlcc::DlccDialect, mlir::func::FuncDialect>();
  mlir::registerTransformsPasses();
  dlcc::registerDlccPipelines();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "dlcc optimizer driver\n", registry));
}
