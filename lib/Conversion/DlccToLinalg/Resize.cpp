//===- Resize.cpp - dlcc.resize to linalg ----------------------------------===//
//
// One elementwise generic over the output whose body reads the input with
// tensor.extract (a gather): per resized dimension the output index becomes
// an input coordinate (f64, in the order of ONNX's reference arithmetic),
// then one nearest index or 2 (linear) / 4 (cubic) clamped neighbour
// indices with weights; the value is the separable weighted sum, innermost
// dimension first as the reference nests it. Dimensions that keep their
// extent with scale 1 read the output index itself.
//
//===----------------------------------------------------------------------===//
#include "LinalgBuilders.h"

namespace mlir::dlcc {

void populateDlccResizeToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns);

namespace {

/// The neighbours one output index reads along one dimension.
struct Taps {
  SmallVector<Value> indices; // clamped to [0, extent)
  SmallVector<Value> weights; // f64; empty for a single unweighted tap
  Value outside;              // i1, tf_crop_and_resize only
};

class ResizeBodyBuilder {
public:
  ResizeBodyBuilder(OpBuilder &b, Location loc, ResizeOp op)
      : b(b), loc(loc), op(op), f64(b.getF64Type()) {}

  Taps taps(int64_t d, int64_t in, int64_t out);

private:
  Value f(double v) {
    return arith::ConstantOp::create(b, loc, f64, b.getF64FloatAttr(v));
  }
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value toIndex(Value x) {
    Value i = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), i);
  }
  Value clamp(Value i, int64_t in) {
    i = arith::MaxSIOp::create(b, loc, i, idx(0));
    return arith::MinSIOp::create(b, loc, i, idx(in - 1));
  }
  Value coordinate(int64_t d, int64_t in, int64_t out, Value &outside);
  Value nearest(Value x, double scale);
  SmallVector<Value> cubicWeights(Value r);

  OpBuilder &b;
  Location loc;
  ResizeOp op;
  Type f64;
};

/// The input coordinate of this point's index along `d` (ONNX Resize's
/// coordinate_transformation_mode; `output_width` is scale * input, a real).
Value ResizeBodyBuilder::coordinate(int64_t d, int64_t in, int64_t out,
                                    Value &outside) {
  double scale = op.getScales()[d];
  double inW = double(in), outW = scale * inW;
  Value i = arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                       linalg::IndexOp::create(b, loc, d));
  Value x = arith::SIToFPOp::create(b, loc, f64, i);
  auto halfPixel = [&] { return sub(div(add(x, f(0.5)), f(scale)), f(0.5)); };
  switch (op.getCoordinateTransformationMode()) {
  case ResizeCoordinates::half_pixel:
    return halfPixel();
  case ResizeCoordinates::half_pixel_symmetric: {
    double adjustment = double(out) / outW;
    double offset = inW / 2 * (1 - adjustment);
    return add(f(offset), halfPixel());
  }
  case ResizeCoordinates::pytorch_half_pixel:
    return outW == 1 ? f(-0.5) : halfPixel();
  case ResizeCoordinates::align_corners:
    return outW == 1 ? f(0.0) : div(mul(x, f(inW - 1)), f(outW - 1));
  case ResizeCoordinates::asymmetric:
    return div(x, f(scale));
  case ResizeCoordinates::tf_half_pixel_for_nn: // Resize-11 only
    return div(add(x, f(0.5)), f(scale));
  case ResizeCoordinates::tf_crop_and_resize: {
    int64_t rank = op.getScales().size();
    double start = op.getRoi()[d], end = op.getRoi()[rank + d];
    Value c = outW == 1 ? f((end - start) * (inW - 1) / 2)
                        : div(mul(mul(x, f(end - start)), f(inW - 1)),
                              f(outW - 1));
    c = add(c, f(start * (inW - 1)));
    Value below = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, c,
                                        f(0.0));
    Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, c,
                                        f(inW - 1));
    outside = arith::OrIOp::create(b, loc, below, above);
    return c;
  }
  }
  llvm_unreachable("unknown coordinate transformation");
}

/// The nearest input index of coordinate `x` (unclamped).
Value ResizeBodyBuilder::nearest(Value x, double scale) {
  Value lo = math::FloorOp::create(b, loc, x);
  auto pick = [&](arith::CmpFPredicate up, double half) {
    Value r = sub(x, lo), hi = add(lo, f(1.0));
    Value roundUp = arith::CmpFOp::create(b, loc, up, r, f(half));
    return arith::SelectOp::create(b, loc, roundUp, hi, lo).getResult();
  };
  switch (op.getNearestMode()) {
  case ResizeRounding::round_prefer_floor:
    return toIndex(pick(arith::CmpFPredicate::OGT, 0.5));
  case ResizeRounding::round_prefer_ceil:
    return toIndex(pick(arith::CmpFPredicate::OGE, 0.5));
  case ResizeRounding::floor:
    return toIndex(lo);
  case ResizeRounding::ceil:
    return toIndex(math::CeilOp::create(b, loc, x));
  case ResizeRounding::simple: // onnxruntime: truncate growing, ceil shrinking
    return toIndex(scale >= 1 ? x : math::CeilOp::create(b, loc, x).getResult());
  }
  llvm_unreachable("unknown rounding");
}

/// Keys' cubic convolution weights of the 4 neighbours of a point at
/// distance `r` in (0, 1] past the second one (ONNX's _cubic_coeffs).
SmallVector<Value> ResizeBodyBuilder::cubicWeights(Value r) {
  double a = op.getCubicCoeffA().convertToDouble();
  // Outer taps at distance t in [1, 2): ((A t - 5A) t + 8A) t - 4A; inner
  // ones at t in [0, 1]: ((A + 2) t - (A + 3)) t t + 1.
  auto outer = [&](Value t) {
    return sub(mul(add(mul(sub(mul(f(a), t), f(5 * a)), t), f(8 * a)), t),
               f(4 * a));
  };
  auto inner = [&](Value t) {
    return add(mul(mul(sub(mul(f(a + 2), t), f(a + 3)), t), t), f(1.0));
  };
  Value s = sub(f(1.0), r);
  return {outer(add(r, f(1.0))), inner(r), inner(s), outer(add(s, f(1.0)))};
}

Taps ResizeBodyBuilder::taps(int64_t d, int64_t in, int64_t out) {
  Taps t;
  double scale = op.getScales()[d];
  bool crop = op.getCoordinateTransformationMode() ==
              ResizeCoordinates::tf_crop_and_resize;
  bool pytorchSingle = op.getCoordinateTransformationMode() ==
                           ResizeCoordinates::pytorch_half_pixel &&
                       scale * double(in) == 1;
  if (scale == 1 && in == out && !crop && !pytorchSingle) {
    t.indices.push_back(linalg::IndexOp::create(b, loc, d));
    return t;
  }
  Value x = coordinate(d, in, out, t.outside);
  if (op.getMode() == ResizeMode::nearest) {
    t.indices.push_back(clamp(nearest(x, scale), in));
    return t;
  }
  // base = ceil(x) - 1, so that the ratio x - base is in (0, 1] (an
  // integral coordinate takes the upper of two neighbours, as the reference).
  Value base = sub(math::CeilOp::create(b, loc, x), f(1.0));
  Value r = sub(x, base);
  int64_t first;
  if (op.getMode() == ResizeMode::linear) {
    t.weights = {sub(f(1.0), r), r};
    first = 0;
  } else {
    t.weights = cubicWeights(r);
    first = -1;
  }
  Value baseIndex = toIndex(base);
  Value sum;
  for (size_t j = 0; j < t.weights.size(); ++j) {
    Value i = arith::AddIOp::create(b, loc, baseIndex,
                                    idx(first + int64_t(j)));
    if (op.getExcludeOutside()) {
      Value inside = arith::AndIOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, i, idx(0)),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, idx(in)));
      t.weights[j] =
          arith::SelectOp::create(b, loc, inside, t.weights[j], f(0.0));
      sum = sum ? add(sum, t.weights[j]) : t.weights[j];
    }
    t.indices.push_back(clamp(i, in));
  }
  if (sum)
    for (Value &w : t.weights)
      w = div(w, sum);
  return t;
}

struct ResizeLowering : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedType(*getTypeConverter(), op.getType());
    Value src = adaptor.getOperand();
    ArrayRef<int64_t> in = op.getOperand().getType().getShape();
    int64_t rank = type.getRank();
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                                     type.getElementType()));
      return success();
    }
    Type element = type.getElementType();
    // Weighted sums accumulate in f32 for narrower floats.
    Type acc = element.isF16() || element.isBF16() ? rewriter.getF32Type()
                                                   : element;
    Value result = buildElementwise(
        rewriter, loc, type, ValueRange{},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          ResizeBodyBuilder body(b, l, op);
          SmallVector<Taps> taps;
          Value outside;
          for (int64_t d = 0; d < rank; ++d) {
            taps.push_back(body.taps(d, in[d], type.getDimSize(d)));
            if (Value o = taps.back().outside)
              outside = outside ? arith::OrIOp::create(b, l, outside, o).getResult()
                                : o;
          }
          // The weighted sum over dims d.. with the indices before d fixed.
          SmallVector<Value> at(rank);
          std::function<Value(int64_t)> sum = [&](int64_t d) -> Value {
            if (d == rank) {
              Value v = tensor::ExtractOp::create(b, l, src, at);
              return v.getType() == acc ? v
                                        : arith::ExtFOp::create(b, l, acc, v)
                                              .getResult();
            }
            const Taps &t = taps[d];
            if (t.weights.empty()) {
              at[d] = t.indices[0];
              return sum(d + 1);
            }
            Value total;
            for (size_t j = 0; j < t.indices.size(); ++j) {
              at[d] = t.indices[j];
              Value w = acc.isF64() ? t.weights[j]
                                    : arith::TruncFOp::create(b, l, acc,
                                                              t.weights[j])
                                          .getResult();
              Value term = arith::MulFOp::create(b, l, w, sum(d + 1));
              total = total ? arith::AddFOp::create(b, l, total, term).getResult()
                            : term;
            }
            return total;
          };
          Value v = sum(0);
          if (v.getType() != element)
            v = arith::TruncFOp::create(b, l, element, v);
          if (outside)
            v = arith::SelectOp::create(
                b, l, outside,
                scalarConstant(b, l, element,
                               op.getExtrapolationValue().convertToDouble()),
                v);
          return v;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateDlccResizeToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(converter, patterns.getContext());
}

} // namespace mlir::dlcc
