//===- NeuralNet.cpp - dlcc norms, softmax and losses to linalg -----------===//
//
// Every op here is a few linalg.generics over the operand's shape: reductions
// write a tensor of the kept dimensions (zero- or -inf-filled init), and the
// elementwise steps read those statistics through projected indexing maps.
//
//   softmax            m = max_d x, s = sum_d exp(x - m), y = exp(x - m) / s
//   log_softmax        y = x - m - log(s)
//   softmax_backward   dx = y * (dy - sum_d dy*y)
//   log_softmax_bwd    dx = dy - exp(y) * sum_d dy
//   batch_norm_*       per channel (dimension 1) over every other dimension;
//                      biased variance, two passes (mean, then squares)
//   layer_norm(_bwd)   over dimensions axis.., statistics reshaped to the
//                      input's rank with those dimensions 1
//   cross_entropy      -w[l] * logp[n, l, d...] read with tensor.extract at
//                      the label clamped to [0, C-1]; ignored positions give
//                      0 and weight 0; mean divides by the sum of the weights
//
// Pooling lives in Pooling.cpp.
//
//===----------------------------------------------------------------------===//
#include "LinalgBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"

namespace mlir::dlcc {

namespace {

using utils::IteratorType;
using ReduceBodyFn =
    function_ref<Value(OpBuilder &b, Location loc, ValueRange args, Value acc)>;

/// The map from `rank` loops to the loops in `dims`.
AffineMap dimsMap(MLIRContext *ctx, int64_t rank, ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// [from, to).
SmallVector<int64_t> dimRange(int64_t from, int64_t to) {
  return llvm::to_vector(llvm::seq<int64_t>(from, to));
}

/// The dimensions of [0, rank) not in `dims` (sorted).
SmallVector<int64_t> otherDims(int64_t rank, ArrayRef<int64_t> dims) {
  SmallVector<int64_t> rest;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(dims, i))
      rest.push_back(i);
  return rest;
}

/// A generic over the loops of `loopShape` that reduces the loops in
/// `reduced`: the result has the other loops' extents, starts at `init` and
/// accumulates body(inputs..., acc). Inputs are read through `maps`.
Value reduceGeneric(OpBuilder &b, Location loc, ArrayRef<int64_t> loopShape,
                    ArrayRef<int64_t> reduced, ValueRange inputs,
                    ArrayRef<AffineMap> maps, Value init, ReduceBodyFn body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = loopShape.size();
  SmallVector<int64_t> kept = otherDims(rank, reduced), shape;
  for (int64_t d : kept)
    shape.push_back(loopShape[d]);
  auto resultType = RankedTensorType::get(shape, init.getType());
  SmallVector<AffineMap> allMaps(maps);
  allMaps.push_back(dimsMap(ctx, rank, kept));
  SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
  for (int64_t d : reduced)
    iterators[d] = IteratorType::reduction;
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, inputs,
             ValueRange{filledTensor(b, loc, resultType, init)}, allMaps, iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value r = body(nb, nloc, args.drop_back(), args.back());
               linalg::YieldOp::create(nb, nloc, r);
             })
      .getResult(0);
}

/// An all-parallel generic over `resultType` reading `inputs` through `maps`.
Value mapGeneric(OpBuilder &b, Location loc, RankedTensorType resultType,
                 ValueRange inputs, ArrayRef<AffineMap> maps, ScalarBodyFn body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> allMaps(maps);
  allMaps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, inputs,
             ValueRange{emptyTensor(b, loc, resultType)}, allMaps, iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, body(nb, nloc, args.drop_back()));
             })
      .getResult(0);
}

/// Sum over `reduced` of body(inputs...).
Value sumOf(OpBuilder &b, Location loc, RankedTensorType loopType,
            ArrayRef<int64_t> reduced, ValueRange inputs, ArrayRef<AffineMap> maps,
            ScalarBodyFn term) {
  Value zero = scalarConstant(b, loc, loopType.getElementType(), 0.0);
  return reduceGeneric(b, loc, loopType.getShape(), reduced, inputs, maps, zero,
                       [&](OpBuilder &nb, Location nloc, ValueRange args, Value acc) {
                         Value t = term(nb, nloc, args);
                         return arith::AddFOp::create(nb, nloc, acc, t);
                       });
}

/// Each element of `t` divided by `count` (a mean from a sum).
Value dividedBy(OpBuilder &b, Location loc, Value t, int64_t count) {
  auto type = llvm::cast<RankedTensorType>(t.getType());
  return buildElementwise(b, loc, type, t,
                          [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
                            Value c = scalarConstant(nb, nloc, args[0].getType(), count);
                            return arith::DivFOp::create(nb, nloc, args[0], c);
                          });
}

/// rsqrt(v + epsilon) elementwise.
Value inverseStd(OpBuilder &b, Location loc, Value variance, double epsilon) {
  auto type = llvm::cast<RankedTensorType>(variance.getType());
  return buildElementwise(b, loc, type, variance,
                          [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
                            Value eps = scalarConstant(nb, nloc, args[0].getType(), epsilon);
                            return math::RsqrtOp::create(
                                nb, nloc, arith::AddFOp::create(nb, nloc, args[0], eps));
                          });
}

/// Mean and biased variance of `x` over `reduced` (two passes), shaped by the
/// kept dimensions.
std::pair<Value, Value> meanAndVariance(OpBuilder &b, Location loc, Value x,
                                        ArrayRef<int64_t> reduced) {
  auto type = llvm::cast<RankedTensorType>(x.getType());
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  int64_t count = 1;
  for (int64_t d : reduced)
    count *= type.getDimSize(d);
  AffineMap id = b.getMultiDimIdentityMap(rank);
  AffineMap kept = dimsMap(ctx, rank, otherDims(rank, reduced));
  Value sum = sumOf(b, loc, type, reduced, x, id,
                    [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  Value mean = dividedBy(b, loc, sum, count);
  Value squares = sumOf(b, loc, type, reduced, ValueRange{x, mean}, {id, kept},
                        [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                          Value c = arith::SubFOp::create(nb, l, a[0], a[1]);
                          return arith::MulFOp::create(nb, l, c, c);
                        });
  return {mean, dividedBy(b, loc, squares, count)};
}

/// (x - mean) * rstd * scale + offset.
Value normalizeScaleShift(OpBuilder &b, Location loc, ValueRange args) {
  Value centered = arith::SubFOp::create(b, loc, args[0], args[1]);
  Value normalized = arith::MulFOp::create(b, loc, centered, args[2]);
  Value scaledValue = arith::MulFOp::create(b, loc, normalized, args[3]);
  return arith::AddFOp::create(b, loc, scaledValue, args[4]);
}

/// Cotangents of a normalization y = xhat * scale + offset, xhat = (x - mean)
/// * rstd with statistics over `reduced`:
///   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)),  g = dy * scale,
/// the means over `reduced`. `statMap` / `scaleMap` read mean and rstd /
/// scale from the loops of x.
Value normalizationGradInput(OpBuilder &b, Location loc, Value x, Value scale,
                             Value mean, Value rstd, Value dy,
                             ArrayRef<int64_t> reduced, AffineMap statMap,
                             AffineMap scaleMap) {
  auto type = llvm::cast<RankedTensorType>(x.getType());
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  int64_t count = 1;
  for (int64_t d : reduced)
    count *= type.getDimSize(d);
  SmallVector<Value> all{x, scale, mean, rstd, dy};
  SmallVector<AffineMap> maps{id, scaleMap, statMap, statMap, id};
  // args: x, scale, mean, rstd, dy.
  auto g = [](OpBuilder &nb, Location l, ValueRange a) -> Value {
    return arith::MulFOp::create(nb, l, a[4], a[1]);
  };
  auto xhat = [](OpBuilder &nb, Location l, ValueRange a) -> Value {
    return arith::MulFOp::create(nb, l, arith::SubFOp::create(nb, l, a[0], a[2]),
                                 a[3]);
  };
  Value meanG = dividedBy(b, loc, sumOf(b, loc, type, reduced, all, maps, g), count);
  Value meanGX = dividedBy(
      b, loc,
      sumOf(b, loc, type, reduced, all, maps,
            [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
              return arith::MulFOp::create(nb, l, g(nb, l, a), xhat(nb, l, a));
            }),
      count);
  SmallVector<Value> inputs(all);
  inputs.append({meanG, meanGX});
  maps.append({statMap, statMap});
  return mapGeneric(b, loc, type, inputs, maps,
                    [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                      Value r = arith::SubFOp::create(nb, l, g(nb, l, a), a[5]);
                      r = arith::SubFOp::create(
                          nb, l, r, arith::MulFOp::create(nb, l, xhat(nb, l, a), a[6]));
                      return arith::MulFOp::create(nb, l, r, a[3]);
                    });
}

/// Cotangents of scale (sum over `reduced` of dy * xhat) and offset (sum of
/// dy); the result has the kept dimensions' shape.
std::pair<Value, Value> normalizationGradAffine(OpBuilder &b, Location loc, Value x,
                                                Value mean, Value rstd, Value dy,
                                                ArrayRef<int64_t> reduced,
                                                AffineMap statMap) {
  auto type = llvm::cast<RankedTensorType>(x.getType());
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  Value dScale = sumOf(b, loc, type, reduced, ValueRange{x, mean, rstd, dy},
                       {id, statMap, statMap, id},
                       [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                         Value xhat = arith::MulFOp::create(
                             nb, l, arith::SubFOp::create(nb, l, a[0], a[1]), a[2]);
                         return arith::MulFOp::create(nb, l, a[3], xhat);
                       });
  Value dOffset = sumOf(b, loc, type, reduced, dy, id,
                        [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  return {dScale, dOffset};
}

//===----------------------------------------------------------------------===//
// Batch norm
//===----------------------------------------------------------------------===//

/// Every dimension but the channel (1).
SmallVector<int64_t> batchNormReduced(int64_t rank) { return otherDims(rank, {1}); }

struct BatchNormTrainingToLinalg : OpConversionPattern<BatchNormTrainingOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormTrainingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = llvm::cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    auto reduced = batchNormReduced(rank);
    auto [mean, variance] = meanAndVariance(rewriter, loc, x, reduced);
    Value rstd = inverseStd(rewriter, loc, variance,
                            op.getEpsilon().convertToDouble());
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap ch = dimsMap(rewriter.getContext(), rank, {1});
    Value y = mapGeneric(rewriter, loc, type,
                         ValueRange{x, mean, rstd, adaptor.getScale(), adaptor.getOffset()},
                         {id, ch, ch, ch, ch}, normalizeScaleShift);
    rewriter.replaceOp(op, ValueRange{y, mean, variance});
    return success();
  }
};

struct BatchNormInferenceToLinalg : OpConversionPattern<BatchNormInferenceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormInferenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = llvm::cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    Value rstd = inverseStd(rewriter, loc, adaptor.getVariance(),
                            op.getEpsilon().convertToDouble());
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap ch = dimsMap(rewriter.getContext(), rank, {1});
    Value y = mapGeneric(rewriter, loc, type,
                         ValueRange{x, adaptor.getMean(), rstd, adaptor.getScale(),
                                    adaptor.getOffset()},
                         {id, ch, ch, ch, ch}, normalizeScaleShift);
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct BatchNormBackwardToLinalg : OpConversionPattern<BatchNormBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput(), dy = adaptor.getGradOutput();
    Value mean = adaptor.getMean();
    int64_t rank = llvm::cast<RankedTensorType>(x.getType()).getRank();
    auto reduced = batchNormReduced(rank);
    Value rstd = inverseStd(rewriter, loc, adaptor.getVariance(),
                            op.getEpsilon().convertToDouble());
    AffineMap ch = dimsMap(rewriter.getContext(), rank, {1});
    Value dx = normalizationGradInput(rewriter, loc, x, adaptor.getScale(), mean,
                                      rstd, dy, reduced, ch, ch);
    auto [dScale, dOffset] =
        normalizationGradAffine(rewriter, loc, x, mean, rstd, dy, reduced, ch);
    rewriter.replaceOp(op, ValueRange{dx, dScale, dOffset});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Layer norm
//===----------------------------------------------------------------------===//

/// Groups [0], ..., [axis-2], [axis-1, ..., rank-1]: between the outer
/// dimensions [D0..D(axis-1)] and the statistics shape [D0.., 1, ...].
SmallVector<ReassociationIndices> statisticsReassociation(int64_t rank,
                                                          int64_t axis) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i + 1 < axis; ++i)
    groups.push_back({i});
  if (axis > 0) {
    ReassociationIndices last;
    for (int64_t i = axis - 1; i < rank; ++i)
      last.push_back(i);
    groups.push_back(last);
  }
  return groups;
}

struct LayerNormToLinalg : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    auto type = llvm::cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank(), axis = op.getAxis();
    auto inner = dimRange(axis, rank);
    auto [mean, variance] = meanAndVariance(rewriter, loc, x, inner);
    Value rstd = inverseStd(rewriter, loc, variance,
                            op.getEpsilon().convertToDouble());
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap outer = dimsMap(ctx, rank, dimRange(0, axis));
    AffineMap innerMap = dimsMap(ctx, rank, inner);
    Value y = mapGeneric(rewriter, loc, type,
                         ValueRange{x, mean, rstd, adaptor.getScale(), adaptor.getOffset()},
                         {id, outer, outer, innerMap, innerMap}, normalizeScaleShift);
    auto statsType = convertedType(*getTypeConverter(), op.getMean().getType());
    auto reassociation = statisticsReassociation(rank, axis);
    Value meanOut = tensor::ExpandShapeOp::create(rewriter, loc, statsType, mean,
                                                  reassociation);
    Value rstdOut = tensor::ExpandShapeOp::create(rewriter, loc, statsType, rstd,
                                                  reassociation);
    rewriter.replaceOp(op, ValueRange{y, meanOut, rstdOut});
    return success();
  }
};

struct LayerNormBackwardToLinalg : OpConversionPattern<LayerNormBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput(), dy = adaptor.getGradOutput();
    int64_t rank = llvm::cast<RankedTensorType>(x.getType()).getRank();
    int64_t axis = op.getAxis();
    auto reassociation = statisticsReassociation(rank, axis);
    Value mean = tensor::CollapseShapeOp::create(rewriter, loc, adaptor.getMean(),
                                                 reassociation);
    Value rstd = tensor::CollapseShapeOp::create(rewriter, loc,
                                                 adaptor.getInvStdDev(), reassociation);
    auto inner = dimRange(axis, rank), outer = dimRange(0, axis);
    AffineMap outerMap = dimsMap(ctx, rank, outer);
    AffineMap innerMap = dimsMap(ctx, rank, inner);
    Value dx = normalizationGradInput(rewriter, loc, x, adaptor.getScale(), mean,
                                      rstd, dy, inner, outerMap, innerMap);
    auto [dScale, dOffset] =
        normalizationGradAffine(rewriter, loc, x, mean, rstd, dy, outer, outerMap);
    rewriter.replaceOp(op, ValueRange{dx, dScale, dOffset});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Softmax family
//===----------------------------------------------------------------------===//

template <typename OpTy, bool isLog>
struct SoftmaxToLinalg : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getOperand();
    auto type = llvm::cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank(), dim = op.getDimension();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap row = dimsMap(rewriter.getContext(), rank, otherDims(rank, {dim}));
    Value lowest = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getFloatAttr(type.getElementType(),
                              APFloat::getInf(llvm::cast<FloatType>(type.getElementType())
                                                  .getFloatSemantics(),
                                              true)));
    Value max = reduceGeneric(
        rewriter, loc, type.getShape(), {dim}, x, id, lowest,
        [](OpBuilder &b, Location l, ValueRange a, Value acc) -> Value {
          return arith::MaximumFOp::create(b, l, acc, a[0]);
        });
    Value sum = sumOf(rewriter, loc, type, {dim}, ValueRange{x, max}, {id, row},
                      [](OpBuilder &b, Location l, ValueRange a) -> Value {
                        return math::ExpOp::create(
                            b, l, arith::SubFOp::create(b, l, a[0], a[1]));
                      });
    Value y = mapGeneric(rewriter, loc, type, ValueRange{x, max, sum}, {id, row, row},
                         [](OpBuilder &b, Location l, ValueRange a) -> Value {
                           Value shifted = arith::SubFOp::create(b, l, a[0], a[1]);
                           if (isLog)
                             return arith::SubFOp::create(b, l, shifted,
                                                          math::LogOp::create(b, l, a[2]));
                           return arith::DivFOp::create(
                               b, l, math::ExpOp::create(b, l, shifted), a[2]);
                         });
    rewriter.replaceOp(op, y);
    return success();
  }
};

template <typename OpTy, bool isLog>
struct SoftmaxBackwardToLinalg : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value y = adaptor.getOutput(), dy = adaptor.getGradOutput();
    auto type = llvm::cast<RankedTensorType>(y.getType());
    int64_t rank = type.getRank(), dim = op.getDimension();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap row = dimsMap(rewriter.getContext(), rank, otherDims(rank, {dim}));
    // softmax: s = sum(dy * y), dx = y * (dy - s);
    // log_softmax: s = sum(dy), dx = dy - exp(y) * s.
    Value sum = sumOf(rewriter, loc, type, {dim}, ValueRange{y, dy}, {id, id},
                      [](OpBuilder &b, Location l, ValueRange a) -> Value {
                        if (isLog)
                          return a[1];
                        return arith::MulFOp::create(b, l, a[1], a[0]);
                      });
    Value dx = mapGeneric(rewriter, loc, type, ValueRange{y, dy, sum}, {id, id, row},
                          [](OpBuilder &b, Location l, ValueRange a) -> Value {
                            if (isLog)
                              return arith::SubFOp::create(
                                  b, l, a[1],
                                  arith::MulFOp::create(b, l, math::ExpOp::create(b, l, a[0]),
                                                        a[2]));
                            return arith::MulFOp::create(
                                b, l, a[0], arith::SubFOp::create(b, l, a[1], a[2]));
                          });
    rewriter.replaceOp(op, dx);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Cross-entropy
//===----------------------------------------------------------------------===//

struct CrossEntropyToLinalg : OpConversionPattern<CrossEntropyOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CrossEntropyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value logp = adaptor.getLogProbs(), labels = adaptor.getLabels();
    Value weights = adaptor.getWeights();
    auto logpType = llvm::cast<RankedTensorType>(logp.getType());
    auto labelType = llvm::cast<RankedTensorType>(labels.getType());
    Type elementType = logpType.getElementType();
    int64_t classes = logpType.getDimSize(1), rank = labelType.getRank();
    int64_t ignoreIndex = op.getIgnoreIndex();
    auto perPosition = labelType.clone(elementType);

    LossReduction reduction = op.getReduction();
    bool mean = reduction == LossReduction::mean;

    // Per position: the loss -w[l] * logp[n, l, d...] and, for mean, the
    // weight w[l]; both 0 where l == ignore_index.
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    SmallVector<Type> resultTypes(mean ? 2 : 1, perPosition);
    SmallVector<Value> inits;
    for (size_t i = 0; i < resultTypes.size(); ++i)
      inits.push_back(emptyTensor(rewriter, loc, perPosition));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultTypes, ValueRange{labels}, inits,
        SmallVector<AffineMap>(1 + inits.size(), id), iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Type i64 = b.getI64Type();
          Value label = args[0];
          if (label.getType() != i64)
            label = arith::ExtSIOp::create(b, l, i64, label);
          Value ignored = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::eq, label,
              arith::ConstantIntOp::create(b, l, i64, ignoreIndex));
          Value cls = arith::MaxSIOp::create(b, l, label,
                                             arith::ConstantIntOp::create(b, l, i64, 0));
          cls = arith::MinSIOp::create(
              b, l, cls, arith::ConstantIntOp::create(b, l, i64, classes - 1));
          cls = arith::IndexCastOp::create(b, l, b.getIndexType(), cls);
          SmallVector<Value> at{linalg::IndexOp::create(b, l, 0), cls};
          for (int64_t i = 1; i < rank; ++i)
            at.push_back(linalg::IndexOp::create(b, l, i));
          Value v = tensor::ExtractOp::create(b, l, logp, at);
          Value zero = scalarConstant(b, l, elementType, 0.0);
          Value w = weights ? Value(tensor::ExtractOp::create(b, l, weights, cls))
                            : scalarConstant(b, l, elementType, 1.0);
          Value loss = arith::NegFOp::create(b, l, arith::MulFOp::create(b, l, w, v));
          SmallVector<Value> results{arith::SelectOp::create(b, l, ignored, zero, loss)};
          if (mean)
            results.push_back(arith::SelectOp::create(b, l, ignored, zero, w));
          linalg::YieldOp::create(b, l, results);
        });
    Value loss = generic.getResult(0);
    if (reduction == LossReduction::none) {
      rewriter.replaceOp(op, loss);
      return success();
    }
    auto all = dimRange(0, rank);
    auto identity = [](OpBuilder &, Location, ValueRange a) { return a[0]; };
    Value total = sumOf(rewriter, loc, perPosition, all, loss, id, identity);
    if (mean) {
      Value weightSum =
          sumOf(rewriter, loc, perPosition, all, generic.getResult(1), id, identity);
      total = buildElementwise(rewriter, loc,
                               llvm::cast<RankedTensorType>(total.getType()),
                               ValueRange{total, weightSum},
                               [](OpBuilder &b, Location l, ValueRange a) -> Value {
                                 return arith::DivFOp::create(b, l, a[0], a[1]);
                               });
    }
    rewriter.replaceOp(op, total);
    return success();
  }
};

} // namespace

void populateDlccNeuralNetToLinalgPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<BatchNormTrainingToLinalg, BatchNormInferenceToLinalg,
               BatchNormBackwardToLinalg, LayerNormToLinalg,
               LayerNormBackwardToLinalg, SoftmaxToLinalg<SoftmaxOp, false>,
               SoftmaxToLinalg<LogSoftmaxOp, true>,
               SoftmaxBackwardToLinalg<SoftmaxBackwardOp, false>,
               SoftmaxBackwardToLinalg<LogSoftmaxBackwardOp, true>,
               CrossEntropyToLinalg>(converter, ctx);
  populateDlccPoolingToLinalgPatterns(converter, patterns);
}

} // namespace mlir::dlcc
