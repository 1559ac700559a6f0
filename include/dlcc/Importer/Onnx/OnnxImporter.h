//===- OnnxImporter.h - ONNX model to dlcc IR -------------------*- C++ -*-===//
#ifndef DLCC_IMPORTER_ONNX_ONNXIMPORTER_H
#define DLCC_IMPORTER_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dlcc {

/// How the importer binds dynamic dimensions: dlcc programs have static
/// shapes, fixed at compile time.
struct OnnxImportOptions {
  /// Whole shapes of named graph inputs (`--input-shape NAME=d0,d1,...`).
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// Symbolic dimension names bound to sizes (`--dim NAME=N`).
  std::map<std::string, int64_t> dimParams;
  /// Size for a dynamic leading (batch) dimension of every input (`--batch N`).
  std::optional<int64_t> batch;
  /// Graph inputs whose values are fixed at compile time, read from
  /// serialized TensorProto files (`--constant-input NAME=PATH`): the program
  /// is specialised to them (e.g. a shape or axes input).
  std::map<std::string, std::string> constantInputs;
  /// Name of the entry-point function.
  std::string entryName = "forward";
  /// The most bytes of initializer data the importer reads into memory
  /// (`--max-constant-bytes`, which also bounds what a program stores; the
  /// driver's default is half the machine's physical memory): above it, one
  /// clear error instead of an out-of-memory abort.
  uint64_t maxConstantBytes = UINT64_MAX;
};

/// Imports the ONNX model at `path`. Every problem is reported as an error
/// diagnostic on `context` (one clear message; a model with unsupported ops
/// gets one message listing them all) and yields a null module.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModel(mlir::MLIRContext &context, const std::string &path,
                const OnnxImportOptions &options);

/// Every (domain, op type) the importer handles, with the since-versions it
/// handles ("" is the default ONNX domain).
struct SupportedOnnxOp {
  std::string domain;
  std::string opType;
  std::vector<int64_t> versions;
};
std::vector<SupportedOnnxOp> supportedOnnxOps();

/// Registers the dialects the importer produces.
void registerOnnxImporterDialects(mlir::DialectRegistry &registry);

} // namespace dlcc

#endif // DLCC_IMPORTER_ONNX_ONNXIMPORTER_H
