//===- DlccEnums.td - enumerations used by dlcc ops ----------------------===//
#ifndef DLCC_ENUMS_TD
#define DLCC_ENUMS_TD

include "mlir/IR/EnumAttr.td"

def Dlcc_ComparisonDirection : I32EnumAttr<"ComparisonDirection",
    "comparison predicate", [
      I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>,
      I32EnumAttrCase<"lt", 2>, I32EnumAttrCase<"le", 3>,
      I32EnumAttrCase<"gt", 4>, I32EnumAttrCase<"ge", 5>]> {
  let cppNamespace = "::mlir::dlcc";
}

def Dlcc_ReduceKind : I32EnumAttr<"ReduceKind", "reduction combiner", [
      I32EnumAttrCase<"sum", 0>, I32EnumAttrCase<"prod", 1>,
      I32EnumAttrCase<"max", 2>, I32EnumAttrCase<"min", 3>]> {
  let cppNamespace = "::mlir::dlcc";
}

def Dlcc_ArgReduceKind : I32EnumAttr<"ArgReduceKind", "arg-reduction", [
      I32EnumAttrCase<"argmax", 0>, I32EnumAttrCase<"argmin", 1>]> {
  let cppNamespace = "::mlir::dlcc";
}

def Dlcc_PoolKind : I32EnumAttr<"PoolKind", "pooling combiner", [
      I32EnumAttrCase<"max", 0>, I32EnumAttrCase<"avg", 1>]> {
  let cppNamespace = "::mlir::dlcc";
}

def Dlcc_PadMode : I32EnumAttr<"PadMode", "padding mode", [
      I32EnumAttrCase<"constant", 0>, I32EnumAttrCase<"edge", 1>,
      I32EnumAttrCase<"reflect", 2>, I32EnumAttrCase<"wrap", 3>]> {
  let cppNamespace = "::mlir::dlcc";
}

def Dlcc_ResizeMode : I32EnumAttr<"ResizeMode", "resize interpolation", [
      I32EnumAttrCase<"nearest", 0>, I32EnumAttrCase<"linear", 1>,
      I32EnumAttrCase<"cubic", 2>]> {
  let cppNamespace = "::mlir::dlcc";
}

// Where output coordinate x falls in the input (ONNX Resize's
// coordinate_transformation_mode).
def Dlcc_ResizeCoordinates : I32EnumAttr<"ResizeCoordinates",
    "resize coordinate transformation", [
      I32EnumAttrCase<"half_pixel", 0>,
      I32EnumAttrCase<"half_pixel_symmetric", 1>,
      I32EnumAttrCase<"pytorch_half_pixel", 2>,
      I32EnumAttrCase<"align_corners", 3>,
      I32EnumAttrCase<"asymmetric", 4>,
      I32EnumAttrCase<"tf_crop_and_resize", 5>,
      I32EnumAttrCase<"tf_half_pixel_for_nn", 6>]> {
  let cppNamespace = "::mlir::dlcc";
}

// How nearest mode rounds a coordinate between two inputs. `simple` is
// ONNX Upsample's and Resize-10's (as onnxruntime runs them): floor where a
// dimension grows or keeps its size, ceil where it shrinks.
def Dlcc_ResizeRounding : I32EnumAttr<"ResizeRounding", "nearest rounding", [
      I32EnumAttrCase<"round_prefer_floor", 0>,
      I32EnumAttrCase<"round_prefer_ceil", 1>,
      I32EnumAttrCase<"floor", 2>, I32EnumAttrCase<"ceil", 3>,
      I32EnumAttrCase<"simple", 4>]> {
  let cppNamespace = "::mlir::dlcc";
}

// What a grid sampler reads for a point outside the input.
def Dlcc_GridPadding : I32EnumAttr<"GridPadding", "grid sample padding", [
      I32EnumAttrCase<"zeros", 0>, I32EnumAttrCase<"border", 1>,
      I32EnumAttrCase<"reflection", 2>]> {
  let cppNamespace = "::mlir::dlcc";
}

// How a scatter combines an update with what its destination holds.
def Dlcc_ScatterReduction : I32EnumAttr<"ScatterReduction", "scatter combiner", [
      I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"add", 1>,
      I32EnumAttrCase<"mul", 2>, I32EnumAttrCase<"max", 3>,
      I32EnumAttrCase<"min", 4>]> {
  let cppNamespace = "::mlir::dlcc";
}

def Dlcc_LossReduction : I32EnumAttr<"LossReduction", "loss reduction", [
      I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"sum", 1>,
      I32EnumAttrCase<"mean", 2>]> {
  let cppNamespace = "::mlir::dlcc";
}

// What a piece of program state is. Trainable candidates are float
// initializers; whether they are trained is decided by the training pass
// (reachability of the loss through a differentiable path, --freeze).
def Dlcc_StateKind : I32EnumAttr<"StateKind", "kind of program state", [
      I32EnumAttrCase<"parameter", 0>,
      I32EnumAttrCase<"batch_norm_statistic", 1>,
      I32EnumAttrCase<"optimizer", 2>,
      I32EnumAttrCase<"rng", 3>]> {
  let cppNamespace = "::mlir::dlcc";
}

// How an op's arithmetic may be lowered by the mixed-precision pass.
def Dlcc_PrecisionClass : I32EnumAttr<"PrecisionClass", "precision policy", [
      I32EnumAttrCase<"low_precision_ok", 0>,
      I32EnumAttrCase<"keep_fp32", 1>,
      I32EnumAttrCase<"follow_inputs", 2>]> {
  let cppNamespace = "::mlir::dlcc";
}

// Which convolution a library call computes (dlcc.conv_call).
def Dlcc_ConvCallKind : I32EnumAttr<"ConvCallKind", "convolution library call", [
      I32EnumAttrCase<"forward", 0>,
      I32EnumAttrCase<"backward_data", 1>,
      I32EnumAttrCase<"backward_filter", 2>]> {
  let cppNamespace = "::mlir::dlcc";
  let genSpecializedAttr = 0;
}

#endif // DLCC_ENUMS_TD
