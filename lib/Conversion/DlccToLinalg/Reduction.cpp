//===- Reduction.cpp - dlcc reductions to linalg --------------------------===//
//
// dlcc.reduce is linalg.reduce over an identity-filled init; arg_reduce and
// cumsum are linalg.generics with a reduction loop. Integer semantics follow
// the dlcc element type: signed unless the dlcc type was unsigned; i1 is
// treated as unsigned (max is or, min is and, sum and prod wrap).
//
//===----------------------------------------------------------------------===//
#include "LinalgBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

namespace mlir::dlcc {
namespace {

/// The smallest (`largest` false) or largest value of `type`: +-inf for
/// floats, the signed or unsigned integer bounds otherwise.
Value extremeConstant(OpBuilder &b, Location loc, Type type, bool largest,
                      bool isUnsigned) {
  if (auto ft = llvm::dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(),
                                           /*Negative=*/!largest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt v = isUnsigned ? (largest ? APInt::getMaxValue(width)
                                  : APInt::getMinValue(width))
                       : (largest ? APInt::getSignedMaxValue(width)
                                  : APInt::getSignedMinValue(width));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

bool isUnsignedLike(Value dlccValue) {
  return isUnsignedElement(dlccValue) ||
         getElementTypeOrSelf(dlccValue.getType()).isInteger(1);
}

/// Maps for a generic over the operand's loops that writes a result without
/// `dim`: the operand's identity map and the projection dropping `dim`.
SmallVector<AffineMap> droppingMaps(OpBuilder &b, int64_t rank, int64_t dim) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (d != dim)
      exprs.push_back(b.getAffineDimExpr(d));
  return {b.getMultiDimIdentityMap(rank),
          AffineMap::get(rank, 0, exprs, b.getContext())};
}

//===----------------------------------------------------------------------===//
// reduce
//===----------------------------------------------------------------------===//

/// linalg.reduce with the kind's identity as init: 0 for sum, 1 for prod,
/// the smallest value (-inf, min-int, 0 unsigned) for max and the largest for
/// min. Float max/min propagate NaN (arith.maximumf/minimumf). The loops run
/// in row-major order, which fixes the combine order.
struct ReduceLowering : OpConversionPattern<ReduceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedType(*getTypeConverter(), op.getType());
    if (op.getDims().empty()) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    Type elem = type.getElementType();
    bool isFloat = llvm::isa<FloatType>(elem);
    bool isUnsigned = isUnsignedLike(op.getOperand());
    ReduceKind kind = op.getKind();
    Value init;
    switch (kind) {
    case ReduceKind::sum: {
      // -0.0 is the exact float additive identity (a sum of -0.0s stays
      // -0.0); an empty reduction answers +0.0.
      bool empty = llvm::any_of(op.getDims(), [&](int64_t d) {
        return op.getOperand().getType().getDimSize(d) == 0;
      });
      init =
          scalarConstant(rewriter, loc, elem, isFloat && !empty ? -0.0 : 0.0);
      break;
    }
    case ReduceKind::prod:
      init = scalarConstant(rewriter, loc, elem, 1.0);
      break;
    case ReduceKind::max:
      init =
          extremeConstant(rewriter, loc, elem, /*largest=*/false, isUnsigned);
      break;
    case ReduceKind::min:
      init = extremeConstant(rewriter, loc, elem, /*largest=*/true, isUnsigned);
      break;
    }
    auto reduce = linalg::ReduceOp::create(
        rewriter, loc, ValueRange{adaptor.getOperand()},
        ValueRange{filledTensor(rewriter, loc, type, init)}, op.getDims(),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], acc = args[1], r;
          switch (kind) {
          case ReduceKind::sum:
            r = isFloat ? Value(arith::AddFOp::create(b, l, acc, x))
                        : Value(arith::AddIOp::create(b, l, acc, x));
            break;
          case ReduceKind::prod:
            r = isFloat ? Value(arith::MulFOp::create(b, l, acc, x))
                        : Value(arith::MulIOp::create(b, l, acc, x));
            break;
          case ReduceKind::max:
            r = isFloat      ? Value(arith::MaximumFOp::create(b, l, acc, x))
                : isUnsigned ? Value(arith::MaxUIOp::create(b, l, acc, x))
                             : Value(arith::MaxSIOp::create(b, l, acc, x));
            break;
          case ReduceKind::min:
            r = isFloat      ? Value(arith::MinimumFOp::create(b, l, acc, x))
                : isUnsigned ? Value(arith::MinUIOp::create(b, l, acc, x))
                             : Value(arith::MinSIOp::create(b, l, acc, x));
            break;
          }
          linalg::YieldOp::create(b, l, r);
        });
    rewriter.replaceOp(op, reduce.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// arg_reduce
//===----------------------------------------------------------------------===//

/// A generic with two outputs (best value, its index) and `dimension` as the
/// reduction loop, visited in increasing order from (extreme, 0). Element k
/// replaces the best (v, i) when, for argmax (argmin mirrors the comparison):
///   first index: x > v  || (isnan(x) && !isnan(v))   -- the first NaN wins
///   last index:  x >= v || isnan(x)                   -- the last NaN wins
/// which is numpy's argmax/argmin (NaN is the extreme). The index starts at 0,
/// so a row of all-extreme values (e.g. all -inf) answers 0 (or the last).
struct ArgReduceLowering : OpConversionPattern<ArgReduceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ArgReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value src = adaptor.getOperand();
    auto srcType = llvm::cast<RankedTensorType>(src.getType());
    auto idxType = convertedType(*getTypeConverter(), op.getType());
    auto valType = idxType.clone(srcType.getElementType());
    Type elem = srcType.getElementType();
    bool isFloat = llvm::isa<FloatType>(elem);
    bool isUnsigned = isUnsignedLike(op.getOperand());
    bool isMax = op.getKind() == ArgReduceKind::argmax;
    bool last = op.getSelectLastIndex();
    int64_t rank = srcType.getRank(), dim = op.getDimension();

    Value valInit = filledTensor(rewriter, loc, valType,
                           extremeConstant(rewriter, loc, elem,
                                           /*largest=*/!isMax, isUnsigned));
    Value idxInit =
        filledTensor(rewriter, loc, idxType,
               scalarConstant(rewriter, loc, rewriter.getI64Type(), 0));
    SmallVector<AffineMap> maps = droppingMaps(rewriter, rank, dim);
    maps.push_back(maps.back());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[dim] = utils::IteratorType::reduction;

    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valType, idxType}, ValueRange{src},
        ValueRange{valInit, idxInit}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], v = args[1], i = args[2];
          Value better;
          if (isFloat) {
            using P = arith::CmpFPredicate;
            P cmp = isMax ? (last ? P::OGE : P::OGT) : (last ? P::OLE : P::OLT);
            better = arith::CmpFOp::create(b, l, cmp, x, v);
            Value xNan = arith::CmpFOp::create(b, l, P::UNO, x, x);
            if (!last) {
              Value vNum = arith::CmpFOp::create(b, l, P::ORD, v, v);
              xNan = arith::AndIOp::create(b, l, xNan, vNum);
            }
            better = arith::OrIOp::create(b, l, better, xNan);
          } else {
            using P = arith::CmpIPredicate;
            P cmp = isMax ? (last ? (isUnsigned ? P::uge : P::sge)
                                  : (isUnsigned ? P::ugt : P::sgt))
                          : (last ? (isUnsigned ? P::ule : P::sle)
                                  : (isUnsigned ? P::ult : P::slt));
            better = arith::CmpIOp::create(b, l, cmp, x, v);
          }
          Value k = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, dim));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, better, x, v),
                         arith::SelectOp::create(b, l, better, k, i)});
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// cumsum
//===----------------------------------------------------------------------===//

/// A generic over the result's loops plus one reduction loop k along
/// `dimension` (read as the operand's position there), zero init:
///   result[..., i, ...] = sum over k in increasing order with
///     k <= i (inclusive), k < i (exclusive),
///     k >= i (reverse),   k > i (reverse exclusive)
/// of operand[..., k, ...]; elements outside the range are not added (a NaN
/// there does not leak in). Inclusive sums start from -0.0, the exact float
/// additive identity; exclusive ones from 0 (the empty sum).
/// Cost: O(n^2) per line of length n along `dimension` -- simple and correct,
/// fine for the sizes cumsum sees (positions, masks). A reverse sum adds the
/// same terms as a sequential reverse scan but from the near end first, so
/// float rounding can differ from it in the last bits.
struct CumSumLowering : OpConversionPattern<CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedType(*getTypeConverter(), op.getType());
    Type elem = type.getElementType();
    bool isFloat = llvm::isa<FloatType>(elem);
    int64_t rank = type.getRank(), dim = op.getDimension();
    MLIRContext *ctx = rewriter.getContext();
    // Loops [0, rank) are the result's, loop `rank` is k.
    SmallVector<AffineExpr> inExprs, outExprs;
    for (int64_t d = 0; d < rank; ++d) {
      inExprs.push_back(rewriter.getAffineDimExpr(d == dim ? rank : d));
      outExprs.push_back(rewriter.getAffineDimExpr(d));
    }
    SmallVector<AffineMap> maps = {AffineMap::get(rank + 1, 0, inExprs, ctx),
                                   AffineMap::get(rank + 1, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    using P = arith::CmpIPredicate;
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    P inRange =
        reverse ? (exclusive ? P::sgt : P::sge) : (exclusive ? P::slt : P::sle);
    Value init = filledTensor(rewriter, loc, type,
                        scalarConstant(rewriter, loc, elem,
                                       isFloat && !exclusive ? -0.0 : 0.0));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getOperand()},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value k = linalg::IndexOp::create(b, l, rank);
          Value i = linalg::IndexOp::create(b, l, dim);
          Value take = arith::CmpIOp::create(b, l, inRange, k, i);
          Value sum =
              isFloat ? Value(arith::AddFOp::create(b, l, args[1], args[0]))
                      : Value(arith::AddIOp::create(b, l, args[1], args[0]));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, take, sum, args[1])});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateDlccReductionToLinalgPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {
  patterns.add<ReduceLowering, ArgReduceLowering, CumSumLowering>(
      converter, patterns.getContext());
}

} // namespace mlir::dlcc
