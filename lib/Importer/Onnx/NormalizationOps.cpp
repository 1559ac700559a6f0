//===- NormalizationOps.cpp - ONNX InstanceNormalization, LRN, MVN --------===//
//
// Normalizations built from dlcc ops (registered from NeuralNetOps.cpp;
// BatchNormalization and LayerNormalization, which have dlcc ops of their
// own, are there): InstanceNormalization as a layer norm over the spatial
// dims, LRN from an average pool over channels, MeanVarianceNormalization
// from reductions.
//
//===----------------------------------------------------------------------===//
#include "NodeImporter.h"
#include "ShapeHelpers.h"

#include <algorithm>

namespace dlcc::onnx_import {

namespace {
using namespace mlir::dlcc;
using llvm::ArrayRef;
using llvm::SmallVector;
using mlir::Value;

/// InstanceNormalization: a layer norm over the spatial dims of each (n, c)
/// with unit scale and zero offset, then the per-channel scale and bias.
LogicalResult importInstanceNorm(NodeImporter &n) {
  if (failed(n.requireInputs(3)) || failed(n.requireFloat(0, "input")))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  if (xt.getRank() < 3)
    return n.fail("input must have rank >= 3 ([N, C, D...])");
  ArrayRef<int64_t> shape = xt.getShape();
  Type et = xt.getElementType();
  SmallVector<int64_t> spatial(shape.drop_front(2)), perChannel(shape.size(), 1);
  perChannel[1] = shape[1];
  SmallVector<Value> params;
  static constexpr const char *kNames[] = {"scale", "B"};
  for (size_t i = 0; i < 2; ++i) {
    RankedTensorType t = n.inputType(i + 1);
    if (t.getElementType() != et || t.getShape() != ArrayRef<int64_t>{shape[1]})
      return n.fail(llvm::Twine("input ") + kNames[i] + " must be a [" +
                    llvm::Twine(shape[1]) +
                    "] tensor of the input's element type, not " +
                    shapeString(t.getShape()));
    auto full = n.broadcastTo(n.reshape(n.input(i + 1), perChannel), shape);
    if (mlir::failed(full))
      return mlir::failure();
    params.push_back(*full);
  }
  auto ln = n.create<LayerNormOp>(
      n.input(0), n.splat(et, spatial, 1.0), n.splat(et, spatial, 0.0),
      n.builder.getI64IntegerAttr(2),
      n.builder.getF32FloatAttr(n.getFloat("epsilon", 1e-5f)));
  Value y = n.create<MulOp>(ln.getOutput(), params[0]);
  n.setOutput(0, n.create<AddOp>(y, params[1]));
  return mlir::success();
}

/// LRN: x / (bias + alpha/size * sum of x^2 over a window of `size`
/// channels)^beta. The window sum is an average pool over the channels
/// (padding counted, so it is the sum / size) of x^2 seen as [N, 1, C, rest].
LogicalResult importLrn(NodeImporter &n) {
  if (failed(n.requireInputs(1)) || failed(n.requireFloat(0, "input")))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  if (xt.getRank() < 2)
    return n.fail("input must have rank >= 2 ([N, C, ...])");
  int64_t size = n.getInt("size", 0);
  if (size < 1 || size > xt.getDimSize(1) + 65536)
    return n.fail("size " + std::to_string(size) +
                  (size < 1 ? " must be positive" : " is too large"));
  ArrayRef<int64_t> shape = xt.getShape();
  int64_t rest = 1;
  for (int64_t d : shape.drop_front(2))
    rest *= d;
  Value x = n.input(0);
  SmallVector<int64_t> view{shape[0], 1, shape[1], rest};
  Value squares = n.reshape(n.create<MulOp>(x, x), view);
  SmallVector<int64_t> pooled = view;
  Value window = n.create<PoolOp>(
      llvm::cast<RankedTensorType>(squares.getType()).clone(pooled),
      PoolKind::avg, squares, ArrayRef<int64_t>{size, 1}, ArrayRef<int64_t>{1, 1},
      ArrayRef<int64_t>{(size - 1) / 2, 0}, ArrayRef<int64_t>{size / 2, 0},
      ArrayRef<int64_t>{1, 1}, true);
  Value mean = n.reshape(window, shape);
  Value scale = n.create<AddOp>(n.splatLike(mean, n.getFloat("bias", 1.0f)),
                                n.create<MulOp>(mean, n.splatLike(mean, n.getFloat("alpha", 1e-4f))));
  Value denominator =
      n.create<PowOp>(scale, n.splatLike(scale, n.getFloat("beta", 0.75f)));
  n.setOutput(0, n.create<DivOp>(x, denominator));
  return mlir::success();
}

/// MeanVarianceNormalization: (x - mean) / (sqrt(mean(x^2) - mean^2) + 1e-9)
/// over `axes`, as ONNX's reference computes it.
LogicalResult importMeanVarianceNorm(NodeImporter &n) {
  if (failed(n.requireInputs(1)) || failed(n.requireFloat(0, "input")))
    return mlir::failure();
  RankedTensorType xt = n.inputType(0);
  int64_t rank = xt.getRank();
  SmallVector<int64_t> axes =
      n.hasAttr("axes") ? n.getInts("axes") : SmallVector<int64_t>{0, 2, 3};
  SmallVector<bool> reduced(rank, false);
  int64_t count = 1;
  for (int64_t a : axes) {
    auto axis = n.normalizeAxis(a, rank, "axis");
    if (failed(axis))
      return mlir::failure();
    if (reduced[*axis])
      return n.fail("axes repeat axis " + std::to_string(*axis));
    reduced[*axis] = true;
    count *= xt.getDimSize(*axis);
  }
  SmallVector<int64_t> dims, kept(xt.getShape());
  for (int64_t d = 0; d < rank; ++d)
    if (reduced[d]) {
      dims.push_back(d);
      kept[d] = 1;
    }
  Value x = n.input(0);
  auto mean = [&](Value v) -> FailureOr<Value> {
    Value s = n.create<ReduceOp>(ReduceKind::sum, v, ArrayRef<int64_t>(dims));
    s = n.create<MulOp>(s, n.splatLike(s, 1.0 / double(std::max<int64_t>(count, 1))));
    return n.broadcastTo(n.reshape(s, kept), xt.getShape());
  };
  auto mu = mean(x), squares = mean(n.create<MulOp>(x, x));
  if (failed(mu) || failed(squares))
    return mlir::failure();
  Value variance = n.create<SubOp>(*squares, n.create<MulOp>(*mu, *mu));
  Value deviation = n.create<AddOp>(n.create<SqrtOp>(variance),
                                    n.splatLike(variance, 1e-9));
  n.setOutput(0, n.create<DivOp>(n.create<SubOp>(x, *mu), deviation));
  return mlir::success();
}

} // namespace

void registerNormalizationHandlers(HandlerTable &table) {
  table.add("", "InstanceNormalization", {1, 6, 22}, importInstanceNorm);
  table.add("", "LRN", {1, 13}, importLrn);
  table.add("", "MeanVarianceNormalization", {9, 13}, importMeanVarianceNorm);
}

} // namespace dlcc::onnx_import
