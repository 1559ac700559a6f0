//===- Pooling.cpp - dlcc.pool and dlcc.pool_backward to linalg -----------===//
//
// Forward: the input is padded with the combiner's neutral value (the lowest
// value for max, zero for avg) by pad_low and by enough on the high side that
// every window the result type asks for (ceil mode included) is complete;
// a linalg.generic over [N, C, E..., W...] (window loops reduce, their extent
// taken from a tensor.empty of the window's shape) reads
// xp[n, c, e*s + w*dil]. Padding never wins a max because it is the lowest
// value. An average is divided by the number of window taps inside the input
// (inside input + explicit padding with count_include_pad), computed from
// linalg.index per output position.
//
// Backward: a generic over [N, C, D..., W...] sums, for each input position
// d and tap w, the cotangent of the output position e with
// e*s + w*dil - pad_low == d if there is one (read with tensor.extract at a
// clamped index). Max routes it only when w is the first maximal in-bounds tap
// of e's window, from a per-output argmax computed first; avg divides it by
// the forward divisor.
//
//===----------------------------------------------------------------------===//
#include "LinalgBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"

namespace mlir::dlcc {
namespace {

using utils::IteratorType;

/// v * c and v + c on index values, skipping the identities.
Value mulIndex(OpBuilder &b, Location loc, Value v, int64_t c) {
  return c == 1 ? v : arith::MulIOp::create(b, loc, v, indexConstant(b, loc, c));
}
Value addIndex(OpBuilder &b, Location loc, Value v, int64_t c) {
  return c == 0 ? v : arith::AddIOp::create(b, loc, v, indexConstant(b, loc, c));
}

/// The lowest value of an element type: -inf, the signed minimum, or zero for
/// unsigned integers and i1.
Value lowestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned) {
  if (auto ft = llvm::dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), true)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt v = isUnsigned || width == 1 ? APInt::getZero(width)
                                     : APInt::getSignedMinValue(width);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

Value maxValue(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (llvm::isa<FloatType>(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isUnsigned || x.getType().isInteger(1))
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

/// Window geometry of one pool op: the forward input [N, C, D...] and output
/// [N, C, E...].
struct PoolGeometry {
  SmallVector<int64_t> window, strides, low, high, dilations, in, out;
  bool countIncludePad;
  int64_t spatial() const { return window.size(); }

  template <typename OpTy>
  PoolGeometry(OpTy op, RankedTensorType input, RankedTensorType output)
      : window(op.getWindow()), strides(op.getStrides()), low(op.getPadLow()),
        high(op.getPadHigh()), dilations(op.getDilations()),
        in(input.getShape().drop_front(2)), out(output.getShape().drop_front(2)),
        countIncludePad(op.getCountIncludePad()) {}

  /// High padding so that the last window, (E-1)*s + (W-1)*dil, is in range.
  int64_t highPad(int64_t i) const {
    int64_t needed = (out[i] - 1) * strides[i] + (window[i] - 1) * dilations[i] + 1;
    return std::max<int64_t>(0, needed - in[i] - low[i]);
  }

  /// Row-major index of window tap `w` (index values).
  Value flatTap(OpBuilder &b, Location loc, ArrayRef<Value> w) const {
    Value flat = w[0];
    for (int64_t i = 1; i < spatial(); ++i)
      flat = arith::AddIOp::create(b, loc, mulIndex(b, loc, flat, window[i]), w[i]);
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), flat);
  }

  /// The number of taps of output position `e` (index values) inside the
  /// input, or inside input + explicit padding with count_include_pad; at
  /// least 1 so that a window of nothing averages to 0.
  Value divisor(OpBuilder &b, Location loc, ArrayRef<Value> e, Type type) const {
    Value count;
    Value zero = indexConstant(b, loc, 0);
    for (int64_t i = 0; i < spatial(); ++i) {
      int64_t lb = countIncludePad ? -low[i] : 0;
      int64_t ub = countIncludePad ? in[i] + high[i] : in[i];
      // Tap w reads e*s - lo + w*dil; count the w in [0, W) landing in
      // [lb, ub): from ceil((lb - start) / dil) to floor((ub - 1 - start) / dil).
      Value start = addIndex(b, loc, mulIndex(b, loc, e[i], strides[i]), -low[i]);
      Value dil = indexConstant(b, loc, dilations[i]);
      Value first = arith::CeilDivSIOp::create(
          b, loc, arith::SubIOp::create(b, loc, indexConstant(b, loc, lb), start), dil);
      first = arith::MaxSIOp::create(b, loc, first, zero);
      Value last = arith::FloorDivSIOp::create(
          b, loc, arith::SubIOp::create(b, loc, indexConstant(b, loc, ub - 1), start),
          dil);
      last = arith::MinSIOp::create(b, loc, last, indexConstant(b, loc, window[i] - 1));
      Value n = addIndex(b, loc, arith::SubIOp::create(b, loc, last, first), 1);
      n = arith::MaxSIOp::create(b, loc, n, zero);
      count = count ? Value(arith::MulIOp::create(b, loc, count, n)) : n;
    }
    count = arith::MaxSIOp::create(b, loc, count, indexConstant(b, loc, 1));
    Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
    return arith::SIToFPOp::create(b, loc, type, asInt);
  }

  /// Whether tap `w` of output position `e` reads inside the input.
  Value tapInBounds(OpBuilder &b, Location loc, ArrayRef<Value> e,
                    ArrayRef<Value> w) const {
    Value ok;
    for (int64_t i = 0; i < spatial(); ++i) {
      Value pos = arith::AddIOp::create(b, loc, mulIndex(b, loc, e[i], strides[i]),
                                        mulIndex(b, loc, w[i], dilations[i]));
      pos = addIndex(b, loc, pos, -low[i]);
      Value geLow = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, pos,
                                          indexConstant(b, loc, 0));
      Value ltHigh = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, pos,
                                           indexConstant(b, loc, in[i]));
      Value inside = arith::AndIOp::create(b, loc, geLow, ltHigh);
      ok = ok ? Value(arith::AndIOp::create(b, loc, ok, inside)) : inside;
    }
    return ok;
  }

  /// For input position `d` and tap `w`: whether some output position e has
  /// e*s + w*dil - lo == d, and that e clamped into range (index values).
  std::pair<Value, SmallVector<Value>>
  outputOf(OpBuilder &b, Location loc, ArrayRef<Value> d, ArrayRef<Value> w) const {
    Value ok;
    SmallVector<Value> e;
    Value zero = indexConstant(b, loc, 0);
    for (int64_t i = 0; i < spatial(); ++i) {
      Value t = arith::SubIOp::create(b, loc, addIndex(b, loc, d[i], low[i]),
                                      mulIndex(b, loc, w[i], dilations[i]));
      Value s = indexConstant(b, loc, strides[i]);
      Value q = arith::FloorDivSIOp::create(b, loc, t, s);
      Value exact = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                          arith::MulIOp::create(b, loc, q, s), t);
      Value geLow = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, q, zero);
      Value ltHigh = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, q,
                                           indexConstant(b, loc, out[i]));
      Value hit = arith::AndIOp::create(
          b, loc, exact, arith::AndIOp::create(b, loc, geLow, ltHigh));
      ok = ok ? Value(arith::AndIOp::create(b, loc, ok, hit)) : hit;
      q = arith::MaxSIOp::create(b, loc, q, zero);
      q = arith::MinSIOp::create(b, loc, q, indexConstant(b, loc, out[i] - 1));
      e.push_back(q);
    }
    return {ok, e};
  }
};

/// `input` padded with `value`: pad_low below, enough for every window above.
Value padForWindows(OpBuilder &b, Location loc, Value input,
                    const PoolGeometry &geo, Value value) {
  auto type = llvm::cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> lo{0, 0}, hi{0, 0}, shape(type.getShape());
  bool any = false;
  for (int64_t i = 0; i < geo.spatial(); ++i) {
    lo.push_back(geo.low[i]);
    hi.push_back(geo.highPad(i));
    shape[i + 2] += lo.back() + hi.back();
    any |= lo.back() || hi.back();
  }
  if (!any)
    return input;
  return tensor::PadOp::create(b, loc, type.clone(shape), input,
                               getAsIndexOpFoldResult(b.getContext(), lo),
                               getAsIndexOpFoldResult(b.getContext(), hi), value);
}

/// Loops [N, C, E..., W...]: maps for the padded input (n, c, e*s + w*dil),
/// the window placeholder (w...) and the output (n, c, e...).
SmallVector<AffineMap> windowMaps(MLIRContext *ctx, const PoolGeometry &geo,
                                  unsigned outputs) {
  int64_t s = geo.spatial(), loops = 2 + 2 * s;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xe{d(0), d(1)}, we, ye{d(0), d(1)};
  for (int64_t i = 0; i < s; ++i) {
    xe.push_back(d(2 + i) * geo.strides[i] + d(2 + s + i) * geo.dilations[i]);
    we.push_back(d(2 + s + i));
    ye.push_back(d(2 + i));
  }
  SmallVector<AffineMap> maps{AffineMap::get(loops, 0, xe, ctx),
                              AffineMap::get(loops, 0, we, ctx)};
  maps.append(outputs, AffineMap::get(loops, 0, ye, ctx));
  return maps;
}

SmallVector<IteratorType> windowIterators(int64_t spatial) {
  SmallVector<IteratorType> iterators(2 + spatial, IteratorType::parallel);
  iterators.append(spatial, IteratorType::reduction);
  return iterators;
}

/// linalg.index of loops [first, first + n).
SmallVector<Value> loopIndices(OpBuilder &b, Location loc, int64_t first, int64_t n) {
  SmallVector<Value> v;
  for (int64_t i = 0; i < n; ++i)
    v.push_back(linalg::IndexOp::create(b, loc, first + i));
  return v;
}

/// A placeholder tensor whose shape gives the window loops their extent.
Value windowPlaceholder(OpBuilder &b, Location loc, const PoolGeometry &geo,
                        Type elementType) {
  return tensor::EmptyOp::create(b, loc, geo.window, elementType);
}

/// `values` [N, C, E...] divided by each position's window divisor.
Value divideByCount(OpBuilder &b, Location loc, Value values,
                    const PoolGeometry &geo) {
  auto type = llvm::cast<RankedTensorType>(values.getType());
  return buildElementwise(b, loc, type, values,
                          [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
                            auto e = loopIndices(nb, nloc, 2, geo.spatial());
                            Value count = geo.divisor(nb, nloc, e, args[0].getType());
                            return arith::DivFOp::create(nb, nloc, args[0], count);
                          });
}

struct PoolToLinalg : OpConversionPattern<PoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Value input = adaptor.getInput();
    auto inputType = llvm::cast<RankedTensorType>(input.getType());
    Type elementType = resultType.getElementType();
    PoolGeometry geo(op, inputType, resultType);
    bool isMax = op.getKind() == PoolKind::max;
    bool isUnsigned = isUnsignedElement(op.getInput());
    Value neutral = isMax ? lowestValue(rewriter, loc, elementType, isUnsigned)
                          : scalarConstant(rewriter, loc, elementType, 0.0);
    Value padded = padForWindows(rewriter, loc, input, geo, neutral);
    Value init = filledTensor(rewriter, loc, resultType, neutral);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{padded, windowPlaceholder(rewriter, loc, geo, elementType)},
        ValueRange{init}, windowMaps(rewriter.getContext(), geo, 1),
        windowIterators(geo.spatial()),
        [&](OpBuilder &b, Location bloc, ValueRange args) {
          Value r = isMax ? maxValue(b, bloc, args[2], args[0], isUnsigned)
                          : Value(arith::AddFOp::create(b, bloc, args[2], args[0]));
          linalg::YieldOp::create(b, bloc, r);
        });
    Value result = generic.getResult(0);
    if (!isMax)
      result = divideByCount(rewriter, loc, result, geo);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PoolBackwardToLinalg : OpConversionPattern<PoolBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PoolBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Value input = adaptor.getInput(), dy = adaptor.getGradOutput();
    auto dyType = llvm::cast<RankedTensorType>(dy.getType());
    Type elementType = resultType.getElementType();
    PoolGeometry geo(op, resultType, dyType);
    int64_t s = geo.spatial();
    bool isMax = op.getKind() == PoolKind::max;

    // What each output position sends back: its cotangent (max, with the
    // argmax tap) or its cotangent over the divisor (avg).
    Value argmax;
    if (isMax) {
      Value lowest = lowestValue(rewriter, loc, elementType, false);
      Value padded = padForWindows(rewriter, loc, input, geo, lowest);
      auto idxType = dyType.clone(rewriter.getI64Type());
      Value noTap = arith::ConstantIntOp::create(rewriter, loc, rewriter.getI64Type(),
                                                 std::numeric_limits<int64_t>::max());
      Value initMax = filledTensor(rewriter, loc, dyType, lowest);
      Value initIdx = filledTensor(rewriter, loc, idxType, noTap);
      auto generic = linalg::GenericOp::create(
          rewriter, loc, TypeRange{dyType, idxType},
          ValueRange{padded, windowPlaceholder(rewriter, loc, geo, elementType)},
          ValueRange{initMax, initIdx}, windowMaps(ctx, geo, 2),
          windowIterators(s), [&](OpBuilder &b, Location l, ValueRange args) {
            Value v = args[0], cur = args[2], curIdx = args[3];
            auto e = loopIndices(b, l, 2, s);
            auto w = loopIndices(b, l, 2 + s, s);
            Value tap = geo.flatTap(b, l, w);
            // The first maximal in-bounds tap, NaN counting as the largest;
            // independent of the order the taps are visited in.
            using P = arith::CmpFPredicate;
            Value vNan = arith::CmpFOp::create(b, l, P::UNO, v, v);
            Value curNan = arith::CmpFOp::create(b, l, P::UNO, cur, cur);
            Value notCurNan = arith::XOrIOp::create(
                b, l, curNan, arith::ConstantIntOp::create(b, l, 1, 1));
            Value greater = arith::OrIOp::create(
                b, l, arith::CmpFOp::create(b, l, P::OGT, v, cur),
                arith::AndIOp::create(b, l, vNan, notCurNan));
            Value equal = arith::OrIOp::create(
                b, l, arith::CmpFOp::create(b, l, P::OEQ, v, cur),
                arith::AndIOp::create(b, l, vNan, curNan));
            Value earlier = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                                  tap, curIdx);
            Value take = arith::OrIOp::create(
                b, l, greater, arith::AndIOp::create(b, l, equal, earlier));
            take = arith::AndIOp::create(b, l, take, geo.tapInBounds(b, l, e, w));
            linalg::YieldOp::create(
                b, l,
                ValueRange{arith::SelectOp::create(b, l, take, v, cur),
                           arith::SelectOp::create(b, l, take, tap, curIdx)});
          });
      argmax = generic.getResult(1);
    } else {
      dy = divideByCount(rewriter, loc, dy, geo);
    }

    // Loops [N, C, D..., W...].
    int64_t loops = 2 + 2 * s;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> we, xe{d(0), d(1)};
    for (int64_t i = 0; i < s; ++i) {
      we.push_back(d(2 + s + i));
      xe.push_back(d(2 + i));
    }
    SmallVector<AffineMap> maps{AffineMap::get(loops, 0, we, ctx),
                                AffineMap::get(loops, 0, xe, ctx)};
    Value init = filledTensor(rewriter, loc, resultType,
                              scalarConstant(rewriter, loc, elementType, 0.0));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{windowPlaceholder(rewriter, loc, geo, elementType)},
        ValueRange{init}, maps, windowIterators(s),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value acc = args[1];
          auto pos = loopIndices(b, l, 2, s);
          auto w = loopIndices(b, l, 2 + s, s);
          auto [hit, e] = geo.outputOf(b, l, pos, w);
          SmallVector<Value> at{linalg::IndexOp::create(b, l, 0),
                                linalg::IndexOp::create(b, l, 1)};
          at.append(e);
          if (isMax) {
            Value best = tensor::ExtractOp::create(b, l, argmax, at);
            hit = arith::AndIOp::create(
                b, l, hit,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, best,
                                      geo.flatTap(b, l, w)));
          }
          Value g = tensor::ExtractOp::create(b, l, dy, at);
          Value sum = arith::AddFOp::create(b, l, acc, g);
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::SelectOp::create(b, l, hit, sum, acc)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateDlccPoolingToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {
  patterns.add<PoolToLinalg, PoolBackwardToLinalg>(converter, patterns.getContext());
}

} // namespace mlir::dlcc
