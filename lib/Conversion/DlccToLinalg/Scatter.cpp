//===- Scatter.cpp - dlcc.scatter_elements and dlcc.scatter_nd to linalg --===//
//
// Both are owned by destination, like dlcc.scatter_add: one generic whose
// output is the data and whose last loop, a reduction, runs over the
// updates that could land on each element (the indices' axis extent for
// scatter_elements, the P tuples for scatter_nd); each matching update is
// combined in that fixed order (for `none` the last one wins). No atomics,
// deterministic; an out-of-range index matches nothing.
//
//===----------------------------------------------------------------------===//
#include "LinalgBuilders.h"

namespace mlir::dlcc {

namespace {

/// `value` (an i32/i64 index) as an index, a negative one counted from the
/// end of a dimension of `size`.
Value wrappedIndex(OpBuilder &b, Location loc, Value value, int64_t size) {
  Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
  Value wrapped = arith::AddIOp::create(
      b, loc, i, arith::ConstantIndexOp::create(b, loc, size));
  return arith::SelectOp::create(b, loc, negative, wrapped, i);
}

/// `current` combined with `update` by `kind`.
Value combine(OpBuilder &b, Location loc, ScatterReduction kind, Value current,
              Value update, bool isFloat, bool isUnsigned) {
  switch (kind) {
  case ScatterReduction::none:
    return update;
  case ScatterReduction::add:
    return isFloat ? Value(arith::AddFOp::create(b, loc, current, update))
                   : Value(arith::AddIOp::create(b, loc, current, update));
  case ScatterReduction::mul:
    return isFloat ? Value(arith::MulFOp::create(b, loc, current, update))
                   : Value(arith::MulIOp::create(b, loc, current, update));
  case ScatterReduction::max:
    if (isFloat)
      return arith::MaximumFOp::create(b, loc, current, update);
    return isUnsigned ? Value(arith::MaxUIOp::create(b, loc, current, update))
                      : Value(arith::MaxSIOp::create(b, loc, current, update));
  case ScatterReduction::min:
    if (isFloat)
      return arith::MinimumFOp::create(b, loc, current, update);
    return isUnsigned ? Value(arith::MinUIOp::create(b, loc, current, update))
                      : Value(arith::MinSIOp::create(b, loc, current, update));
  }
  llvm_unreachable("unknown scatter reduction");
}

/// The generic over (data dims..., the updates' loop), reduction last:
/// inputs read through `maps` (the output's map appended), `hit` tells
/// whether the update read at this point lands on the element.
Value buildScatter(OpBuilder &b, Location loc, RankedTensorType type,
                   Value data, ValueRange inputs, ArrayRef<AffineMap> maps,
                   ScatterReduction kind, bool isUnsigned,
                   function_ref<Value(OpBuilder &, Location, ValueRange)> hit) {
  int64_t rank = type.getRank();
  SmallVector<AffineMap> all(maps);
  all.push_back(AffineMap::getMultiDimIdentityMap(rank + 1, b.getContext())
                    .getMajorSubMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  bool isFloat = llvm::isa<FloatType>(type.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, inputs, ValueRange{data}, all, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value current = args.back(), update = args[args.size() - 2];
        Value combined =
            combine(nb, l, kind, current, update, isFloat, isUnsigned);
        Value out = arith::SelectOp::create(nb, l, hit(nb, l, args), combined,
                                            current);
        linalg::YieldOp::create(nb, l, out);
      });
  return generic.getResult(0);
}

struct ScatterElementsLowering : OpConversionPattern<ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedType(*getTypeConverter(), op.getType());
    int64_t rank = type.getRank(), axis = op.getAxis();
    int64_t size = type.getDimSize(axis);
    MLIRContext *ctx = rewriter.getContext();
    // Indices and updates at (d..., k): the data's point with k along axis.
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      exprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
    AffineMap read = AffineMap::get(rank + 1, 0, exprs, ctx);
    Value result = buildScatter(
        rewriter, op.getLoc(), type, adaptor.getData(),
        ValueRange{adaptor.getIndices(), adaptor.getUpdates()}, {read, read},
        op.getReduction(), isUnsignedElement(op.getData()),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value target = wrappedIndex(b, l, args[0], size);
          return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, target,
                                       linalg::IndexOp::create(b, l, axis));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ScatterNdLowering : OpConversionPattern<ScatterNdOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterNdOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedType(*getTypeConverter(), op.getType());
    int64_t rank = type.getRank();
    int64_t m = op.getIndices().getType().getDimSize(1);
    MLIRContext *ctx = rewriter.getContext();
    // Coordinate t of tuple p: indices[p, t], one input per coordinate.
    AffineExpr p = getAffineDimExpr(rank, ctx);
    SmallVector<AffineMap> maps;
    SmallVector<Value> inputs;
    for (int64_t t = 0; t < m; ++t) {
      maps.push_back(AffineMap::get(
          rank + 1, 0, {p, getAffineConstantExpr(t, ctx)}, ctx));
      inputs.push_back(adaptor.getIndices());
    }
    SmallVector<AffineExpr> updateExprs{p};
    for (int64_t d = m; d < rank; ++d)
      updateExprs.push_back(getAffineDimExpr(d, ctx));
    maps.push_back(AffineMap::get(rank + 1, 0, updateExprs, ctx));
    inputs.push_back(adaptor.getUpdates());
    Value result = buildScatter(
        rewriter, op.getLoc(), type, adaptor.getData(), inputs, maps,
        op.getReduction(), isUnsignedElement(op.getData()),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value all = arith::ConstantIntOp::create(b, l, 1, 1);
          for (int64_t t = 0; t < m; ++t) {
            Value target = wrappedIndex(b, l, args[t], type.getDimSize(t));
            Value same = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::eq, target,
                linalg::IndexOp::create(b, l, t));
            all = arith::AndIOp::create(b, l, all, same);
          }
          return all;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateDlccScatterToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {
  patterns.add<ScatterElementsLowering, ScatterNdLowering>(
      converter, patterns.getContext());
}

} // namespace mlir::dlcc
