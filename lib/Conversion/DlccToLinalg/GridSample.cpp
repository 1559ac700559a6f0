//===- GridSample.cpp - dlcc.grid_sample to linalg -------------------------===//
//
// One elementwise generic over the output [N, C, O...]: per spatial dim the
// grid's normalized coordinate (read with tensor.extract) becomes an input
// coordinate, adjusted by the padding mode as ONNX's reference does, then
// one (nearest), 2 (linear) or 4 (cubic) neighbours with weights; zeros
// padding makes neighbours outside the input read zero. Arithmetic in the
// element type (f32 for f16/bf16), as the reference's float32.
//
//===----------------------------------------------------------------------===//
#include "Sampling.h"

namespace mlir::dlcc {

namespace {

class GridSampleBody : public ScalarMath {
public:
  GridSampleBody(OpBuilder &b, Location loc, GridSampleOp op, Value grid,
                 Type ft)
      : ScalarMath(b, loc, ft), op(op), grid(grid) {}

  /// The taps along spatial dim `i` (of `k`) of extent `d`.
  Taps taps(int64_t i, int64_t k, int64_t d);

private:
  Value cmp(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  /// x reflected about [lo, hi] until inside (ONNX's _gs_reflect).
  Value reflect(Value x, double lo, double hi);
  /// Coordinate `x` as an index into [0, d), defined for every float.
  Value index(Value x, int64_t d);
  /// The input index of integral coordinate `x`, and whether it reads the
  /// input (zeros padding) or is moved inside (border, reflection).
  std::pair<Value, Value> pixel(Value x, int64_t d, double lo, double hi);

  GridSampleOp op;
  Value grid;
};

Value GridSampleBody::reflect(Value x, double lo, double hi) {
  double range = hi - lo;
  if (range <= 0)
    return f(lo);
  // dx past the border `near`: after n whole ranges, r remains; an even
  // count lands r inside from `near`, an odd one r inside from `far`.
  auto fold = [&](Value dx, double near, double far, double inward) {
    Value n = math::FloorOp::create(b, loc, div(dx, f(range)));
    Value r = sub(dx, mul(n, f(range)));
    Value isEven = cmp(arith::CmpFPredicate::OEQ,
                       arith::RemFOp::create(b, loc, n, f(2.0)), f(0.0));
    return select(isEven, add(f(near), mul(f(inward), r)),
                  sub(f(far), mul(f(inward), r)));
  };
  Value below = fold(sub(f(lo), x), lo, hi, 1.0);
  Value above = fold(sub(x, f(hi)), hi, lo, -1.0);
  return select(cmp(arith::CmpFPredicate::OLT, x, f(lo)), below,
                select(cmp(arith::CmpFPredicate::OGT, x, f(hi)), above, x));
}

Value GridSampleBody::index(Value x, int64_t d) {
  // fptosi of NaN or of a value past int64 is poison: bring x into
  // [-1, d] first (NaN to -1), as a float.
  Value isNaN = cmp(arith::CmpFPredicate::UNO, x, x);
  Value bounded = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, x, f(-1.0)), f(double(d)));
  return clamp(toIndex(select(isNaN, f(-1.0), bounded)), d);
}

std::pair<Value, Value> GridSampleBody::pixel(Value x, int64_t d, double lo,
                                              double hi) {
  switch (op.getPaddingMode()) {
  case GridPadding::zeros: {
    Value inside = arith::AndIOp::create(
        b, loc, cmp(arith::CmpFPredicate::OGE, x, f(0.0)),
        cmp(arith::CmpFPredicate::OLE, x, f(double(d - 1))));
    return {index(x, d), inside};
  }
  case GridPadding::border:
    return {index(x, d), Value()};
  case GridPadding::reflection:
    return {index(reflect(x, lo, hi), d), Value()};
  }
  llvm_unreachable("unknown padding");
}

Taps GridSampleBody::taps(int64_t i, int64_t k, int64_t d) {
  // grid[n, o..., k - 1 - i]: the last entry indexes the first spatial dim.
  SmallVector<Value> at{linalg::IndexOp::create(b, loc, 0)};
  for (int64_t j = 0; j < k; ++j)
    at.push_back(linalg::IndexOp::create(b, loc, 2 + j));
  at.push_back(idx(k - 1 - i));
  Value g = tensor::ExtractOp::create(b, loc, grid, at);
  if (g.getType() != ft)
    g = arith::ExtFOp::create(b, loc, ft, g);
  bool align = op.getAlignCorners();
  Value x = align ? mul(div(add(g, f(1.0)), f(2.0)), f(double(d - 1)))
                  : div(sub(mul(add(g, f(1.0)), f(double(d))), f(1.0)), f(2.0));
  double lo = align ? 0.0 : -0.5, hi = align ? double(d - 1) : double(d) - 0.5;
  if (op.getMode() == ResizeMode::nearest)
    x = math::RoundEvenOp::create(b, loc, x);
  // Border and reflection move a coordinate outside onto the input first,
  // except for cubic, where (as in PyTorch and onnxruntime; ONNX's
  // reference moves it) only each neighbour is moved.
  if (op.getPaddingMode() != GridPadding::zeros &&
      op.getMode() != ResizeMode::cubic) {
    Value outside = arith::OrIOp::create(
        b, loc, cmp(arith::CmpFPredicate::OLT, x, f(lo)),
        cmp(arith::CmpFPredicate::OGT, x, f(hi)));
    Value moved =
        op.getPaddingMode() == GridPadding::border
            ? Value(arith::MinimumFOp::create(
                  b, loc, arith::MaximumFOp::create(b, loc, x, f(0.0)),
                  f(double(d - 1))))
            : reflect(x, lo, hi);
    x = select(outside, moved, x);
  }
  Taps t;
  SmallVector<Value> points;
  if (op.getMode() == ResizeMode::nearest) {
    points.push_back(x);
  } else {
    Value x0 = math::FloorOp::create(b, loc, x);
    Value r = sub(x, x0);
    int64_t first = 0;
    if (op.getMode() == ResizeMode::linear) {
      t.weights = {sub(f(1.0), r), r};
    } else {
      t.weights = cubicWeights(r, -0.75);
      first = -1;
    }
    for (size_t j = 0; j < t.weights.size(); ++j)
      points.push_back(add(x0, f(double(first + int64_t(j)))));
  }
  for (Value p : points) {
    auto [index, valid] = pixel(p, d, lo, hi);
    t.indices.push_back(index);
    if (valid)
      t.valid.push_back(valid);
  }
  return t;
}

struct GridSampleLowering : OpConversionPattern<GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GridSampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedType(*getTypeConverter(), op.getType());
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    int64_t k = int64_t(in.size()) - 2;
    Value src = adaptor.getInput(), grid = adaptor.getGrid();
    Value result = buildSamplingKernel(
        rewriter, loc, type, [&](OpBuilder &b, Location l, Type acc) {
          GridSampleBody body(b, l, op, grid, acc);
          SmallVector<Taps> taps(2);
          taps[0].indices.push_back(linalg::IndexOp::create(b, l, 0));
          taps[1].indices.push_back(linalg::IndexOp::create(b, l, 1));
          for (int64_t i = 0; i < k; ++i)
            taps.push_back(body.taps(i, k, in[2 + i]));
          return weightedSum(b, l, src, taps, acc);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateDlccGridSampleToLinalgPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<GridSampleLowering>(converter, patterns.getContext());
}

} // namespace mlir::dlcc
