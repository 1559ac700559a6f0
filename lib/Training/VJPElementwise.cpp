//===- VJPElementwise.cpp - reverse-mode rules of elementwise ops ---------===//
//
// Operands and results share one type (no implicit broadcasting: the
// importer made it explicit), so every cotangent has the result's shape.
// Ties follow PyTorch: relu'(0) = 0, Max/Min split ties, clamp passes the
// gradient on [min, max]. Floor and ceil pass none (piecewise constant).
//
//===----------------------------------------------------------------------===//
#include "VJPRules.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

namespace mlir::dlcc::training {
namespace {

Value sub(OpBuilder &b, Location l, Value x, Value y) { return SubOp::create(b, l, x, y); }
Value mul(OpBuilder &b, Location l, Value x, Value y) { return MulOp::create(b, l, x, y); }
Value div(OpBuilder &b, Location l, Value x, Value y) { return DivOp::create(b, l, x, y); }
Value neg(OpBuilder &b, Location l, Value x) { return NegOp::create(b, l, x); }
Value scale(OpBuilder &b, Location l, Value x, double c) {
  return mul(b, l, x, splatLike(b, l, x, c));
}
Value compare(OpBuilder &b, Location l, ComparisonDirection d, Value x, Value y) {
  return CompareOp::create(b, l, d, x, y);
}
Value select(OpBuilder &b, Location l, Value p, Value x, Value y) {
  return SelectOp::create(b, l, p, x, y);
}
Value zerosLike(OpBuilder &b, Location l, Value x) { return splatLike(b, l, x, 0); }

LogicalResult addRule(AddOp op, OpBuilder &, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  dxs.assign({dys[0], dys[0]});
  return success();
}

LogicalResult subRule(SubOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  dxs.assign({dys[0], neg(b, op.getLoc(), dys[0])});
  return success();
}

LogicalResult mulRule(MulOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  dxs.assign({mul(b, l, dys[0], op.getRhs()), mul(b, l, dys[0], op.getLhs())});
  return success();
}

// d(x/y) = g/y, -g*(x/y)/y.
LogicalResult divRule(DivOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value dx = div(b, l, dys[0], op.getRhs());
  dxs.assign({dx, neg(b, l, mul(b, l, dx, op.getResult()))});
  return success();
}

LogicalResult negRule(NegOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  dxs.assign({neg(b, op.getLoc(), dys[0])});
  return success();
}

LogicalResult expRule(ExpOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  dxs.assign({mul(b, op.getLoc(), dys[0], op.getResult())});
  return success();
}

LogicalResult logRule(LogOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  dxs.assign({div(b, op.getLoc(), dys[0], op.getOperand())});
  return success();
}

// d sqrt(x) = g / (2 sqrt(x)).
LogicalResult sqrtRule(SqrtOp op, OpBuilder &b, ValueRange dys,
                       SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  dxs.assign({div(b, l, dys[0], scale(b, l, op.getResult(), 2.0))});
  return success();
}

// d x^(-1/2) = -g/2 * y^3.
LogicalResult rsqrtRule(RsqrtOp op, OpBuilder &b, ValueRange dys,
                        SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value y = op.getResult();
  dxs.assign({mul(b, l, scale(b, l, dys[0], -0.5), mul(b, l, y, mul(b, l, y, y)))});
  return success();
}

// d tanh = g (1 - y^2).
LogicalResult tanhRule(TanhOp op, OpBuilder &b, ValueRange dys,
                       SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value y = op.getResult();
  Value one = splatLike(b, l, y, 1.0);
  dxs.assign({mul(b, l, dys[0], sub(b, l, one, mul(b, l, y, y)))});
  return success();
}

// d sigmoid = g y (1 - y).
LogicalResult logisticRule(LogisticOp op, OpBuilder &b, ValueRange dys,
                           SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value y = op.getResult();
  Value one = splatLike(b, l, y, 1.0);
  dxs.assign({mul(b, l, dys[0], mul(b, l, y, sub(b, l, one, y)))});
  return success();
}

// d erf = g 2/sqrt(pi) exp(-x^2).
LogicalResult erfRule(ErfOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value x = op.getOperand();
  Value e = ExpOp::create(b, l, neg(b, l, mul(b, l, x, x)));
  dxs.assign({mul(b, l, dys[0], scale(b, l, e, 2.0 / std::sqrt(M_PI)))});
  return success();
}

/// g * Sign * Derivative(x): sin' = cos, cos' = -sin, sinh' = cosh,
/// cosh' = sinh.
template <typename OpTy, typename DerivativeOp, int Sign>
LogicalResult derivativeOpRule(OpTy op, OpBuilder &b, ValueRange dys,
                               SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value dx = mul(b, l, dys[0], DerivativeOp::create(b, l, op.getOperand()));
  dxs.assign({Sign < 0 ? neg(b, l, dx) : dx});
  return success();
}

// |x|' = sign(x), 0 at 0 (PyTorch).
LogicalResult absRule(AbsOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value x = op.getOperand(), g = dys[0], zero = zerosLike(b, l, x);
  dxs.assign({select(b, l, compare(b, l, ComparisonDirection::gt, x, zero), g,
                select(b, l, compare(b, l, ComparisonDirection::lt, x, zero),
                       neg(b, l, g), zero))});
  return success();
}

// x^y: g y x^(y-1), g x^y log(x) (0 where x = 0, as PyTorch's masked rule).
LogicalResult powRule(PowOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value x = op.getLhs(), y = op.getRhs(), g = dys[0];
  if (!isa<FloatType>(getElementTypeOrSelf(x.getType())))
    return success();
  Value one = splatLike(b, l, y, 1.0), zero = zerosLike(b, l, x);
  Value dx = mul(b, l, mul(b, l, g, y), PowOp::create(b, l, x, sub(b, l, y, one)));
  Value logx = LogOp::create(b, l, x);
  Value dy = mul(b, l, mul(b, l, g, op.getResult()), logx);
  dy = select(b, l, compare(b, l, ComparisonDirection::eq, x, zero), zero, dy);
  dxs.assign({dx, dy});
  return success();
}

LogicalResult tanRule(TanOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value y = op.getResult();
  Value one = splatLike(b, l, y, 1.0);
  dxs.assign({mul(b, l, dys[0], AddOp::create(b, l, one, mul(b, l, y, y)))});
  return success();
}

/// Factor * g / sqrt(Sign x^2 + Constant) (each +-1): asin (-1, 1, 1),
/// acos (-1, 1, -1), asinh (1, 1, 1), acosh (1, -1, 1).
template <typename OpTy, int Sign, int Constant, int Factor>
LogicalResult inverseTrigRule(OpTy op, OpBuilder &b, ValueRange dys,
                              SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value x = op.getOperand();
  Value xx = mul(b, l, x, x);
  Value root = SqrtOp::create(
      b, l, AddOp::create(b, l, Sign < 0 ? neg(b, l, xx) : xx,
                          splatLike(b, l, x, Constant)));
  Value dx = div(b, l, dys[0], root);
  dxs.assign({Factor < 0 ? neg(b, l, dx) : dx});
  return success();
}

/// g / (1 + sign x^2): atan (sign 1), atanh (sign -1).
template <typename OpTy, int Sign>
LogicalResult inverseTangentRule(OpTy op, OpBuilder &b, ValueRange dys,
                                 SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value x = op.getOperand();
  Value d = AddOp::create(b, l, splatLike(b, l, x, 1.0),
                          scale(b, l, mul(b, l, x, x), Sign));
  dxs.assign({div(b, l, dys[0], d)});
  return success();
}

/// Floor and ceil are piecewise constant: no cotangent flows back.
template <typename OpTy>
LogicalResult piecewiseConstantRule(OpTy, OpBuilder &, ValueRange,
                                    SmallVectorImpl<Value> &) {
  return success();
}

// fmod(x, y) = x - trunc(x / y) y: g, and -g trunc(x / y) = -g (x - r) / y.
LogicalResult remRule(RemOp op, OpBuilder &b, ValueRange dys,
                      SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value x = op.getLhs(), y = op.getRhs(), g = dys[0];
  if (!isa<FloatType>(getElementTypeOrSelf(x.getType())))
    return success();
  Value quotient = div(b, l, sub(b, l, x, op.getResult()), y);
  dxs.assign({g, neg(b, l, mul(b, l, g, quotient))});
  return success();
}

/// Whether `v` is a constant (a splat or any dense value): the bound of a
/// relu or a clamp rather than a second variable.
bool isConstant(Value v) { return matchPattern(v, m_Constant()); }

/// max(x, y) and min(x, y). Against a constant bound: relu (max with 0)
/// passes the gradient where x > 0 only (relu'(0) = 0); any other bound is a
/// clamp, which passes it on the closed range. Two variables split ties.
template <typename OpTy>
LogicalResult extremumRule(OpTy op, OpBuilder &b, ValueRange dys,
                           SmallVectorImpl<Value> &dxs) {
  constexpr bool isMax = std::is_same_v<OpTy, MaxOp>;
  Location l = op.getLoc();
  Value x = op.getLhs(), y = op.getRhs(), g = dys[0];
  Value zero = zerosLike(b, l, g);
  auto strict = isMax ? ComparisonDirection::gt : ComparisonDirection::lt;
  auto loose = isMax ? ComparisonDirection::ge : ComparisonDirection::le;
  for (int side = 0; side < 2; ++side) {
    Value var = side ? y : x, bound = side ? x : y;
    if (!isConstant(bound) || isConstant(var))
      continue;
    bool relu = isMax && matchPattern(bound, m_AnyZeroFloat());
    Value pass = compare(b, l, relu ? strict : loose, var, bound);
    dxs[side] = select(b, l, pass, g, zero);
    return success();
  }
  Value half = scale(b, l, g, 0.5);
  Value tie = compare(b, l, ComparisonDirection::eq, x, y);
  Value xWins = compare(b, l, strict, x, y), yWins = compare(b, l, strict, y, x);
  dxs[0] = select(b, l, xWins, g, select(b, l, tie, half, zero));
  dxs[1] = select(b, l, yWins, g, select(b, l, tie, half, zero));
  return success();
}

// The predicate carries no derivative.
LogicalResult selectRule(SelectOp op, OpBuilder &b, ValueRange dys,
                         SmallVectorImpl<Value> &dxs) {
  Location l = op.getLoc();
  Value g = dys[0], zero = zerosLike(b, l, g);
  dxs[1] = select(b, l, op.getPred(), g, zero);
  dxs[2] = select(b, l, op.getPred(), zero, g);
  return success();
}

// Float to float: the cotangent converted back; from integers: none.
LogicalResult convertRule(ConvertOp op, OpBuilder &b, ValueRange dys,
                          SmallVectorImpl<Value> &dxs) {
  if (isa<FloatType>(getElementTypeOrSelf(op.getOperand().getType())))
    dxs[0] = ConvertOp::create(b, op.getLoc(), op.getOperand().getType(), dys[0]);
  return success();
}

} // namespace

void registerElementwiseVJPs(MLIRContext *ctx) {
  attachRule<AddOp, addRule>(ctx);
  attachRule<SubOp, subRule>(ctx);
  attachRule<MulOp, mulRule>(ctx);
  attachRule<DivOp, divRule>(ctx);
  attachRule<NegOp, negRule>(ctx);
  attachRule<ExpOp, expRule>(ctx);
  attachRule<LogOp, logRule>(ctx);
  attachRule<SqrtOp, sqrtRule>(ctx);
  attachRule<RsqrtOp, rsqrtRule>(ctx);
  attachRule<TanhOp, tanhRule>(ctx);
  attachRule<LogisticOp, logisticRule>(ctx);
  attachRule<ErfOp, erfRule>(ctx);
  attachRule<SinOp, derivativeOpRule<SinOp, CosOp, 1>>(ctx);
  attachRule<CosOp, derivativeOpRule<CosOp, SinOp, -1>>(ctx);
  attachRule<TanOp, tanRule>(ctx);
  attachRule<AsinOp, inverseTrigRule<AsinOp, -1, 1, 1>>(ctx);
  attachRule<AcosOp, inverseTrigRule<AcosOp, -1, 1, -1>>(ctx);
  attachRule<AtanOp, inverseTangentRule<AtanOp, 1>>(ctx);
  attachRule<SinhOp, derivativeOpRule<SinhOp, CoshOp, 1>>(ctx);
  attachRule<CoshOp, derivativeOpRule<CoshOp, SinhOp, 1>>(ctx);
  attachRule<AsinhOp, inverseTrigRule<AsinhOp, 1, 1, 1>>(ctx);
  attachRule<AcoshOp, inverseTrigRule<AcoshOp, 1, -1, 1>>(ctx);
  attachRule<AtanhOp, inverseTangentRule<AtanhOp, -1>>(ctx);
  attachRule<FloorOp, piecewiseConstantRule<FloorOp>>(ctx);
  attachRule<CeilOp, piecewiseConstantRule<CeilOp>>(ctx);
  attachRule<RemOp, remRule>(ctx);
  attachRule<AbsOp, absRule>(ctx);
  attachRule<PowOp, powRule>(ctx);
  attachRule<MaxOp, extremumRule<MaxOp>>(ctx);
  attachRule<MinOp, extremumRule<MinOp>>(ctx);
  attachRule<SelectOp, selectRule>(ctx);
  attachRule<ConvertOp, convertRule>(ctx);
}

} // namespace mlir::dlcc::training
