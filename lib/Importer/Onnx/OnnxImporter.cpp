//===- OnnxImporter.cpp - entry point of the ONNX importer ----------------===//
#include "dlcc/Importer/Onnx/OnnxImporter.h"
#include "GraphImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;

namespace dlcc {

void registerOnnxImporterDialects(DialectRegistry &registry) {
  registry.insert<mlir::dlcc::DlccDialect, func::FuncDialect>();
}

OwningOpRef<ModuleOp> importOnnxModel(MLIRContext &context, const std::string &path,
                                      const OnnxImportOptions &options) {
  context.loadDialect<mlir::dlcc::DlccDialect, func::FuncDialect>();
  onnx_import::LoadedModel model;
  std::string error;
  if (!onnx_import::loadModel(path, model, error)) {
    emitError(FileLineColLoc::get(&context, path, 0, 0)) << error;
    return {};
  }
  onnx_import::GraphImporter importer(context, model, options);
  return importer.run();
}

} // namespace dlcc
