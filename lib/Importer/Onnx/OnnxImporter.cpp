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

std::vector<SupportedOnnxOp> supportedOnnxOps() {
  onnx_import::HandlerTable table;
  onnx_import::registerElementwiseHandlers(table);
  onnx_import::registerShapeHandlers(table);
  onnx_import::registerNeuralNetHandlers(table);
  onnx_import::registerReductionHandlers(table);
  onnx_import::registerTrainingHandlers(table);
  std::vector<SupportedOnnxOp> ops;
  table.forEach([&](StringRef domain, StringRef opType, ArrayRef<int64_t> versions) {
    ops.push_back({domain.str(), opType.str(), versions.vec()});
  });
  llvm::sort(ops, [](const SupportedOnnxOp &a, const SupportedOnnxOp &b) {
    return std::tie(a.domain, a.opType) < std::tie(b.domain, b.opType);
  });
  return ops;
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
