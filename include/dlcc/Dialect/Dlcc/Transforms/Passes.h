//===- Passes.h - passes on the dlcc dialect --------------------*- C++ -*-===//
#ifndef DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_H
#define DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::dlcc {
#define GEN_PASS_DECL
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h.inc"
} // namespace mlir::dlcc

#endif // DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_H
