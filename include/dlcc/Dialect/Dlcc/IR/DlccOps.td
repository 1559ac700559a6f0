//===- DlccOps.td - dlcc core ops -----------------------------------------===//
//
// The core op set. Ops are split by family into the files included below.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_OPS_TD
#define DLCC_OPS_TD

include "dlcc/Dialect/Dlcc/IR/DlccBase.td"
include "dlcc/Dialect/Dlcc/IR/DlccEnums.td"
include "dlcc/Dialect/Dlcc/IR/DlccInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Dlcc_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dlcc_Dialect, mnemonic, traits>;

include "dlcc/Dialect/Dlcc/IR/DlccElementwiseOps.td"
include "dlcc/Dialect/Dlcc/IR/DlccDataMovementOps.td"
include "dlcc/Dialect/Dlcc/IR/DlccNeuralNetOps.td"
include "dlcc/Dialect/Dlcc/IR/DlccProgramOps.td"

#endif // DLCC_OPS_TD
