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
#include "Sampling.h"

namespace mlir::dlcc {

namespace {

class ResizeBodyBuilder : public ScalarMath {
public:
  ResizeBodyBuilder(OpBuilder &b, Location loc, ResizeOp op)
      : ScalarMath(b, loc, b.getF64Type()), op(op) {}

  Taps taps(int64_t d, int64_t in, int64_t out);

private:
  Value coordinate(int64_t d, int64_t in, int64_t out, Value &outside);
  Value nearest(Value x, double scale);

  ResizeOp op;
};

/// The input coordinate of this point's index along `d` (ONNX Resize's
/// coordinate_transformation_mode; `output_width` is scale * input, a real).
Value ResizeBodyBuilder::coordinate(int64_t d, int64_t in, int64_t out,
                                    Value &outside) {
  double scale = op.getScales()[d];
  double inW = double(in), outW = scale * inW;
  Value i = arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                       linalg::IndexOp::create(b, loc, d));
  Value x = arith::SIToFPOp::create(b, loc, ft, i);
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
    t.weights = cubicWeights(r, op.getCubicCoeffA().convertToDouble());
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
    Value result = buildSamplingKernel(
        rewriter, loc, type, [&](OpBuilder &b, Location l, Type acc) {
          ResizeBodyBuilder body(b, l, op);
          SmallVector<Taps> taps;
          Value outside;
          for (int64_t d = 0; d < rank; ++d) {
            taps.push_back(body.taps(d, in[d], type.getDimSize(d)));
            if (Value o = taps.back().outside)
              outside = outside ? arith::OrIOp::create(b, l, outside, o).getResult()
                                : o;
          }
          Value v = weightedSum(b, l, src, taps, acc);
          if (!outside)
            return v;
          return arith::SelectOp::create(
                     b, l, outside,
                     scalarConstant(b, l, acc,
                                    op.getExtrapolationValue().convertToDouble()),
                     v)
              .getResult();
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
