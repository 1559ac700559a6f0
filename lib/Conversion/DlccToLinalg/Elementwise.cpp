//===- Elementwise.cpp - dlcc elementwise ops to linalg.generic -----------===//
//
// Every elementwise dlcc op becomes one all-parallel linalg.generic whose body
// is the scalar arith/math op. Integer semantics follow the dlcc element type:
// signed unless the dlcc type was unsigned (ui8...), division truncates.
//
//===----------------------------------------------------------------------===//
#include "LinalgBuilders.h"

namespace mlir::dlcc {
namespace {

/// What a scalar body needs beyond its arguments.
struct ScalarInfo {
  Type operandType; // converted (signless) element type of operand 0
  Type resultType;  // converted element type of the result
  bool isUnsigned;  // whether the dlcc operand type was unsigned
  bool isFloat() const { return llvm::isa<FloatType>(operandType); }
};

using ScalarFn = Value (*)(OpBuilder &, Location, ValueRange, const ScalarInfo &);

template <typename OpTy>
struct ElementwiseToGeneric : OpConversionPattern<OpTy> {
  ElementwiseToGeneric(const TypeConverter &converter, MLIRContext *context,
                       ScalarFn fn)
      : OpConversionPattern<OpTy>(converter, context), fn(fn) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = convertedType(*this->getTypeConverter(), op.getType());
    Value first = op->getOperand(0);
    ScalarInfo info{getElementTypeOrSelf(adaptor.getOperands()[0].getType()),
                    resultType.getElementType(), isUnsignedElement(first)};
    // dlcc.select's predicate is operand 0; its value type is operand 1's.
    if (std::is_same<OpTy, SelectOp>::value)
      info.operandType = getElementTypeOrSelf(adaptor.getOperands()[1].getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return fn(b, loc, args, info);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  ScalarFn fn;
};

template <typename FloatOp, typename SignedOp, typename UnsignedOp = SignedOp>
Value arith2(OpBuilder &b, Location loc, ValueRange a, const ScalarInfo &info) {
  if (info.isFloat())
    return FloatOp::create(b, loc, a[0], a[1]);
  if (info.isUnsigned)
    return UnsignedOp::create(b, loc, a[0], a[1]);
  return SignedOp::create(b, loc, a[0], a[1]);
}

Value logistic(OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  Value one = scalarConstant(b, loc, t, 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
}

Value compare(OpBuilder &b, Location loc, ValueRange a, const ScalarInfo &info,
              ComparisonDirection direction) {
  if (info.isFloat()) {
    // Ordered comparisons (false on NaN) except ne, which is true on NaN.
    arith::CmpFPredicate p = arith::CmpFPredicate::OEQ;
    switch (direction) {
    case ComparisonDirection::eq: p = arith::CmpFPredicate::OEQ; break;
    case ComparisonDirection::ne: p = arith::CmpFPredicate::UNE; break;
    case ComparisonDirection::lt: p = arith::CmpFPredicate::OLT; break;
    case ComparisonDirection::le: p = arith::CmpFPredicate::OLE; break;
    case ComparisonDirection::gt: p = arith::CmpFPredicate::OGT; break;
    case ComparisonDirection::ge: p = arith::CmpFPredicate::OGE; break;
    }
    return arith::CmpFOp::create(b, loc, p, a[0], a[1]);
  }
  bool u = info.isUnsigned || info.operandType.isInteger(1);
  arith::CmpIPredicate p = arith::CmpIPredicate::eq;
  switch (direction) {
  case ComparisonDirection::eq: p = arith::CmpIPredicate::eq; break;
  case ComparisonDirection::ne: p = arith::CmpIPredicate::ne; break;
  case ComparisonDirection::lt: p = u ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt; break;
  case ComparisonDirection::le: p = u ? arith::CmpIPredicate::ule : arith::CmpIPredicate::sle; break;
  case ComparisonDirection::gt: p = u ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt; break;
  case ComparisonDirection::ge: p = u ? arith::CmpIPredicate::uge : arith::CmpIPredicate::sge; break;
  }
  return arith::CmpIOp::create(b, loc, p, a[0], a[1]);
}

struct CompareToGeneric : OpConversionPattern<CompareOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CompareOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ScalarInfo info{getElementTypeOrSelf(adaptor.getLhs().getType()),
                    rewriter.getI1Type(), isUnsignedElement(op.getLhs())};
    Value result = buildElementwise(
        rewriter, op.getLoc(), convertedType(*getTypeConverter(), op.getType()),
        adaptor.getOperands(), [&](OpBuilder &b, Location loc, ValueRange args) {
          return compare(b, loc, args, info, op.getDirection());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// dlcc.convert: float rounding to nearest even, float to int truncating,
/// to i1 as x != 0, i1 to numbers as 0/1.
Value convertScalar(OpBuilder &b, Location loc, Value x, Type to,
                    bool fromUnsigned, bool toUnsigned) {
  Type from = x.getType();
  if (from == to)
    return x;
  auto fromFloat = llvm::dyn_cast<FloatType>(from);
  auto toFloat = llvm::dyn_cast<FloatType>(to);
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0.0);
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, x);
    return arith::TruncFOp::create(b, loc, to, x);
  }
  if (fromFloat)
    return toUnsigned ? Value(arith::FPToUIOp::create(b, loc, to, x))
                      : Value(arith::FPToSIOp::create(b, loc, to, x));
  bool srcUnsigned = fromUnsigned || from.isInteger(1);
  if (toFloat)
    return srcUnsigned ? Value(arith::UIToFPOp::create(b, loc, to, x))
                       : Value(arith::SIToFPOp::create(b, loc, to, x));
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fw == tw)
    return x;
  if (fw > tw)
    return arith::TruncIOp::create(b, loc, to, x);
  return srcUnsigned ? Value(arith::ExtUIOp::create(b, loc, to, x))
                     : Value(arith::ExtSIOp::create(b, loc, to, x));
}

struct ConvertToGeneric : OpConversionPattern<ConvertOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvertOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    bool fromUnsigned = isUnsignedElement(op.getOperand());
    bool toUnsigned = getElementTypeOrSelf(op.getType()).isUnsignedInteger();
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return convertScalar(b, loc, args[0], resultType.getElementType(),
                               fromUnsigned, toUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

/// `shifted` (by `amount`), or 0 where the amount is the width or more:
/// LLVM's shifts are poison there, NumPy's give 0.
static Value shiftOrZero(OpBuilder &b, Location loc, Value shifted,
                         Value amount) {
  unsigned width = amount.getType().getIntOrFloatBitWidth();
  Value tooFar = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::uge, amount,
      arith::ConstantIntOp::create(b, loc, amount.getType(), width));
  Value zero = arith::ConstantIntOp::create(b, loc, amount.getType(), 0);
  return arith::SelectOp::create(b, loc, tooFar, zero, shifted);
}

void populateDlccElementwiseToLinalgPatterns(const TypeConverter &converter,
                                             RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  using A = ValueRange;
  using I = const ScalarInfo &;
#define DLCC_ELEMENTWISE(OP, ...)                                              \
  patterns.add<ElementwiseToGeneric<OP>>(                                      \
      converter, ctx, +[](OpBuilder &b, Location loc, A a, I info) -> Value {  \
        (void)info;                                                            \
        __VA_ARGS__                                                            \
      })
  // Unary.
  DLCC_ELEMENTWISE(AbsOp, {
    if (info.isFloat())
      return math::AbsFOp::create(b, loc, a[0]);
    if (info.isUnsigned)
      return a[0];
    return math::AbsIOp::create(b, loc, a[0]);
  });
  DLCC_ELEMENTWISE(CeilOp, { return math::CeilOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(CosOp, { return math::CosOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(ErfOp, { return math::ErfOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(ExpOp, { return math::ExpOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(FloorOp, { return math::FloorOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(LogOp, { return math::LogOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(LogisticOp, { return logistic(b, loc, a[0]); });
  DLCC_ELEMENTWISE(NegOp, {
    if (info.isFloat())
      return arith::NegFOp::create(b, loc, a[0]);
    return arith::SubIOp::create(b, loc, scalarConstant(b, loc, info.operandType, 0),
                                 a[0]);
  });
  DLCC_ELEMENTWISE(NotOp, {
    return arith::XOrIOp::create(b, loc, a[0],
                                 scalarConstant(b, loc, info.operandType, 1));
  });
  DLCC_ELEMENTWISE(RsqrtOp, { return math::RsqrtOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(SinOp, { return math::SinOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(SqrtOp, { return math::SqrtOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(TanhOp, { return math::TanhOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(TanOp, { return math::TanOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(AsinOp, { return math::AsinOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(AcosOp, { return math::AcosOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(AtanOp, { return math::AtanOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(SinhOp, { return math::SinhOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(CoshOp, { return math::CoshOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(AsinhOp, { return math::AsinhOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(AcoshOp, { return math::AcoshOp::create(b, loc, a[0]); });
  DLCC_ELEMENTWISE(AtanhOp, { return math::AtanhOp::create(b, loc, a[0]); });
  // Binary.
  DLCC_ELEMENTWISE(AddOp, { return arith2<arith::AddFOp, arith::AddIOp>(b, loc, a, info); });
  DLCC_ELEMENTWISE(SubOp, { return arith2<arith::SubFOp, arith::SubIOp>(b, loc, a, info); });
  DLCC_ELEMENTWISE(MulOp, { return arith2<arith::MulFOp, arith::MulIOp>(b, loc, a, info); });
  DLCC_ELEMENTWISE(DivOp, {
    return arith2<arith::DivFOp, arith::DivSIOp, arith::DivUIOp>(b, loc, a, info);
  });
  DLCC_ELEMENTWISE(RemOp, {
    return arith2<arith::RemFOp, arith::RemSIOp, arith::RemUIOp>(b, loc, a, info);
  });
  DLCC_ELEMENTWISE(MaxOp, {
    if (info.operandType.isInteger(1))
      return arith::OrIOp::create(b, loc, a[0], a[1]);
    return arith2<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(b, loc, a, info);
  });
  DLCC_ELEMENTWISE(MinOp, {
    if (info.operandType.isInteger(1))
      return arith::AndIOp::create(b, loc, a[0], a[1]);
    return arith2<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>(b, loc, a, info);
  });
  DLCC_ELEMENTWISE(PowOp, {
    if (info.isFloat())
      return math::PowFOp::create(b, loc, a[0], a[1]);
    return math::IPowIOp::create(b, loc, a[0], a[1]);
  });
  DLCC_ELEMENTWISE(AndOp, { return arith::AndIOp::create(b, loc, a[0], a[1]); });
  DLCC_ELEMENTWISE(OrOp, { return arith::OrIOp::create(b, loc, a[0], a[1]); });
  DLCC_ELEMENTWISE(XorOp, { return arith::XOrIOp::create(b, loc, a[0], a[1]); });
  DLCC_ELEMENTWISE(ShiftLeftOp, {
    return shiftOrZero(b, loc, arith::ShLIOp::create(b, loc, a[0], a[1]), a[1]);
  });
  DLCC_ELEMENTWISE(ShiftRightOp, {
    return shiftOrZero(b, loc, arith::ShRUIOp::create(b, loc, a[0], a[1]), a[1]);
  });
  DLCC_ELEMENTWISE(SelectOp, { return arith::SelectOp::create(b, loc, a[0], a[1], a[2]); });
#undef DLCC_ELEMENTWISE
  patterns.add<CompareToGeneric, ConvertToGeneric>(converter, ctx);
}

} // namespace mlir::dlcc
