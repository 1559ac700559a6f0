//===- Sampling.cpp - helpers of the resize and grid-sample lowerings ---===//
#include "Sampling.h"

#include <functional>

namespace mlir::dlcc {

SmallVector<Value> ScalarMath::cubicWeights(Value r, double a) {
  // Outer taps at distance t in [1, 2]: ((A t - 5A) t + 8A) t - 4A; inner
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

Value weightedSum(OpBuilder &b, Location loc, Value src, ArrayRef<Taps> taps,
                  Type acc) {
  int64_t rank = taps.size();
  auto toAcc = [&](Value v) -> Value {
    Type t = v.getType();
    if (t == acc)
      return v;
    if (t.getIntOrFloatBitWidth() > acc.getIntOrFloatBitWidth())
      return arith::TruncFOp::create(b, loc, acc, v);
    return arith::ExtFOp::create(b, loc, acc, v);
  };
  SmallVector<Value> at(rank);
  Value valid;
  std::function<Value(int64_t)> sum = [&](int64_t d) -> Value {
    if (d == rank) {
      Value v = tensor::ExtractOp::create(b, loc, src, at);
      if (llvm::isa<FloatType>(v.getType()))
        v = toAcc(v);
      if (!valid)
        return v;
      Value zero = arith::ConstantOp::create(b, loc, v.getType(),
                                             b.getZeroAttr(v.getType()));
      return arith::SelectOp::create(b, loc, valid, v, zero);
    }
    const Taps &t = taps[d];
    Value outerValid = valid;
    auto pick = [&](size_t j) {
      at[d] = t.indices[j];
      if (!t.valid.empty())
        valid = outerValid
                    ? arith::AndIOp::create(b, loc, outerValid, t.valid[j])
                          .getResult()
                    : t.valid[j];
    };
    if (t.weights.empty()) {
      pick(0);
      Value v = sum(d + 1);
      valid = outerValid;
      return v;
    }
    Value total;
    for (size_t j = 0; j < t.indices.size(); ++j) {
      pick(j);
      Value term = arith::MulFOp::create(b, loc, toAcc(t.weights[j]), sum(d + 1));
      total = total ? arith::AddFOp::create(b, loc, total, term).getResult()
                    : term;
    }
    valid = outerValid;
    return total;
  };
  return sum(0);
}

Value buildSamplingKernel(
    OpBuilder &b, Location loc, RankedTensorType type,
    function_ref<Value(OpBuilder &, Location, Type acc)> sample) {
  Type element = type.getElementType();
  if (type.getNumElements() == 0)
    return tensor::EmptyOp::create(b, loc, type.getShape(), element);
  Type acc = element.isF16() || element.isBF16() ? b.getF32Type() : element;
  return buildElementwise(
      b, loc, type, ValueRange{},
      [&](OpBuilder &nb, Location l, ValueRange) -> Value {
        Value v = sample(nb, l, acc);
        return v.getType() == element
                   ? v
                   : arith::TruncFOp::create(nb, l, element, v).getResult();
      });
}

} // namespace mlir::dlcc
