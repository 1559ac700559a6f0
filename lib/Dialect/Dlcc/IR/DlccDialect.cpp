//===- DlccDialect.cpp - dlcc dialect registration ------------------------===//
#include "dlcc/Dialect/Dlcc/IR/Dlcc.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::dlcc;

#include "dlcc/Dialect/Dlcc/IR/DlccOpsDialect.cpp.inc"
#include "dlcc/Dialect/Dlcc/IR/DlccEnums.cpp.inc"
#include "dlcc/Dialect/Dlcc/IR/DlccInterfaces.cpp.inc"

void DlccDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dlcc/Dialect/Dlcc/IR/DlccOps.cpp.inc"
      >();
  registerAttributes();
}

Operation *DlccDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = llvm::dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
