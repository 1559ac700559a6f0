//===- DlccElementwiseOps.td - elementwise, compare, select, convert -----===//
//
// Elementwise ops require operands of identical type: broadcasting is made
// explicit with dlcc.broadcast_in_dim by the importer.
//
//===----------------------------------------------------------------------===//

class Dlcc_UnaryOp<string mnemonic, string what, TypeConstraint type,
                   list<Trait> traits = []>
    : Dlcc_Op<mnemonic, !listconcat([Pure, Elementwise, SameOperandsAndResultType],
                                    traits)> {
  let summary = "elementwise " # what;
  let description = [{
    Computes the }] # what # [{ of every element.

    Example:
    ```mlir
    %y = dlcc.}] # mnemonic # [{ %x : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins type:$operand);
  let results = (outs type:$result);
  let assemblyFormat = "$operand attr-dict `:` type($result)";
}

def Dlcc_AbsOp : Dlcc_UnaryOp<"abs", "absolute value", Dlcc_Tensor>;
def Dlcc_CeilOp : Dlcc_UnaryOp<"ceil", "ceiling", Dlcc_FloatTensor>;
def Dlcc_CosOp : Dlcc_UnaryOp<"cos", "cosine", Dlcc_FloatTensor>;
def Dlcc_ErfOp : Dlcc_UnaryOp<"erf", "Gauss error function", Dlcc_FloatTensor>;
def Dlcc_ExpOp : Dlcc_UnaryOp<"exp", "natural exponential", Dlcc_FloatTensor>;
def Dlcc_FloorOp : Dlcc_UnaryOp<"floor", "floor", Dlcc_FloatTensor>;
def Dlcc_LogOp : Dlcc_UnaryOp<"log", "natural logarithm", Dlcc_FloatTensor>;
def Dlcc_LogisticOp : Dlcc_UnaryOp<"logistic", "logistic sigmoid 1/(1+exp(-x))",
                                   Dlcc_FloatTensor>;
def Dlcc_NegOp : Dlcc_UnaryOp<"neg", "negation", Dlcc_Tensor> {
  let hasFolder = 1;
}
def Dlcc_NotOp : Dlcc_UnaryOp<"not", "logical not", Dlcc_PredTensor>;
def Dlcc_RsqrtOp : Dlcc_UnaryOp<"rsqrt", "reciprocal square root", Dlcc_FloatTensor>;
def Dlcc_SinOp : Dlcc_UnaryOp<"sin", "sine", Dlcc_FloatTensor>;
def Dlcc_SqrtOp : Dlcc_UnaryOp<"sqrt", "square root", Dlcc_FloatTensor>;
def Dlcc_TanhOp : Dlcc_UnaryOp<"tanh", "hyperbolic tangent", Dlcc_FloatTensor>;
def Dlcc_TanOp : Dlcc_UnaryOp<"tan", "tangent", Dlcc_FloatTensor>;
def Dlcc_AsinOp : Dlcc_UnaryOp<"asin", "arcsine", Dlcc_FloatTensor>;
def Dlcc_AcosOp : Dlcc_UnaryOp<"acos", "arccosine", Dlcc_FloatTensor>;
def Dlcc_AtanOp : Dlcc_UnaryOp<"atan", "arctangent", Dlcc_FloatTensor>;
def Dlcc_SinhOp : Dlcc_UnaryOp<"sinh", "hyperbolic sine", Dlcc_FloatTensor>;
def Dlcc_CoshOp : Dlcc_UnaryOp<"cosh", "hyperbolic cosine", Dlcc_FloatTensor>;
def Dlcc_AsinhOp : Dlcc_UnaryOp<"asinh", "inverse hyperbolic sine", Dlcc_FloatTensor>;
def Dlcc_AcoshOp : Dlcc_UnaryOp<"acosh", "inverse hyperbolic cosine", Dlcc_FloatTensor>;
def Dlcc_AtanhOp : Dlcc_UnaryOp<"atanh", "inverse hyperbolic tangent", Dlcc_FloatTensor>;

class Dlcc_BinaryOp<string mnemonic, string what, TypeConstraint type,
                    list<Trait> traits = []>
    : Dlcc_Op<mnemonic, !listconcat([Pure, Elementwise, SameOperandsAndResultType],
                                    traits)> {
  let summary = "elementwise " # what;
  let description = [{
    Computes the }] # what # [{ of corresponding elements of two tensors of
    the same type.

    Example:
    ```mlir
    %z = dlcc.}] # mnemonic # [{ %x, %y : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins type:$lhs, type:$rhs);
  let results = (outs type:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def Dlcc_AddOp : Dlcc_BinaryOp<"add", "sum", Dlcc_Tensor, [Commutative]> {
  let hasFolder = 1;
}
def Dlcc_SubOp : Dlcc_BinaryOp<"sub", "difference", Dlcc_Tensor> {
  let hasFolder = 1;
}
def Dlcc_MulOp : Dlcc_BinaryOp<"mul", "product", Dlcc_Tensor, [Commutative]> {
  let hasFolder = 1;
}
def Dlcc_DivOp : Dlcc_BinaryOp<"div", "quotient (integers truncate toward zero)",
                               Dlcc_Tensor>;
def Dlcc_PowOp : Dlcc_BinaryOp<"pow", "power lhs^rhs", Dlcc_Tensor>;
def Dlcc_MaxOp : Dlcc_BinaryOp<"max", "maximum (NaN-propagating)", Dlcc_Tensor,
                               [Commutative]> {
  let hasFolder = 1;
}
def Dlcc_MinOp : Dlcc_BinaryOp<"min", "minimum (NaN-propagating)", Dlcc_Tensor,
                               [Commutative]> {
  let hasFolder = 1;
}
def Dlcc_RemOp : Dlcc_BinaryOp<"rem",
    "remainder with the sign of the dividend (C fmod)", Dlcc_Tensor>;
def Dlcc_AndOp : Dlcc_BinaryOp<"and", "logical and", Dlcc_IntOrPredTensor,
                               [Commutative]>;
def Dlcc_OrOp : Dlcc_BinaryOp<"or", "logical or", Dlcc_IntOrPredTensor,
                              [Commutative]>;
def Dlcc_XorOp : Dlcc_BinaryOp<"xor", "logical exclusive or", Dlcc_IntOrPredTensor,
                               [Commutative]>;

def Dlcc_ShiftLeftOp : Dlcc_BinaryOp<"shift_left",
    "left shift by an unsigned amount (0 from the width on)", Dlcc_IntTensor>;
def Dlcc_ShiftRightOp : Dlcc_BinaryOp<"shift_right",
    "logical right shift by an unsigned amount (0 from the width on)",
    Dlcc_IntTensor>;

def Dlcc_CompareOp : Dlcc_Op<"compare", [Pure, Elementwise,
    AllTypesMatch<["lhs", "rhs"]>, InferTypeOpAdaptor]> {
  let summary = "elementwise comparison";
  let description = [{
    Compares corresponding elements with the given predicate and yields an i1
    tensor of the same shape. Float comparisons are ordered (false on NaN)
    except `ne`, which is true on NaN.

    Example:
    ```mlir
    %m = dlcc.compare lt, %x, %y : tensor<4xf32>
    ```
  }];
  let arguments = (ins Dlcc_ComparisonDirection:$direction, Dlcc_Tensor:$lhs,
                       Dlcc_Tensor:$rhs);
  let results = (outs Dlcc_PredTensor:$result);
  let assemblyFormat = [{
    $direction `,` $lhs `,` $rhs attr-dict `:` type($lhs)
  }];
}

def Dlcc_SelectOp : Dlcc_Op<"select", [Pure, Elementwise,
    AllTypesMatch<["on_true", "on_false", "result"]>,
    AllShapesMatch<["pred", "result"]>]> {
  let summary = "elementwise choice by a predicate";
  let description = [{
    Yields `on_true` where `pred` is true and `on_false` elsewhere.

    Example:
    ```mlir
    %r = dlcc.select %m, %x, %y : tensor<4xi1>, tensor<4xf32>
    ```
  }];
  let arguments = (ins Dlcc_PredTensor:$pred, Dlcc_Tensor:$on_true,
                       Dlcc_Tensor:$on_false);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $pred `,` $on_true `,` $on_false attr-dict `:` type($pred) `,` type($result)
  }];
  let hasFolder = 1;
}

def Dlcc_ConvertOp : Dlcc_Op<"convert", [Pure, Elementwise,
    AllShapesMatch<["operand", "result"]>]> {
  let summary = "elementwise element-type conversion";
  let description = [{
    Converts every element to the result's element type: floats round to
    nearest even, float to integer truncates toward zero, integer to i1 is
    `x != 0`.

    Example:
    ```mlir
    %y = dlcc.convert %x : (tensor<4xi64>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Dlcc_Tensor:$operand);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = "$operand attr-dict `:` functional-type($operand, $result)";
  let hasFolder = 1;
}
