//===- ScatterAdd.cpp - dlcc.scatter_add to linalg ------------------------===//
//
// Two deterministic lowerings, both owned by destination (no atomics; each
// destination adds its updates in the order of their positions i, so both
// give the same bits):
//
// - By comparison, for small index sets: one generic over (init's dims...,
//   i...) whose i loops are reductions and whose body adds updates[a, i, b]
//   where indices[i] == n. O(numel(init) * T) for T indices.
//
// - By sorting, for large tables (an embedding's gradient): the T indices'
//   stable sorting permutation (ranks by comparison, O(T^2) integer work
//   without the row width), each destination's range in the sorted order
//   (a binary search per table row), then every destination element loops
//   over its own range only. O(T^2 + V log T + numel(init) + T * row)
//   instead of O(V * T * row).
//
// An index outside [0, V) matches no destination and is dropped (a runtime
// error in dlcc, reported before the kernel runs), so nothing is written
// out of bounds.
//
//===----------------------------------------------------------------------===//
#include "LinalgBuilders.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <cmath>

namespace mlir::dlcc {

namespace {

Value asIndex(OpBuilder &b, Location loc, Value v) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

Value asI64(OpBuilder &b, Location loc, Value v) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), v);
}

Value addValues(OpBuilder &b, Location loc, Value x, Value y) {
  return isa<FloatType>(x.getType())
             ? Value(arith::AddFOp::create(b, loc, x, y))
             : Value(arith::AddIOp::create(b, loc, x, y));
}

/// One generic over (`outer`, `inner`) that sums `body(b, loc, args, o, i)`
/// (an i64) over `inner` into a zero-initialised [outer] i64 tensor; the
/// inputs are 1-D, read at i (`readAtInner`) or at o.
Value countOver(OpBuilder &b, Location loc, int64_t outer, int64_t inner,
                ValueRange inputs, ArrayRef<bool> readAtInner,
                function_ref<Value(OpBuilder &, Location, ValueRange, Value,
                                   Value)>
                    body) {
  MLIRContext *ctx = b.getContext();
  auto o = getAffineDimExpr(0, ctx), i = getAffineDimExpr(1, ctx);
  SmallVector<AffineMap> maps;
  for (bool inner : readAtInner)
    maps.push_back(AffineMap::get(2, 0, {inner ? i : o}, ctx));
  maps.push_back(AffineMap::get(2, 0, {o}, ctx));
  auto type = RankedTensorType::get({outer}, b.getI64Type());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, inputs, ValueRange{zeroFilled(b, loc, type)}, maps,
      {utils::IteratorType::parallel, utils::IteratorType::reduction},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value oi = linalg::IndexOp::create(nb, l, 0);
        Value ii = linalg::IndexOp::create(nb, l, 1);
        Value term = body(nb, l, args.drop_back(), oi, ii);
        linalg::YieldOp::create(nb, l,
                                ValueRange{arith::AddIOp::create(
                                    nb, l, args.back(), term)});
      });
  return generic.getResult(0);
}

/// The first position in the ascending `sorted` (1-D i64 of `size`) whose
/// key is not below `key`: a binary search unrolled to its fixed depth.
Value lowerBound(OpBuilder &b, Location loc, Value sorted, int64_t size,
                 Value key) {
  Value lo = indexConstant(b, loc, 0), hi = indexConstant(b, loc, size);
  Value one = indexConstant(b, loc, 1), last = indexConstant(b, loc, size - 1);
  int depth = int(std::ceil(std::log2(double(size) + 1)));
  for (int step = 0; step < depth; ++step) {
    Value mid = arith::ShRUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, lo, hi), one);
    Value at = arith::MinUIOp::create(b, loc, mid, last);
    Value v = tensor::ExtractOp::create(b, loc, sorted, ValueRange{at});
    Value open = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, lo,
                                       hi);
    Value below =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, key);
    Value up = arith::AndIOp::create(b, loc, open, below);
    Value down = arith::AndIOp::create(
        b, loc, open, arith::XOrIOp::create(
                          b, loc, below,
                          arith::ConstantIntOp::create(b, loc, 1, 1)));
    lo = arith::SelectOp::create(b, loc, up,
                                 arith::AddIOp::create(b, loc, mid, one), lo);
    hi = arith::SelectOp::create(b, loc, down, mid, hi);
  }
  return lo;
}

struct ScatterAddLowering : OpConversionPattern<ScatterAddOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ScatterAddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedType(*getTypeConverter(), op.getType());
    auto indicesType = op.getIndices().getType();
    int64_t positions = indicesType.getNumElements();
    int64_t rows = type.getDimSize(op.getAxis());
    int64_t row = rows ? type.getNumElements() / rows : 0;
    // Estimated work of each (elements visited).
    double comparing = double(rows) * double(positions) * double(row);
    double sorting = 2.0 * double(positions) * double(positions) +
                     double(rows + 1) * std::log2(double(positions) + 1) +
                     double(row) * double(rows + positions);
    Value result = positions >= 2 && indicesType.getRank() >= 1 &&
                           4 * sorting < comparing
                       ? bySorting(op, adaptor, rewriter, type)
                       : byComparison(op, adaptor, rewriter, type);
    rewriter.replaceOp(op, result);
    return success();
  }

  /// result[a, n, b] = init[a, n, b] + the sum over i in row-major order of
  /// (indices[i] == n ? updates[a, i, b] : nothing).
  Value byComparison(ScatterAddOp op, OpAdaptor adaptor,
                     ConversionPatternRewriter &rewriter,
                     RankedTensorType type) const {
    Location loc = op.getLoc();
    int64_t axis = op.getAxis();
    int64_t rank = type.getRank();
    int64_t idxRank = op.getIndices().getType().getRank();
    int64_t loops = rank + idxRank;
    MLIRContext *ctx = rewriter.getContext();
    auto dim = [&](int64_t d) { return rewriter.getAffineDimExpr(d); };
    // Loops: [0, rank) are the init's dims, [rank, rank+idxRank) the indices'.
    SmallVector<AffineExpr> idxExprs, updExprs, outExprs;
    for (int64_t k = 0; k < idxRank; ++k)
      idxExprs.push_back(dim(rank + k));
    for (int64_t d = 0; d < axis; ++d)
      updExprs.push_back(dim(d));
    llvm::append_range(updExprs, idxExprs);
    for (int64_t d = axis + 1; d < rank; ++d)
      updExprs.push_back(dim(d));
    for (int64_t d = 0; d < rank; ++d)
      outExprs.push_back(dim(d));
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, idxExprs, ctx),
                                   AffineMap::get(loops, 0, updExprs, ctx),
                                   AffineMap::get(loops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.append(idxRank, utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type},
        ValueRange{adaptor.getIndices(), adaptor.getUpdates()},
        ValueRange{adaptor.getInit()}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value idx = asIndex(b, l, args[0]);
          Value n = linalg::IndexOp::create(b, l, axis);
          Value hit =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, idx, n);
          Value sum = addValues(b, l, args[2], args[1]);
          linalg::YieldOp::create(
              b, l, ValueRange{arith::SelectOp::create(b, l, hit, sum, args[2])});
        });
    return generic.getResult(0);
  }

  Value bySorting(ScatterAddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter,
                  RankedTensorType type) const {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    int64_t axis = op.getAxis();
    int64_t rank = type.getRank();
    auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
    int64_t idxRank = indicesType.getRank();
    int64_t positions = indicesType.getNumElements();
    int64_t rows = type.getDimSize(axis);

    // The keys: the indices as one i64 row.
    Value keys = adaptor.getIndices();
    if (idxRank != 1)
      keys = tensor::CollapseShapeOp::create(
          b, loc, keys,
          SmallVector<ReassociationIndices>{
              llvm::to_vector(llvm::seq<int64_t>(0, idxRank))});
    auto keyType = RankedTensorType::get({positions}, b.getI64Type());
    if (!indicesType.getElementType().isInteger(64))
      keys = buildElementwise(b, loc, keyType, keys,
                              [](OpBuilder &nb, Location l, ValueRange args) {
                                return Value(arith::ExtSIOp::create(
                                    nb, l, nb.getI64Type(), args[0]));
                              });

    // Stable ranks: how many keys sort before key i.
    Value ranks = countOver(
        b, loc, positions, positions, {keys, keys}, {false, true},
        [](OpBuilder &nb, Location l, ValueRange args, Value i, Value j) {
          Value less = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt,
                                             args[1], args[0]);
          Value tie = arith::AndIOp::create(
              nb, l,
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, args[1],
                                    args[0]),
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult, j, i));
          return Value(arith::ExtUIOp::create(
              nb, l, nb.getI64Type(),
              arith::OrIOp::create(nb, l, less, tie)));
        });
    // The permutation: the position whose rank is r.
    Value order = countOver(
        b, loc, positions, positions, {ranks}, {true},
        [](OpBuilder &nb, Location l, ValueRange args, Value r, Value i) {
          Value hit = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq,
                                            args[0], asI64(nb, l, r));
          return Value(arith::SelectOp::create(
              nb, l, hit, asI64(nb, l, i),
              arith::ConstantIntOp::create(nb, l, 0, 64)));
        });
    Value sorted = buildElementwise(
        b, loc, keyType, order, [&](OpBuilder &nb, Location l, ValueRange args) {
          return Value(tensor::ExtractOp::create(
              nb, l, keys, ValueRange{asIndex(nb, l, args[0])}));
        });
    // Row n's updates are sorted positions [starts[n], starts[n + 1]).
    auto startsType = RankedTensorType::get({rows + 1}, b.getI64Type());
    Value starts = buildElementwise(
        b, loc, startsType, ValueRange{},
        [&](OpBuilder &nb, Location l, ValueRange) {
          Value n = asI64(nb, l, linalg::IndexOp::create(nb, l, 0));
          return asI64(nb, l, lowerBound(nb, l, sorted, positions, n));
        });

    // The updates with the indices' dims as one: [a..., positions, b...].
    Value updates = adaptor.getUpdates();
    if (idxRank != 1) {
      SmallVector<ReassociationIndices> groups;
      int64_t d = 0;
      for (; d < axis; ++d)
        groups.push_back({d});
      groups.push_back(llvm::to_vector(llvm::seq<int64_t>(d, d + idxRank)));
      for (d += idxRank; d < rank - 1 + idxRank; ++d)
        groups.push_back({d});
      updates = tensor::CollapseShapeOp::create(b, loc, updates, groups);
    }
    return buildElementwise(
        b, loc, type, adaptor.getInit(),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value n = linalg::IndexOp::create(nb, l, axis);
          Value first = asIndex(
              nb, l, tensor::ExtractOp::create(nb, l, starts, ValueRange{n}));
          Value end = asIndex(
              nb, l,
              tensor::ExtractOp::create(
                  nb, l, starts,
                  ValueRange{arith::AddIOp::create(nb, l, n,
                                                   indexConstant(nb, l, 1))}));
          // (linalg.index must sit right in the generic, not in the loop.)
          SmallVector<Value> at;
          for (int64_t d = 0; d < rank; ++d)
            at.push_back(linalg::IndexOp::create(nb, l, d));
          auto loop = scf::ForOp::create(
              nb, l, first, end, indexConstant(nb, l, 1), ValueRange{args[0]},
              [&](OpBuilder &fb, Location fl, Value k, ValueRange acc) {
                Value p = asIndex(
                    fb, fl,
                    tensor::ExtractOp::create(fb, fl, order, ValueRange{k}));
                SmallVector<Value> position(at);
                position[axis] = p;
                Value u = tensor::ExtractOp::create(fb, fl, updates, position);
                scf::YieldOp::create(fb, fl, addValues(fb, fl, acc[0], u));
              });
          return loop.getResult(0);
        });
  }
};

} // namespace

void populateDlccScatterAddToLinalgPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<ScatterAddLowering>(converter, patterns.getContext());
}

} // namespace mlir::dlcc
