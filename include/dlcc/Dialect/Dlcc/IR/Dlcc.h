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

#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"
#include "dlcc/Dialect/Dlcc/IR/DlccOpsDialect.h.inc"
#include "dlcc/Dialect/Dlcc/IR/DlccEnums.h.inc"
#include "dlcc/Dialect/Dlcc/IR/DlccInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dlcc/Dialect/Dlcc/IR/DlccAttributes.h.inc"

#define GET_OP_CLASSES
#include "dlcc/Dialect/Dlcc/IR/DlccOps.h.inc"


#endif // DLCC_DIALECT_DLCC_IR_DLCC_H
