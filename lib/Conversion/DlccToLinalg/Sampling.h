//===- Sampling.h - helpers of the resize and grid-sample lowerings -----===//
//
// Both lowerings build one elementwise generic over the output whose body
// computes, per sampled dimension, a few neighbour indices with weights
// (Taps), then reads the input with tensor.extract and sums separably.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_LIB_CONVERSION_DLCCTOLINALG_SAMPLING_H
#define DLCC_LIB_CONVERSION_DLCCTOLINALG_SAMPLING_H

#include "LinalgBuilders.h"

namespace mlir::dlcc {

/// Scalar arithmetic in one float type `ft`, and index helpers.
class ScalarMath {
public:
  ScalarMath(OpBuilder &b, Location loc, Type ft) : b(b), loc(loc), ft(ft) {}

  Value f(double v) {
    return arith::ConstantOp::create(b, loc, ft, b.getFloatAttr(ft, v));
  }
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  /// A float (integral or truncated toward zero) as an index.
  Value toIndex(Value x) {
    Value i = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), i);
  }
  Value clamp(Value i, int64_t size) {
    i = arith::MaxSIOp::create(b, loc, i, idx(0));
    return arith::MinSIOp::create(b, loc, i, idx(size - 1));
  }
  /// Keys' cubic convolution weights (coefficient `a`) of the 4 neighbours
  /// of a point at distance `r` in [0, 1] past the second one.
  SmallVector<Value> cubicWeights(Value r, double a);

protected:
  OpBuilder &b;
  Location loc;
  Type ft;
};

/// The neighbours one output point reads along one dimension.
struct Taps {
  SmallVector<Value> indices; // within the input's extent
  SmallVector<Value> weights; // empty for a single unweighted tap
  SmallVector<Value> valid;   // i1 per tap; empty when all read the input
  Value outside;              // i1: the point reads no input at all
};

/// The weighted sum of `src` over the taps of every dimension, innermost
/// first (as ONNX's reference nests it), accumulated in `acc`; a tap that is
/// not valid reads zero.
Value weightedSum(OpBuilder &b, Location loc, Value src, ArrayRef<Taps> taps,
                  Type acc);

/// The sampling kernel of a result of `type`: one elementwise generic
/// whose body `sample` returns the point's value in `acc` (the element
/// type, f32 for f16 and bf16), narrowed to the element type here; an
/// empty result is just an empty tensor.
Value buildSamplingKernel(
    OpBuilder &b, Location loc, RankedTensorType type,
    function_ref<Value(OpBuilder &, Location, Type acc)> sample);

} // namespace mlir::dlcc

#endif
