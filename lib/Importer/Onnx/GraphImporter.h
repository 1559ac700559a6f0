//===- GraphImporter.h - state of one ONNX graph import ---------*- C++ -*-===//
#ifndef DLCC_LIB_IMPORTER_ONNX_GRAPHIMPORTER_H
#define DLCC_LIB_IMPORTER_ONNX_GRAPHIMPORTER_H

#include "NodeImporter.h"
#include "dlcc/Importer/Onnx/ModelLoader.h"
#include "dlcc/Importer/Onnx/OnnxImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace dlcc::onnx_import {

/// Builds the entry-point function of one model: owns the ONNX-name → value
/// table, the program's state arguments and its new-state results.
class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext &context, const LoadedModel &model,
                const OnnxImportOptions &options);

  mlir::OwningOpRef<mlir::ModuleOp> run();

  /// A named tensor of the graph: an SSA value, a host constant, or both (a
  /// host constant materialised once).
  struct Entry {
    Value value;
    std::optional<HostTensor> host;
    /// Name of the state slot when the value is program state.
    std::string stateSlot;
  };
  Entry *lookup(llvm::StringRef name);
  void define(llvm::StringRef name, Entry entry);
  Value materialize(Entry &entry, mlir::Location loc);

  mlir::OpBuilder builder;
  mlir::Location fileLoc;
  const LoadedModel &model;

  /// The program's RNG state argument, created on first use.
  Value rngState(mlir::Location loc);
  int64_t nextRandomStream = 0;
  /// New values of state, returned as results tied to their slots.
  llvm::SmallVector<std::pair<Value, std::string>> stateUpdates;

private:
  LogicalResult checkSupport();
  LogicalResult declareInputs();
  LogicalResult declareConstantInput(const onnx::ValueInfoProto &input,
                                     Type elementType, const std::string &path);
  LogicalResult declareInitializers();
  LogicalResult importNodes();
  LogicalResult finishFunction();
  /// Every tensor of the imported function within
  /// limits::kMaxTensorBytes (dlcc/Target/Support/ProgramLimits.h): one
  /// error naming the ONNX node otherwise.
  LogicalResult checkTensorSizes();
  Value addStateArgument(llvm::StringRef slotName, mlir::dlcc::StateKind kind,
                         RankedTensorType type, mlir::ElementsAttr initial);

  mlir::MLIRContext &context;
  const OnnxImportOptions &options;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp function;
  mlir::Block *body = nullptr;
  HandlerTable handlers;
  llvm::StringMap<Entry> values;
  llvm::SmallVector<mlir::DictionaryAttr> argAttrs;
  Value rng;
  /// Declared bytes of the initializers read so far (against
  /// OnnxImportOptions::maxInitializerBytes).
  uint64_t initializerBytes = 0;
};

} // namespace dlcc::onnx_import

#endif // DLCC_LIB_IMPORTER_ONNX_GRAPHIMPORTER_H
