//===- NeuralNetOps.cpp - MatMul, Gemm, Conv, pooling, norms, losses ------===//
//
// Handlers for the ONNX neural-network ops. Every ONNX quirk is resolved here
// so that the dlcc ops see explicit broadcasts, explicit padding and static
// result shapes: MatMul's 1-D promotion and batch broadcasting, Gemm's
// transposes and scaling, auto_pad and ceil_mode, BatchNormalization's
// training mode and running statistics, the opset < 13 softmax coercion to
// 2-D, and Dropout's training-mode forms.
//
//===----------------------------------------------------------------------===//
#include "NodeImporter.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <limits>
#include <string>

namespace dlcc::onnx_import {

using namespace mlir::dlcc;
using llvm::ArrayRef;
using llvm::SmallVector;

namespace {

Value mul(NodeImporter &n, Value a, Value b) { return n.create<MulOp>(a, b); }
Value add(NodeImporter &n, Value a, Value b) { return n.create<AddOp>(a, b); }
Value mulScalar(NodeImporter &n, Value a, double s) {
  return mul(n, a, n.splatLike(a, s));
}

/// Sets output `i` when the node names it.
void setOptional(NodeImporter &n, size_t i, Value v) {
  if (n.hasOutput(i))
    n.setOutput(i, v);
}

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

LogicalResult importMatMul(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return mlir::failure();
  if (failed(n.requireFloat(0, "input A")) || failed(n.requireFloat(1, "input B")))
    return mlir::failure();
  RankedTensorType at = n.inputType(0), bt = n.inputType(1);
  if (at.getElementType() != bt.getElementType())
    return n.fail("inputs A and B have different element types");
  if (at.getRank() == 0 || bt.getRank() == 0)
    return n.fail("MatMul inputs must have rank >= 1, got " +
                  shapeString(at.getShape()) + " and " + shapeString(bt.getShape()));
  Value a = n.input(0), b = n.input(1);
  SmallVector<int64_t> as(at.getShape()), bs(bt.getShape());
  // 1-D promotion: [K] -> [1, K] on the left and [K] -> [K, 1] on the right.
  bool aVec = as.size() == 1, bVec = bs.size() == 1;
  if (aVec) {
    as.insert(as.begin(), 1);
    a = n.reshape(a, as);
  }
  if (bVec) {
    bs.push_back(1);
    b = n.reshape(b, bs);
  }
  int64_t k = as.back(), k2 = bs[bs.size() - 2];
  if (k != k2)
    return n.fail("contraction dimensions differ: A is " +
                  shapeString(at.getShape()) + ", B is " + shapeString(bt.getShape()));
  int64_t m = as[as.size() - 2], nn = bs.back();
  SmallVector<int64_t> batch;
  Value result;
  if (bs.size() == 2) {
    // The shared-matrix form: B applies to every batch of A.
    batch.assign(as.begin(), as.end() - 2);
    result = n.create<MatmulOp>(a, b, false, false);
  } else {
    ArrayRef<int64_t> ab = ArrayRef<int64_t>(as).drop_back(2);
    ArrayRef<int64_t> bb = ArrayRef<int64_t>(bs).drop_back(2);
    auto common = broadcastShapes({ab, bb});
    if (!common)
      return n.fail("batch dimensions of A " + shapeString(at.getShape()) +
                    " and B " + shapeString(bt.getShape()) + " do not broadcast");
    batch = *common;
    SmallVector<int64_t> aTarget(batch), bTarget(batch);
    aTarget.append({m, k});
    bTarget.append({k, nn});
    auto ab2 = n.broadcastTo(a, aTarget);
    auto bb2 = n.broadcastTo(b, bTarget);
    if (failed(ab2) || failed(bb2))
      return mlir::failure();
    result = n.create<MatmulOp>(*ab2, *bb2, false, false);
  }
  // Remove the promoted dimensions.
  if (aVec || bVec) {
    SmallVector<int64_t> shape(batch);
    if (!aVec)
      shape.push_back(m);
    if (!bVec)
      shape.push_back(nn);
    result = n.reshape(result, shape);
  }
  n.setOutput(0, result);
  return mlir::success();
}

LogicalResult importGemm(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return mlir::failure();
  if (failed(n.requireFloat(0, "input A")) || failed(n.requireFloat(1, "input B")))
    return mlir::failure();
  RankedTensorType at = n.inputType(0), bt = n.inputType(1);
  if (at.getElementType() != bt.getElementType())
    return n.fail("inputs A and B have different element types");
  if (at.getRank() != 2 || bt.getRank() != 2)
    return n.fail("Gemm inputs A and B must be 2-D, got " +
                  shapeString(at.getShape()) + " and " + shapeString(bt.getShape()));
  bool transA = n.getInt("transA", 0) != 0, transB = n.getInt("transB", 0) != 0;
  float alpha = n.getFloat("alpha", 1.0f), beta = n.getFloat("beta", 1.0f);
  int64_t m = at.getDimSize(transA ? 1 : 0), k = at.getDimSize(transA ? 0 : 1);
  int64_t k2 = bt.getDimSize(transB ? 1 : 0), nn = bt.getDimSize(transB ? 0 : 1);
  if (k != k2)
    return n.fail("contraction dimensions differ: A' is [" + std::to_string(m) +
                  ", " + std::to_string(k) + "], B' is [" + std::to_string(k2) +
                  ", " + std::to_string(nn) + "]");
  Value y = n.create<MatmulOp>(n.input(0), n.input(1), transA, transB);
  if (alpha != 1.0f)
    y = mulScalar(n, y, alpha);
  if (n.hasInput(2)) {
    RankedTensorType ct = n.inputType(2);
    if (ct.getElementType() != at.getElementType())
      return n.fail("input C has element type " + printToString(ct.getElementType()) +
                    ", expected " + printToString(at.getElementType()));
    SmallVector<int64_t> outShape{m, nn};
    if (n.version < 7 && n.getInt("broadcast", 0) == 0) {
      if (ct.getShape() != ArrayRef<int64_t>(outShape))
        return n.fail("input C has shape " + shapeString(ct.getShape()) +
                      " but must be " + shapeString(outShape) +
                      " when the 'broadcast' attribute is 0");
    }
    auto common = broadcastShapes({ct.getShape(), ArrayRef<int64_t>(outShape)});
    if (!common || ArrayRef<int64_t>(*common) != ArrayRef<int64_t>(outShape))
      return n.fail("input C of shape " + shapeString(ct.getShape()) +
                    " is not unidirectionally broadcastable to " +
                    shapeString(outShape));
    auto c = n.broadcastTo(n.input(2), outShape);
    if (failed(c))
      return mlir::failure();
    Value cv = *c;
    if (beta != 1.0f)
      cv = mulScalar(n, cv, beta);
    y = add(n, y, cv);
  } else if (n.version < 11) {
    return n.fail("input C is required before Gemm-11");
  }
  n.setOutput(0, y);
  return mlir::success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// Explicit per-dimension padding and the output sizes of a window sweep.
struct WindowSweep {
  SmallVector<int64_t> window, strides, dilations, padLow, padHigh, outSizes;
};

/// Attribute `name`: `count` integers, each >= `minimum`; `count` copies of
/// `def` when absent.
LogicalResult readIntList(NodeImporter &n, llvm::StringRef name,
                          SmallVector<int64_t> &out, int64_t count, int64_t def,
                          int64_t minimum) {
  out = n.getInts(name);
  if (!n.hasAttr(name)) {
    out.assign(count, def);
    return mlir::success();
  }
  if ((int64_t)out.size() != count)
    return n.fail("attribute '" + name + "' has " + std::to_string(out.size()) +
                  " entries, expected " + std::to_string(count));
  for (int64_t v : out)
    if (v < minimum)
      return n.fail("attribute '" + name + "' entries must be >= " +
                    std::to_string(minimum) + ", got " + shapeString(out));
  return mlir::success();
}

/// Attribute auto_pad: NOTSET (the default), SAME_UPPER, SAME_LOWER or VALID.
FailureOr<std::string> readAutoPad(NodeImporter &n) {
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER" &&
      autoPad != "VALID")
    return n.fail("unknown auto_pad '" + autoPad +
                  "' (expected NOTSET, SAME_UPPER, SAME_LOWER or VALID)");
  return autoPad;
}

/// Reads strides/dilations/pads/auto_pad and resolves the padding and output
/// sizes. `ceilMode` applies to explicit padding only (auto_pad's sizes are the
/// same either way). Pooling additionally requires each pad to be smaller than
/// the dilated window.
FailureOr<WindowSweep> resolveSweep(NodeImporter &n, RankedTensorType input,
                                    ArrayRef<int64_t> window, bool readDilations,
                                    bool ceilMode, bool pooling) {
  int64_t spatial = input.getRank() - 2;
  WindowSweep s;
  s.window.assign(window.begin(), window.end());
  SmallVector<int64_t> pads;
  if (failed(readIntList(n, "strides", s.strides, spatial, 1, 1)))
    return mlir::failure();
  if (readDilations) {
    if (failed(readIntList(n, "dilations", s.dilations, spatial, 1, 1)))
      return mlir::failure();
  } else {
    if (n.hasAttr("dilations"))
      return n.fail("attribute 'dilations' is not defined for " +
                    n.node.op_type() + "-" + std::to_string(n.version));
    s.dilations.assign(spatial, 1);
  }
  FailureOr<std::string> autoPadOr = readAutoPad(n);
  if (failed(autoPadOr))
    return mlir::failure();
  std::string autoPad = *autoPadOr;
  if (autoPad == "NOTSET" && failed(readIntList(n, "pads", pads, 2 * spatial, 0, 0)))
    return mlir::failure();
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t in = input.getDimSize(i + 2), st = s.strides[i];
    int64_t dk = s.dilations[i] * (s.window[i] - 1) + 1;
    int64_t lo = 0, hi = 0, out;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      out = (in + st - 1) / st;
      int64_t total = std::max<int64_t>(0, (out - 1) * st + dk - in);
      lo = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      hi = total - lo;
    } else {
      if (autoPad == "NOTSET") {
        lo = pads[i];
        hi = pads[i + spatial];
      }
      int64_t span = in + lo + hi - dk;
      if (span < 0)
        return n.fail("the kernel (size " + std::to_string(s.window[i]) +
                      ", dilation " + std::to_string(s.dilations[i]) +
                      ") does not fit spatial dimension " + std::to_string(i) +
                      " of size " + std::to_string(in) + " padded by (" +
                      std::to_string(lo) + ", " + std::to_string(hi) + ")");
      if (ceilMode) {
        out = (span + st - 1) / st + 1;
        // The last window must start inside the input or the left padding.
        if ((out - 1) * st >= in + lo)
          --out;
      } else {
        out = span / st + 1;
      }
    }
    if (pooling && (lo >= s.dilations[i] * s.window[i] ||
                    hi >= s.dilations[i] * s.window[i]))
      return n.fail("padding (" + std::to_string(lo) + ", " + std::to_string(hi) +
                    ") of spatial dimension " + std::to_string(i) +
                    " must be smaller than the kernel size " +
                    std::to_string(s.window[i]));
    s.padLow.push_back(lo);
    s.padHigh.push_back(hi);
    s.outSizes.push_back(out);
  }
  return s;
}

/// The operands shared by Conv and ConvTranspose: float X [N, C, D...] and W
/// of the same rank and element type, W's spatial shape equal to
/// kernel_shape when given; returns W's spatial shape.
FailureOr<SmallVector<int64_t>> checkConvOperands(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return mlir::failure();
  if (failed(n.requireFloat(0, "input X")) || failed(n.requireFloat(1, "weight W")))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0), wt = n.inputType(1);
  if (xt.getElementType() != wt.getElementType())
    return n.fail("input X and weight W have different element types");
  int64_t rank = xt.getRank();
  if (rank < 3)
    return n.fail("input X must be [N, C, D...] with at least one spatial "
                  "dimension, got " + shapeString(xt.getShape()));
  if (wt.getRank() != rank)
    return n.fail("weight W " + shapeString(wt.getShape()) +
                  " must have the rank of input X " + shapeString(xt.getShape()));
  SmallVector<int64_t> kernel(wt.getShape().drop_front(2));
  if (n.hasAttr("kernel_shape") && n.getInts("kernel_shape") != kernel)
    return n.fail("attribute kernel_shape " + shapeString(n.getInts("kernel_shape")) +
                  " does not match the weight's spatial shape " + shapeString(kernel));
  return kernel;
}

/// y plus the optional input B, a [channels] bias along dim 1.
FailureOr<Value> addChannelBias(NodeImporter &n, Value y, int64_t channels) {
  if (!n.hasInput(2))
    return y;
  auto yt = llvm::cast<RankedTensorType>(y.getType());
  RankedTensorType bt = n.inputType(2);
  if (bt.getRank() != 1 || bt.getDimSize(0) != channels ||
      bt.getElementType() != yt.getElementType())
    return n.fail("bias B must be a [" + std::to_string(channels) + "] tensor of " +
                  printToString(yt.getElementType()) + ", got " + printToString(bt));
  Value bias = n.create<BroadcastInDimOp>(yt, n.input(2), ArrayRef<int64_t>{1});
  return add(n, y, bias);
}

LogicalResult importConv(NodeImporter &n) {
  FailureOr<SmallVector<int64_t>> kernel = checkConvOperands(n);
  if (failed(kernel))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0), wt = n.inputType(1);
  int64_t group = n.getInt("group", 1);
  int64_t c = xt.getDimSize(1), m = wt.getDimSize(0);
  if (group < 1)
    return n.fail("attribute group must be >= 1, got " + std::to_string(group));
  if (c % group || m % group || wt.getDimSize(1) * group != c)
    return n.fail("channel mismatch: input X has " + std::to_string(c) +
                  " channels, weight W is " + shapeString(wt.getShape()) + " with " +
                  std::to_string(group) +
                  " groups (expected W[1] * group == C and M divisible by group)");
  auto sweep = resolveSweep(n, xt, *kernel, /*readDilations=*/true,
                            /*ceilMode=*/false, /*pooling=*/false);
  if (failed(sweep))
    return mlir::failure();
  Value y = n.create<ConvolutionOp>(n.input(0), n.input(1),
                                    ArrayRef<int64_t>(sweep->strides),
                                    ArrayRef<int64_t>(sweep->padLow),
                                    ArrayRef<int64_t>(sweep->padHigh),
                                    ArrayRef<int64_t>(sweep->dilations),
                                    (uint64_t)group);
  FailureOr<Value> biased = addChannelBias(n, y, m);
  if (failed(biased))
    return mlir::failure();
  n.setOutput(0, *biased);
  return mlir::success();
}

/// ConvTranspose is the gradient of a convolution with respect to its input:
/// X [N, C, E...] plays grad_output, W [C, M/group, K...] the forward filter,
/// and the result [N, M, D...] the forward input. ONNX's output size
/// D = stride*(E-1) + output_padding + (K-1)*dilation + 1 - pads (or
/// output_shape, or auto_pad's E*stride, with the pads that follow) is
/// reached with
/// dlcc.convolution_backward_data on the positions that can receive a value
/// and zero padding for the rest (an output_shape or output_padding beyond
/// the last reachable position, a negative SAME padding).
LogicalResult importConvTranspose(NodeImporter &n) {
  FailureOr<SmallVector<int64_t>> kernelOr = checkConvOperands(n);
  if (failed(kernelOr))
    return mlir::failure();
  SmallVector<int64_t> kernel = *kernelOr;
  RankedTensorType xt = n.inputType(0), wt = n.inputType(1);
  int64_t rank = xt.getRank(), spatial = rank - 2;
  int64_t group = n.getInt("group", 1);
  int64_t c = xt.getDimSize(1);
  if (group < 1)
    return n.fail("attribute group must be >= 1, got " + std::to_string(group));
  if (c % group || wt.getDimSize(0) != c)
    return n.fail("channel mismatch: input X has " + std::to_string(c) +
                  " channels, weight W is " + shapeString(wt.getShape()) + " with " +
                  std::to_string(group) +
                  " groups (expected W[0] == C, divisible by group)");
  int64_t m = wt.getDimSize(1) * group;

  SmallVector<int64_t> strides, dilations, outputPadding;
  if (failed(readIntList(n, "strides", strides, spatial, 1, 1)) ||
      failed(readIntList(n, "dilations", dilations, spatial, 1, 1)) ||
      failed(readIntList(n, "output_padding", outputPadding, spatial, 0, 0)))
    return mlir::failure();
  FailureOr<std::string> autoPadOr = readAutoPad(n);
  if (failed(autoPadOr))
    return mlir::failure();
  std::string autoPad = *autoPadOr;
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  SmallVector<int64_t> pads(2 * spatial, 0);
  if (autoPad == "NOTSET") {
    if (failed(readIntList(n, "pads", pads, 2 * spatial, 0, 0)))
      return mlir::failure();
  }
  SmallVector<int64_t> outputShape;
  if (n.hasAttr("output_shape")) {
    outputShape = n.getInts("output_shape");
    // Some exporters write the whole shape [N, M, D...].
    if ((int64_t)outputShape.size() == rank)
      outputShape.erase(outputShape.begin(), outputShape.begin() + 2);
    if ((int64_t)outputShape.size() != spatial ||
        llvm::any_of(outputShape, [](int64_t d) { return d < 1; }))
      return n.fail("attribute output_shape " + shapeString(n.getInts("output_shape")) +
                    " must have " + std::to_string(spatial) +
                    " positive spatial sizes");
  }

  SmallVector<int64_t> low, high, frontPad, endPad, base{xt.getDimSize(0), m};
  SmallVector<int64_t> full{xt.getDimSize(0), m};
  bool padded = false;
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t e = xt.getDimSize(i + 2), st = strides[i];
    int64_t dk = dilations[i] * (kernel[i] - 1) + 1, op = outputPadding[i];
    int64_t lo = pads[i], hi = pads[i + spatial], d;
    if (same || !outputShape.empty()) {
      // The padding follows from the output size (explicit pads are
      // ignored then): the odd one at the end for SAME_UPPER, at the start
      // otherwise, halves rounded down as onnxruntime does (a negative
      // total, an output past the reach, pads the end).
      d = outputShape.empty() ? e * st : outputShape[i];
      int64_t total = st * (e - 1) + op + dk - d;
      int64_t half = llvm::divideFloorSigned(total, 2);
      lo = autoPad == "SAME_UPPER" ? half : total - half;
    } else {
      d = st * (e - 1) + op + dk - lo - hi;
    }
    if (d < 1)
      return n.fail("the output of spatial dimension " + std::to_string(i) +
                    " would have " + std::to_string(d) + " elements");
    // Output position o receives x[e] * w[k] where o = e*stride + k*dilation
    // - lo: positions [0, reach) with lo clamped to 0 (a negative lo pads
    // in front).
    int64_t front = std::max<int64_t>(0, -lo), baseLo = std::max<int64_t>(0, lo);
    int64_t reach = st * (e - 1) + dk - baseLo;
    int64_t inner = std::min(d - front, reach);
    if (inner < 1)
      return n.fail("no element of the output of spatial dimension " +
                    std::to_string(i) + " receives a value (output size " +
                    std::to_string(d) + ", padding " + std::to_string(lo) + ")");
    frontPad.push_back(front);
    endPad.push_back(d - front - inner);
    padded |= front != 0 || d - front - inner != 0;
    low.push_back(baseLo);
    high.push_back(reach - inner);
    base.push_back(inner);
    full.push_back(d);
  }
  auto baseType = RankedTensorType::get(base, xt.getElementType());
  Value y = n.create<ConvolutionBackwardDataOp>(
      baseType, n.input(0), n.input(1), ArrayRef<int64_t>(strides),
      ArrayRef<int64_t>(low), ArrayRef<int64_t>(high),
      ArrayRef<int64_t>(dilations), (uint64_t)group);
  if (padded) {
    SmallVector<int64_t> lowAll{0, 0}, highAll{0, 0};
    llvm::append_range(lowAll, frontPad);
    llvm::append_range(highAll, endPad);
    y = n.create<PadOp>(PadMode::constant, y, n.splat(xt.getElementType(), {}, 0),
                        lowAll, highAll);
  }
  FailureOr<Value> biased = addChannelBias(n, y, m);
  if (failed(biased))
    return mlir::failure();
  n.setOutput(0, *biased);
  return mlir::success();
}

LogicalResult importPool(NodeImporter &n, PoolKind kind) {
  if (failed(n.requireInputs(1)))
    return mlir::failure();
  bool isMax = kind == PoolKind::max;
  RankedTensorType xt = n.inputType(0);
  // MaxPool-12 also takes 8-bit integers: pooled exactly in f32 (padding
  // never wins a max).
  Type et = xt.getElementType();
  bool smallInt = isMax && n.version >= 12 && et.isInteger(8);
  if (!smallInt && failed(n.requireFloat(0, "input X")))
    return mlir::failure();
  if (xt.getRank() < 3)
    return n.fail("input X must be [N, C, D...] with at least one spatial "
                  "dimension, got " + shapeString(xt.getShape()));
  int64_t spatial = xt.getRank() - 2;
  if (isMax && n.hasOutput(1))
    return n.fail("the Indices output of MaxPool is not supported");
  if (!n.hasAttr("kernel_shape"))
    return n.fail("attribute kernel_shape is required");
  SmallVector<int64_t> kernel = n.getInts("kernel_shape");
  if ((int64_t)kernel.size() != spatial)
    return n.fail("kernel_shape " + shapeString(kernel) + " needs " +
                  std::to_string(spatial) + " entries for input " +
                  shapeString(xt.getShape()));
  for (int64_t k : kernel)
    if (k < 1)
      return n.fail("kernel_shape entries must be >= 1, got " + shapeString(kernel));
  bool ceilMode = false;
  if (n.version >= 10)
    ceilMode = n.getInt("ceil_mode", 0) != 0;
  bool readDilations = isMax ? n.version >= 10 : n.version >= 19;
  bool countIncludePad = false;
  if (!isMax && n.version >= 7)
    countIncludePad = n.getInt("count_include_pad", 0) != 0;
  if (isMax && n.version >= 8) {
    int64_t order = n.getInt("storage_order", 0);
    if (order != 0 && order != 1)
      return n.fail("storage_order must be 0 or 1, got " + std::to_string(order));
  }
  auto sweep = resolveSweep(n, xt, kernel, readDilations, ceilMode, /*pooling=*/true);
  if (failed(sweep))
    return mlir::failure();
  SmallVector<int64_t> outShape{xt.getDimSize(0), xt.getDimSize(1)};
  outShape.append(sweep->outSizes);
  Value x = n.input(0);
  if (smallInt) {
    x = n.convert(x, n.builder.getF32Type());
    xt = llvm::cast<RankedTensorType>(x.getType());
  }
  Value y = n.create<PoolOp>(xt.clone(outShape), kind, x,
                             ArrayRef<int64_t>(sweep->window),
                             ArrayRef<int64_t>(sweep->strides),
                             ArrayRef<int64_t>(sweep->padLow),
                             ArrayRef<int64_t>(sweep->padHigh),
                             ArrayRef<int64_t>(sweep->dilations), countIncludePad);
  n.setOutput(0, n.convert(y, et));
  return mlir::success();
}

LogicalResult importGlobalPool(NodeImporter &n, ReduceKind kind) {
  if (failed(n.requireInputs(1)))
    return mlir::failure();
  if (failed(n.requireFloat(0, "input X")))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  if (xt.getRank() < 2)
    return n.fail("input X must be [N, C, D...], got " + shapeString(xt.getShape()));
  SmallVector<int64_t> dims, keptShape(xt.getShape());
  int64_t count = 1;
  for (int64_t i = 2; i < xt.getRank(); ++i) {
    dims.push_back(i);
    count *= xt.getDimSize(i);
    keptShape[i] = 1;
  }
  Value x = n.input(0);
  if (dims.empty()) {
    n.setOutput(0, x);
    return mlir::success();
  }
  if (count == 0)
    return n.fail("cannot pool over an empty spatial extent " +
                  shapeString(xt.getShape()));
  Value r = n.create<ReduceOp>(kind, x, ArrayRef<int64_t>(dims));
  if (kind == ReduceKind::sum)
    r = mulScalar(n, r, 1.0 / (double)count);
  n.setOutput(0, n.reshape(r, keptShape));
  return mlir::success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

LogicalResult importBatchNorm(NodeImporter &n) {
  if (failed(n.requireInputs(5)))
    return mlir::failure();
  if (failed(n.requireFloat(0, "input X")))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  if (xt.getRank() < 2)
    return n.fail("input X must be [N, C, D...], got " + shapeString(xt.getShape()));
  int64_t c = xt.getDimSize(1);
  Type et = xt.getElementType();
  static const char *names[] = {"X", "scale", "B", "input_mean", "input_var"};
  Value params[5];
  for (size_t i = 1; i < 5; ++i) {
    RankedTensorType t = n.inputType(i);
    if (t.getRank() != 1 || t.getDimSize(0) != c || !isFloatType(t.getElementType()))
      return n.fail(std::string("input ") + names[i] + " must be a float [" +
                    std::to_string(c) + "] tensor, got " + printToString(t));
    if (n.version < 15 && t.getElementType() != et)
      return n.fail(std::string("input ") + names[i] +
                    " must have the element type of X");
    params[i] = n.convert(n.input(i), et);
  }
  if (n.version < 9 && n.getInt("spatial", 1) == 0 && xt.getRank() > 2)
    return n.fail("spatial=0 (per-activation statistics) is not supported");
  float epsilon = n.getFloat("epsilon", 1e-5f);
  float momentum = n.getFloat("momentum", 0.9f);
  bool training;
  if (n.version >= 14) {
    training = n.getInt("training_mode", 0) != 0;
    if (!training && (n.hasOutput(1) || n.hasOutput(2)))
      return n.fail("outputs running_mean and running_var are only defined "
                    "in training mode (training_mode=1)");
  } else {
    training = false;
    for (size_t i = 1; i < 5; ++i)
      training |= n.hasOutput(i);
    if (training && n.version < 7 && n.getInt("is_test", 0) != 0)
      return n.fail("outputs other than Y are not defined in test mode (is_test=1)");
  }
  auto epsAttr = n.builder.getF32FloatAttr(epsilon);
  if (!training) {
    Value y = n.create<BatchNormInferenceOp>(n.input(0), params[1], params[2],
                                             params[3], params[4], epsAttr);
    n.setOutput(0, y);
    return mlir::success();
  }
  auto bn = n.create<BatchNormTrainingOp>(n.input(0), params[1], params[2], epsAttr);
  Value batchMean = bn.getBatchMean(), batchVar = bn.getBatchVar();
  // running' = running * momentum + batch * (1 - momentum).
  auto update = [&](Value running, Value batch) {
    return add(n, mulScalar(n, running, momentum), mulScalar(n, batch, 1.0 - momentum));
  };
  Value newMean = n.convert(update(params[3], batchMean), n.inputType(3).getElementType());
  Value newVar = n.convert(update(params[4], batchVar), n.inputType(4).getElementType());
  // Running statistics that are program state (initializers) get their new
  // values as state updates; statistics fed as graph inputs are only
  // returned through the node's outputs, as ONNX defines.
  for (auto [i, v] : {std::pair<size_t, Value>{3, newMean}, {4, newVar}})
    if (n.isState(n.node.input(i)) && failed(n.setStateUpdate(n.node.input(i), v)))
      return mlir::failure();
  n.setOutput(0, bn.getOutput());
  setOptional(n, 1, newMean);
  setOptional(n, 2, newVar);
  if (n.version < 14) {
    setOptional(n, 3, batchMean);
    setOptional(n, 4, batchVar);
  }
  return mlir::success();
}

LogicalResult importLayerNorm(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return mlir::failure();
  if (failed(n.requireFloat(0, "input X")))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  if (xt.getRank() < 1)
    return n.fail("input X must have rank >= 1");
  auto axis = n.normalizeAxis(n.getInt("axis", -1), xt.getRank());
  if (failed(axis))
    return mlir::failure();
  Type et = xt.getElementType();
  SmallVector<int64_t> normalized(xt.getShape().drop_front(*axis));
  // Scale and bias are broadcast to the normalized shape.
  auto param = [&](size_t i, llvm::StringRef name) -> FailureOr<Value> {
    RankedTensorType t = n.inputType(i);
    if (t.getElementType() != et)
      return n.fail("input " + name + " must have the element type of X");
    auto common = broadcastShapes({t.getShape(), ArrayRef<int64_t>(normalized)});
    if (!common || ArrayRef<int64_t>(*common) != ArrayRef<int64_t>(normalized))
      return n.fail("input " + name + " of shape " + shapeString(t.getShape()) +
                    " does not broadcast to the normalized shape " +
                    shapeString(normalized));
    return n.broadcastTo(n.input(i), normalized);
  };
  auto scale = param(1, "Scale");
  if (failed(scale))
    return mlir::failure();
  Value bias;
  if (n.hasInput(2)) {
    auto b = param(2, "B");
    if (failed(b))
      return mlir::failure();
    bias = *b;
  } else {
    bias = n.splat(et, normalized, 0.0);
  }
  int64_t stash = n.getInt("stash_type", 1);
  Type statType = elementTypeFromOnnx(n.context(), (int32_t)stash);
  if (!statType || !isFloatType(statType))
    return n.fail("stash_type " + std::to_string(stash) + " is not a float type");
  auto ln = n.create<LayerNormOp>(n.input(0), *scale, bias,
                                  n.builder.getI64IntegerAttr(*axis),
                                  n.builder.getF32FloatAttr(n.getFloat("epsilon", 1e-5f)));
  n.setOutput(0, ln.getOutput());
  setOptional(n, 1, n.convert(ln.getMean(), statType));
  setOptional(n, 2, n.convert(ln.getInvStdDev(), statType));
  return mlir::success();
}

//===----------------------------------------------------------------------===//
// Softmax, dropout, losses
//===----------------------------------------------------------------------===//

LogicalResult importSoftmax(NodeImporter &n, bool logSoftmax) {
  if (failed(n.requireInputs(1)))
    return mlir::failure();
  if (failed(n.requireFloat(0, "input")))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  int64_t rank = xt.getRank();
  if (rank < 1)
    return n.fail("input must have rank >= 1");
  auto build = [&](Value v, int64_t dim) -> Value {
    if (logSoftmax)
      return n.create<LogSoftmaxOp>(v, n.builder.getI64IntegerAttr(dim));
    return n.create<SoftmaxOp>(v, n.builder.getI64IntegerAttr(dim));
  };
  if (n.version >= 13) {
    auto axis = n.normalizeAxis(n.getInt("axis", -1), rank);
    if (failed(axis))
      return mlir::failure();
    n.setOutput(0, build(n.input(0), *axis));
    return mlir::success();
  }
  // Before opset 13 the input is coerced to 2-D at `axis`.
  auto axis = n.normalizeAxis(n.getInt("axis", 1), rank);
  if (failed(axis))
    return mlir::failure();
  if (*axis == rank - 1) {
    n.setOutput(0, build(n.input(0), rank - 1));
    return mlir::success();
  }
  int64_t before = 1, after = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < *axis ? before : after) *= xt.getDimSize(i);
  Value flat = n.reshape(n.input(0), {before, after});
  n.setOutput(0, n.reshape(build(flat, 1), xt.getShape()));
  return mlir::success();
}

LogicalResult importDropout(NodeImporter &n) {
  if (failed(n.requireInputs(1)))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  double ratio = 0.5;
  bool training = false;
  if (n.version < 12) {
    ratio = n.getFloat("ratio", 0.5f);
    // Dropout-1/6 run in training mode unless is_test is set; from Dropout-7
    // to 10 the op has no training mode.
    if (n.version < 7)
      training = n.getInt("is_test", 0) == 0;
  } else {
    if (n.hasInput(2)) {
      const HostTensor *t = n.constantInput(2);
      if (!t || t->size() != 1)
        return n.fail("input training_mode ('" + n.node.input(2) +
                      "') must be a scalar known at import time");
      training = t->intAt(0) != 0;
    }
    // The ratio only matters in training mode.
    if (training && n.hasInput(1)) {
      const HostTensor *r = n.constantInput(1);
      if (!r || r->size() != 1)
        return n.fail("input ratio ('" + n.node.input(1) +
                      "') must be a scalar known at import time in training mode");
      ratio = r->floatAt(0);
    }
  }
  // The mask is bool from Dropout-10 on, the input's type before.
  Type maskElem = n.version >= 10 ? (Type)n.builder.getI1Type() : xt.getElementType();
  if (!training || ratio == 0.0) {
    n.setOutput(0, n.input(0));
    if (n.hasOutput(1))
      n.setOutput(1, n.splat(maskElem, xt.getShape(), 1.0));
    return mlir::success();
  }
  if (failed(n.requireFloat(0, "input data")))
    return mlir::failure();
  if (!(ratio > 0.0 && ratio < 1.0))
    return n.fail("ratio must be in [0, 1), got " + std::to_string(ratio));
  Value x = n.input(0);
  Value key = n.randomKey();
  Value keep = n.create<DropoutMaskOp>(xt.clone(n.builder.getI1Type()), key,
                                       n.builder.getF32FloatAttr((float)ratio));
  Value scaled = mulScalar(n, x, 1.0 / (1.0 - ratio));
  n.setOutput(0, n.create<SelectOp>(keep, scaled, n.splatLike(x, 0.0)));
  if (n.hasOutput(1))
    n.setOutput(1, n.convert(keep, maskElem));
  return mlir::success();
}

/// dlcc.cross_entropy on [N, C, D...] log-probabilities with ONNX's
/// reduction / ignore_index / weights attributes and inputs.
FailureOr<Value> crossEntropy(NodeImporter &n, Value logProbs, size_t labelInput,
                              size_t weightInput) {
  auto lt = llvm::cast<RankedTensorType>(logProbs.getType());
  RankedTensorType labels = n.inputType(labelInput);
  if (!labels.getElementType().isInteger(64) && !labels.getElementType().isInteger(32))
    return n.fail("labels must be int32 or int64, got " +
                  printToString(labels.getElementType()));
  SmallVector<int64_t> expected{lt.getDimSize(0)};
  expected.append(lt.getShape().begin() + 2, lt.getShape().end());
  if (labels.getShape() != ArrayRef<int64_t>(expected))
    return n.fail("labels have shape " + shapeString(labels.getShape()) +
                  ", expected " + shapeString(expected) + " for scores " +
                  shapeString(lt.getShape()));
  Value weights;
  if (n.hasInput(weightInput)) {
    RankedTensorType wt = n.inputType(weightInput);
    if (wt.getRank() != 1 || wt.getDimSize(0) != lt.getDimSize(1) ||
        wt.getElementType() != lt.getElementType())
      return n.fail("weights must be a [" + std::to_string(lt.getDimSize(1)) +
                    "] tensor of " + printToString(lt.getElementType()) +
                    ", got " + printToString(wt));
    weights = n.input(weightInput);
  }
  std::string red = n.getString("reduction", "mean");
  LossReduction reduction;
  if (red == "none")
    reduction = LossReduction::none;
  else if (red == "sum")
    reduction = LossReduction::sum;
  else if (red == "mean")
    reduction = LossReduction::mean;
  else
    return n.fail("unknown reduction '" + red + "' (expected none, sum or mean)");
  // Without ignore_index no label is ignored: labels lie in [0, C), so a
  // negative sentinel never matches a valid label.
  int64_t ignore = n.hasAttr("ignore_index")
                       ? n.getInt("ignore_index", 0)
                       : (int64_t)std::numeric_limits<int32_t>::min();
  Value loss = n.create<CrossEntropyOp>(
      logProbs, n.input(labelInput), weights, n.builder.getI64IntegerAttr(ignore),
      LossReductionAttr::get(n.context(), reduction));
  return loss;
}

LogicalResult importSoftmaxCrossEntropy(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return mlir::failure();
  if (failed(n.requireFloat(0, "input scores")))
    return mlir::failure();
  RankedTensorType st = n.inputType(0);
  if (st.getRank() < 2)
    return n.fail("scores must be [N, C, D...], got " + shapeString(st.getShape()));
  Value logp = n.create<LogSoftmaxOp>(n.input(0), n.builder.getI64IntegerAttr(1));
  auto loss = crossEntropy(n, logp, 1, 2);
  if (failed(loss))
    return mlir::failure();
  n.setOutput(0, *loss);
  setOptional(n, 1, logp);
  return mlir::success();
}

LogicalResult importNllLoss(NodeImporter &n) {
  if (failed(n.requireInputs(2)))
    return mlir::failure();
  if (failed(n.requireFloat(0, "input")))
    return mlir::failure();
  RankedTensorType st = n.inputType(0);
  if (st.getRank() < 2)
    return n.fail("input must be [N, C, D...], got " + shapeString(st.getShape()));
  auto loss = crossEntropy(n, n.input(0), 1, 2);
  if (failed(loss))
    return mlir::failure();
  n.setOutput(0, *loss);
  return mlir::success();
}

} // namespace

void registerEinsumHandler(HandlerTable &table);         // EinsumOp.cpp
void registerNormalizationHandlers(HandlerTable &table); // NormalizationOps.cpp

void registerNeuralNetHandlers(HandlerTable &table) {
  table.add("", "MatMul", {1, 9, 13}, importMatMul);
  registerEinsumHandler(table);
  table.add("", "Gemm", {1, 6, 7, 9, 11, 13}, importGemm);
  table.add("", "Conv", {1, 11, 22}, importConv);
  table.add("", "ConvTranspose", {1, 11, 22}, importConvTranspose);
  table.add("", "MaxPool", {1, 8, 10, 11, 12, 22},
            [](NodeImporter &n) { return importPool(n, PoolKind::max); });
  table.add("", "AveragePool", {1, 7, 10, 11, 19, 22},
            [](NodeImporter &n) { return importPool(n, PoolKind::avg); });
  table.add("", "GlobalAveragePool", {1, 22},
            [](NodeImporter &n) { return importGlobalPool(n, ReduceKind::sum); });
  table.add("", "GlobalMaxPool", {1, 22},
            [](NodeImporter &n) { return importGlobalPool(n, ReduceKind::max); });
  table.add("", "BatchNormalization", {1, 6, 7, 9, 14, 15}, importBatchNorm);
  table.add("", "LayerNormalization", {17}, importLayerNorm);
  registerNormalizationHandlers(table);
  table.add("", "Softmax", {1, 11, 13},
            [](NodeImporter &n) { return importSoftmax(n, false); });
  table.add("", "LogSoftmax", {1, 11, 13},
            [](NodeImporter &n) { return importSoftmax(n, true); });
  table.add("", "Dropout", {1, 6, 7, 10, 12, 13, 22}, importDropout);
  table.add("", "SoftmaxCrossEntropyLoss", {12, 13}, importSoftmaxCrossEntropy);
  table.add("", "NegativeLogLikelihoodLoss", {12, 13, 22}, importNllLoss);
}

} // namespace dlcc::onnx_import
