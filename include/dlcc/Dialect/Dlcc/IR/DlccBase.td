//===- DlccBase.td - dlcc dialect definition and type constraints --------===//
#ifndef DLCC_BASE_TD
#define DLCC_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Dlcc_Dialect : Dialect {
  let name = "dlcc";
  let summary = "the dlcc core tensor dialect for training programs";
  let description = [{
    A small set of tensor operations with value semantics and static shapes that
    every dlcc pass (autodiff, mixed precision, fusion, sharding) is written
    against. ONNX's quirks (multidirectional broadcasting, 1-D MatMul promotion,
    auto_pad, ceil_mode, Slice sentinels, negative Gather indices, optional
    inputs) are resolved by the importer: broadcasts are explicit, every
    attribute is fully specified and every shape is static.

    Trainable parameters and other state are never constants: they enter a
    program as function arguments tagged with `dlcc.state`, whose initial values
    live in `dlcc.state_slot` symbols.
  }];
  let cppNamespace = "::mlir::dlcc";
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  // Every `dlcc.*` discardable attribute (DlccAttributeNames.h) is verified.
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

// Element types a dlcc tensor may hold.
def Dlcc_Float : AnyTypeOf<[F16, BF16, F32, F64]>;
def Dlcc_Int : AnyTypeOf<[I1, I8, I16, I32, I64, UI8, UI16, UI32, UI64]>;
def Dlcc_Element : AnyTypeOf<[Dlcc_Float, Dlcc_Int]>;

def Dlcc_Tensor : StaticShapeTensorOf<[Dlcc_Element]>;
def Dlcc_FloatTensor : StaticShapeTensorOf<[Dlcc_Float]>;
def Dlcc_IntTensor : StaticShapeTensorOf<[Dlcc_Int]>;
def Dlcc_PredTensor : StaticShapeTensorOf<[I1]>;
def Dlcc_IndexTensor : StaticShapeTensorOf<[I32, I64]>;
def Dlcc_IntOrPredTensor : StaticShapeTensorOf<[Dlcc_Int]>;

#endif // DLCC_BASE_TD
