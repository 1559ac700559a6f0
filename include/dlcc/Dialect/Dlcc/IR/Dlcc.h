//===- Dlcc.h - the dlcc dialect, its enums, interfaces and ops -*- C++ -*-===//
#ifndef DLCC_DIALECT_DLCC_IR_DLCC_H
#define DLCC_DIALECT_DLCC_IR_DLCC_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dlcc/Dialect/Dlcc/IR/DlccOpsDialect.h.inc"
#include "dlcc/Dialect/Dlcc/IR/DlccEnums.h.inc"
#include "dlcc/Dialect/Dlcc/IR/DlccInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dlcc/Dialect/Dlcc/IR/DlccOps.h.inc"

namespace mlir::dlcc {
/// Argument attribute naming the state slot an entry-point argument reads.
inline constexpr llvm::StringLiteral kStateAttrName = "dlcc.state";
/// Result attribute naming the state slot an entry-point result updates.
inline constexpr llvm::StringLiteral kTiedStateAttrName = "dlcc.tied_state";
/// Argument attribute naming a data input by its ONNX name.
inline constexpr llvm::StringLiteral kInputAttrName = "dlcc.input";
/// Result attribute naming a program output by its ONNX name.
inline constexpr llvm::StringLiteral kOutputAttrName = "dlcc.output";
} // namespace mlir::dlcc

#endif // DLCC_DIALECT_DLCC_IR_DLCC_H
